import { afterAll, beforeAll } from 'vitest';
import {
  type Account,
  signup,
  startServer,
  type TestServer,
} from '../../../sync-server/test/helpers/server';
import { createTestDatabase, type TestDatabase } from '../../../sync-server/test/helpers/test-db';
import { login } from '../../src/core/sync/account';
import type { TransportOptions } from '../../src/core/sync/transport';
import { openWorkspace, type Workspace } from '../../src/core/workspace';

/** The real sync server (express + PostgreSQL as the app role) that tests can stop and start again. */
export interface LiveServer {
  t: TestDatabase;
  current: TestServer;
  port(): number;
  /** Closes the server and its pool (in-flight requests are cut), then starts a new one. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

/**
 * `adminUrl`: a superuser on the PostgreSQL to use (a private cluster), else the shared one;
 * `logLevel`: what the server logs into `current.logs` (nothing by default).
 */
export async function startLiveServer(
  options: { adminUrl?: string; logLevel?: string } = {},
): Promise<LiveServer> {
  const t = await createTestDatabase({ adminUrl: options.adminUrl });
  const env = { LOG_LEVEL: options.logLevel ?? 'silent' };
  const live: LiveServer = {
    t,
    current: await startServer(t.appUrl, { env }),
    port: () => Number(new URL(live.current.url).port),
    restart: async () => {
      await live.current.close();
      live.current = await startServer(t.appUrl, { env });
    },
    close: async () => {
      await live.current.close();
      await t.drop();
    },
  };
  return live;
}

/**
 * Starts a live server before the file's tests and closes it after them; the returned
 * object forwards to that server (use it only inside tests and hooks). Call it before a file's
 * own hooks that need the server: vitest runs after-hooks in reverse (its default `stack` order),
 * so theirs finish before the server closes.
 */
export function liveServerForFile(): LiveServer {
  let live: LiveServer | undefined;
  beforeAll(async () => {
    live = await startLiveServer();
  });
  afterAll(async () => {
    await live?.close();
  });
  const started = (): LiveServer => {
    if (!live) throw new Error('the live server has not started yet');
    return live;
  };
  return {
    get t() {
      return started().t;
    },
    get current() {
      return started().current;
    },
    port: () => started().port(),
    restart: () => started().restart(),
    close: () => started().close(),
  };
}

export const FAST_RETRIES: Omit<TransportOptions, 'baseUrl' | 'token'> = {
  retries: 12,
  baseDelayMs: 10,
  maxDelayMs: 150,
  timeoutMs: 1_500,
};

export async function loggedInWorkspace(
  home: string,
  serverUrl: string,
  account: Account,
  deviceName: string,
): Promise<Workspace> {
  const ws = openWorkspace(home);
  await login(
    ws.db,
    { serverUrl, email: account.email, password: account.password, deviceName },
    FAST_RETRIES,
  );
  return ws;
}

export { signup };
