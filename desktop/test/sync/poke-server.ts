import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger } from '../../../sync-server/src/logger';
import { attachPokes, type PokeHub } from '../../../sync-server/src/sync/pokes';
import type { LiveServer } from './harness';

export interface PokeServer {
  /** http://127.0.0.1:PORT (no trailing slash) */
  url: string;
  port: number;
  hub: PokeHub;
  close(): Promise<void>;
}

/** The live server's app on an HTTP server of our own, so the poke hub can take its WebSocket upgrades. */
export async function startPokeServer(live: LiveServer): Promise<PokeServer> {
  const server = createServer(live.current.app.app);
  const hub = attachPokes(server, {
    db: live.current.db,
    tokens: live.current.app.auth.tokens,
    databaseUrl: live.t.appUrl,
    logger: createLogger('silent'),
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    hub,
    close: async () => {
      await hub.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Polls `check` every 20 ms until it holds, or fails after `ms`. */
export async function waitFor(check: () => boolean, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}
