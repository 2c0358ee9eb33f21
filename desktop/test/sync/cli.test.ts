import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWorkspace } from '../../src/core/workspace';
import { cli } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';
import { type LiveServer, signup, startLiveServer } from './harness';
import { createProgram } from './steps';

let live: LiveServer;
beforeAll(async () => {
  live = await startLiveServer();
});
afterAll(async () => {
  await live?.close();
});

describe('creator-hub login | publish | sync | sync status', () => {
  it('logs in, publishes releases with progress, lists history, rolls back and syncs', async () => {
    const home = tempDir();
    const account = await signup(live.current, 'cli');
    const env = { CREATOR_HUB_PASSWORD: account.password };

    const notYet = await cli(['--home', home, 'publish']);
    expect(notYet.code).toBe(1);
    expect(notYet.stderr).toMatch(/Not logged in/);

    const wrong = await cli(['--home', home, 'login', live.current.url, '--email', account.email], {
      CREATOR_HUB_PASSWORD: 'not the password',
    });
    expect(wrong.code).toBe(1);

    const login = await cli(
      ['--home', home, 'login', live.current.url, '--email', account.email, '--json'],
      env,
    );
    expect(login.code).toBe(0);
    expect(login.json<{ tenantId: string }>()[0]?.tenantId).toBe(account.tenantId);

    const ws = openWorkspace(home);
    createProgram(ws.db, 'Course one');
    ws.close();

    const first = await cli(['--home', home, 'publish', '--note', 'first', '--json']);
    expect(first.code).toBe(0);
    const events = first.json<{
      event: string;
      phase?: string;
      sentMutations?: number;
      release?: { version: number };
    }>();
    expect(events.some((e) => e.phase === 'sending' && (e.sentMutations ?? 0) > 0)).toBe(true);
    expect(events.at(-1)).toMatchObject({ event: 'published', release: { version: 1 } });

    const second = await cli(['--home', home, 'publish', '--note', 'second']);
    expect(second.stdout).toMatch(/Published release v2/);
    const back = await cli(['--home', home, 'publish', '--rollback', '1', '--json']);
    expect(back.json<{ version: number; restores: number; active: boolean }>()[0]).toMatchObject({
      version: 3,
      restores: 1,
      active: true,
    });
    const history = await cli(['--home', home, 'publish', '--history', '--json']);
    const releases = history.json<{
      releases: { version: number; kind: string; active: boolean }[];
    }>()[0]?.releases;
    expect(releases?.map((r) => [r.version, r.kind, r.active])).toEqual([
      [3, 'rollback', true],
      [2, 'publish', false],
      [1, 'publish', false],
    ]);

    const sync = await cli(['--home', home, 'sync', '--json']);
    expect(sync.code).toBe(0);
    const status = await cli(['--home', home, 'sync', 'status', '--json']);
    expect(
      status.json<{ loggedIn: boolean; pending: number; conflicts: number }>()[0],
    ).toMatchObject({
      loggedIn: true,
      pending: 0,
      conflicts: 0,
    });
    const text = await cli(['--home', home, 'sync', 'status']);
    expect(text.stdout).toMatch(/Pending changes: 0/);
    const badResolve = await cli(['--home', home, 'sync', 'resolve', 'nope', '--keep', 'winner']);
    expect(badResolve.code).toBe(1);
    expect(badResolve.stderr).toMatch(/no open conflict/);
  });
});
