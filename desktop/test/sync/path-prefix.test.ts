import type { Stream } from '@creator-hub/shared/sync/index';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compactChanges } from '../../../sync-server/src/sync/pull';
import { deviceTransport } from '../../src/core/sync/account';
import { syncOnce } from '../../src/core/sync/engine';
import { watchPokes } from '../../src/core/sync/pokes';
import { publish } from '../../src/core/sync/publish';
import { getState } from '../../src/core/sync/state';
import { serverEndpoint } from '../../src/core/sync/transport';
import type { Workspace } from '../../src/core/workspace';
import { tempDir } from '../helpers/tmp';
import { FAST_RETRIES, liveServerForFile, loggedInWorkspace, signup } from './harness';
import { type PokeServer, startPokeServer, waitFor } from './poke-server';
import { type PrefixProxy, startPrefixProxy } from './prefix-proxy';
import { addStep, createProgram, steps } from './steps';

const live = liveServerForFile();
let pokeServer: PokeServer;
let proxy: PrefixProxy;
beforeAll(async () => {
  pokeServer = await startPokeServer(live);
  proxy = await startPrefixProxy(pokeServer.port, '/creator-hub');
});
afterAll(async () => {
  await proxy?.close();
  await pokeServer?.close();
});

const sync = (ws: Workspace) => syncOnce(ws.db, deviceTransport(ws.db, FAST_RETRIES));

describe('serverEndpoint', () => {
  it('keeps a path prefix, with or without its trailing slash', () => {
    const cases: [base: string, path: string, url: string][] = [
      ['https://h.example', '/v1/me', 'https://h.example/v1/me'],
      ['https://h.example/', '/v1/me', 'https://h.example/v1/me'],
      ['https://h.example/hub', '/v1/me', 'https://h.example/hub/v1/me'],
      ['https://h.example/hub/', '/v1/me', 'https://h.example/hub/v1/me'],
      [
        'https://h.example/a/b/',
        'v1/sync/pull?stream=content',
        'https://h.example/a/b/v1/sync/pull?stream=content',
      ],
      ['https://h.example/hub?x=1#top', '/v1/me', 'https://h.example/hub/v1/me'],
      ['http://127.0.0.1:8080/hub', '', 'http://127.0.0.1:8080/hub/'],
    ];
    for (const [base, path, url] of cases)
      expect(serverEndpoint(base, path).toString(), base).toBe(url);
  });
});

describe('a server under a path prefix (reverse proxy)', () => {
  it('logs in, publishes, pulls, snapshots and gets pokes through the prefix only', async () => {
    const account = await signup(live.current, 'prefix');
    const withSlash = proxy.url;
    const withoutSlash = proxy.url.replace(/\/$/, '');
    const a = await loggedInWorkspace(tempDir(), withoutSlash, account, 'A');
    const b = await loggedInWorkspace(tempDir(), withSlash, account, 'B');
    const pokes: Stream[] = [];
    const watcher = watchPokes(b.db, (stream) => pokes.push(stream), { retryMs: 50 });
    try {
      // Both spellings are stored as one, with the slash.
      expect(getState(a.db, 'server_url')).toBe(withSlash);
      expect(getState(b.db, 'server_url')).toBe(withSlash);
      await waitFor(() => pokeServer.hub.count(account.tenantId) === 1);

      const { moduleId } = createProgram(a.db);
      const first = addStep(a.db, moduleId, 'Through the proxy');
      const release = await publish(a.db, deviceTransport(a.db, FAST_RETRIES), { note: 'v1' });
      expect(release.version).toBe(1);
      await waitFor(() => pokes.includes('content'));
      const pulled = await sync(b);
      expect(pulled.pull.content.changes).toBeGreaterThan(0);
      expect(steps(b.db)).toEqual([{ id: first, title: 'Through the proxy' }]);

      // A resync after compaction takes the snapshot route through the prefix as well.
      await live.current.db.withTenant(account.tenantId, (tx) =>
        compactChanges(tx, 'content', 1_000),
      );
      const c = await loggedInWorkspace(tempDir(), withoutSlash, account, 'C');
      try {
        expect((await sync(c)).pull.content.snapshots).toBe(1);
        expect(steps(c.db)).toEqual([{ id: first, title: 'Through the proxy' }]);
      } finally {
        c.close();
      }
    } finally {
      watcher.close();
      a.close();
      b.close();
    }

    expect(proxy.outside).toEqual([]);
    const routes = new Set(proxy.seen.map((line) => line.replace(/\?.*$/, '')));
    for (const route of [
      'POST /creator-hub/v1/auth/login',
      'GET /creator-hub/v1/me',
      `POST /creator-hub/v1/tenants/${account.tenantId}/devices`,
      'GET /creator-hub/v1/sync/model',
      'POST /creator-hub/v1/sync/push',
      'POST /creator-hub/v1/releases',
      'GET /creator-hub/v1/sync/pull',
      'GET /creator-hub/v1/sync/snapshot',
      'GET /creator-hub/v1/sync/pokes',
    ]) {
      expect(routes, route).toContain(route);
    }
    expect(proxy.seen).toContainEqual(
      expect.stringMatching(/^GET \/creator-hub\/v1\/sync\/pull\?stream=content&limit=\d+/),
    );
  });

  it('a request outside the prefix is not served (the proxy is a real control)', async () => {
    const res = await fetch(new URL('/v1/sync/model', proxy.url));
    expect(res.status).toBe(404);
    expect(proxy.outside).toContain('GET /v1/sync/model');
  });
});
