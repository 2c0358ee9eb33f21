import { createServer, Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { listen } from '../src/db/notifications';
import { ADMIN_URL, adminQuery } from './helpers/test-db';

/** A TCP proxy to PostgreSQL that cuts the first connection once its client sends LISTEN. */
async function cutFirstListen() {
  const target = new URL(ADMIN_URL);
  const open = new Set<Socket>();
  let listens = 0;
  const server = createServer((client) => {
    const upstream = new Socket();
    for (const s of [client, upstream]) {
      open.add(s);
      s.on('close', () => open.delete(s));
      s.on('error', () => {});
    }
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.on('data', (chunk: Buffer) => {
      if (chunk.includes('LISTEN')) listens += 1;
      if (listens === 1 && chunk.includes('LISTEN')) client.destroy();
      else upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => client.write(chunk));
    upstream.connect(Number(target.port || 5432), target.hostname);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(ADMIN_URL);
  url.host = `127.0.0.1:${(server.address() as { port: number }).port}`;
  return {
    url: url.toString(),
    listens: () => listens,
    open: () => open.size,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the LISTEN connection of pokes', () => {
  it('reconnects once when its connection drops during LISTEN, and close() ends it', async () => {
    const proxy = await cutFirstListen();
    const heard: string[] = [];
    const listener = listen(proxy.url, 'sync_poke', (payload) => heard.push(payload));
    try {
      // The query fails and the client emits 'error' for the same drop: one reconnect, not two.
      for (let i = 0; i < 50 && proxy.listens() < 2; i++) await sleep(100);
      await sleep(1_500);
      expect(proxy.listens()).toBe(2);
      const marker = `listen-test-${process.pid}-${Date.now()}`;
      await adminQuery("SELECT pg_notify('sync_poke', $1)", [marker]);
      for (let i = 0; i < 30 && !heard.includes(marker); i++) await sleep(100);
      await sleep(200);
      expect(heard.filter((p) => p === marker)).toHaveLength(1);
    } finally {
      await listener.close();
    }
    for (let i = 0; i < 30 && proxy.open() > 0; i++) await sleep(100);
    expect(proxy.open()).toBe(0);
    await proxy.close();
  });
});
