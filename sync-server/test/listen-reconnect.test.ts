import { createServer, Socket } from 'node:net';
import { Writable } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { listen } from '../src/db/notifications';
import { createLogger } from '../src/logger';
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
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of open) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** The listener's warnings: it logs one for each reconnect it schedules. */
function warningLog() {
  const codes: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        codes.push((JSON.parse(line) as { code: string }).code);
      }
      done();
    },
  });
  return { logger: createLogger('warn', sink), codes };
}

// Generous: the machine may be busy; each wait ends as soon as its condition holds.
const WAIT = { timeout: 20_000, interval: 50 };
const notify = (payload: string) => adminQuery("SELECT pg_notify('sync_poke', $1)", [payload]);

describe('the LISTEN connection of pokes', () => {
  it('reconnects once when its connection drops during LISTEN, and close() ends it', async () => {
    const proxy = await cutFirstListen();
    const tag = `listen-test-${process.pid}-${Date.now()}`;
    const heard: string[] = [];
    const warnings = warningLog();
    const listener = listen(
      proxy.url,
      'sync_poke',
      (payload) => {
        if (payload.startsWith(tag)) heard.push(payload);
      },
      warnings.logger,
    );
    let closing: Promise<void> | undefined;
    const close = () => {
      closing ??= listener.close();
      return closing;
    };
    try {
      // The reconnected connection listens once a probe sent through the database is heard
      // (a probe sent before its LISTEN took effect is lost, so probes are sent until one is).
      let probes = 0;
      await vi.waitFor(async () => {
        if (heard.length === 0) await notify(`${tag}-probe-${probes++}`);
        expect(heard).not.toHaveLength(0);
      }, WAIT);
      // The drop failed the LISTEN query and emitted 'error' at once, long before the reconnect a
      // second later: both reports are in, and they scheduled one reconnect, not two.
      expect(warnings.codes).toHaveLength(1);
      expect(proxy.listens()).toBe(2);
      // Notifications on one connection arrive in order: once `last` is heard, a second delivery
      // of anything sent before it would have been heard too.
      const last = `${tag}-last`;
      await notify(last);
      await vi.waitFor(() => expect(heard).toContain(last), WAIT);
      expect(new Set(heard).size).toBe(heard.length);
      expect(proxy.listens()).toBe(2);
      // close() ends the one connection left: the proxy sees every socket closed.
      await close();
      await vi.waitFor(() => expect(proxy.open()).toBe(0), WAIT);
    } finally {
      await close();
      await proxy.close();
    }
  });
});
