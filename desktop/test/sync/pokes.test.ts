import type { Stream } from '@creator-hub/shared/sync/index';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceTransport } from '../../src/core/sync/account';
import { syncOnce } from '../../src/core/sync/engine';
import { watchPokes } from '../../src/core/sync/pokes';
import { tempDir } from '../helpers/tmp';
import { FAST_RETRIES, liveServerForFile, loggedInWorkspace, signup } from './harness';
import { type PokeServer, startPokeServer, waitFor } from './poke-server';
import { addStep, createProgram, steps } from './steps';

const live = liveServerForFile();
let pokeServer: PokeServer;
let url: string;
beforeAll(async () => {
  pokeServer = await startPokeServer(live);
  url = pokeServer.url;
});
afterAll(async () => {
  await pokeServer?.close();
});

describe('WebSocket pokes (LISTEN/NOTIFY)', () => {
  it('pokes the other devices of the tenant after a push, and polling still works without them', async () => {
    const account = await signup(live.current, 'pokes');
    const other = await signup(live.current, 'pokes-other');
    const a = await loggedInWorkspace(tempDir(), url, account, 'A');
    const b = await loggedInWorkspace(tempDir(), url, account, 'B');
    const stranger = await loggedInWorkspace(tempDir(), url, other, 'C');
    const pokes: { stream: Stream; seq: number }[] = [];
    const strangerPokes: number[] = [];
    const watcher = watchPokes(b.db, (stream, seq) => pokes.push({ stream, seq }), { retryMs: 50 });
    const strangerWatcher = watchPokes(stranger.db, (_s, seq) => strangerPokes.push(seq));
    try {
      await waitFor(
        () =>
          pokeServer.hub.count(account.tenantId) === 1 &&
          pokeServer.hub.count(other.tenantId) === 1,
      );
      const { moduleId } = createProgram(a.db);
      addStep(a.db, moduleId, 'Poked');
      await syncOnce(a.db, deviceTransport(a.db, FAST_RETRIES));
      await waitFor(() => pokes.length > 0);
      expect(pokes[0]?.stream).toBe('content');
      await syncOnce(b.db, deviceTransport(b.db, FAST_RETRIES));
      expect(steps(b.db).map((s) => s.title)).toEqual(['Poked']);
      expect(strangerPokes).toEqual([]);

      // Without the socket nothing is lost: the next poll brings the change.
      watcher.close();
      addStep(a.db, moduleId, 'Polled');
      await syncOnce(a.db, deviceTransport(a.db, FAST_RETRIES));
      await syncOnce(b.db, deviceTransport(b.db, FAST_RETRIES));
      expect(
        steps(b.db)
          .map((s) => s.title)
          .sort(),
      ).toEqual(['Poked', 'Polled']);
    } finally {
      watcher.close();
      strangerWatcher.close();
      a.close();
      b.close();
      stranger.close();
    }
  });

  it('refuses a socket without a valid device token', async () => {
    const { default: WebSocket } = await import('ws');
    const wsUrl = `${url.replace('http', 'ws')}/v1/sync/pokes`;
    const status = await new Promise<number>((resolve) => {
      const ws = new WebSocket(wsUrl, { headers: { authorization: 'Bearer forged' } });
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => resolve(101));
      ws.on('error', () => {});
    });
    expect(status).toBe(401);
  });
});
