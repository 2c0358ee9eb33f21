import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { STREAMS, type Stream } from '@creator-hub/shared/sync/index';
import { WebSocket, WebSocketServer } from 'ws';
import { z } from 'zod';
import type { TokenService } from '../auth/tokens';
import type { Db } from '../db/db';
import { listen } from '../db/notifications';
import type { Logger } from '../logger';

export const POKES_PATH = '/v1/sync/pokes';
const BEARER = /^Bearer ([^\s]+)$/;
const Active = z.object({ ok: z.boolean() });
const PAYLOAD = /^([0-9a-f-]{36}):(content|activity):(\d+)$/;

export interface PokeHub {
  /** Sockets open per tenant (for tests and metrics). */
  count(tenantId: string): number;
  close(): Promise<void>;
}

export interface PokeDeps {
  db: Db;
  tokens: TokenService;
  /** The connection LISTEN uses (the app role's DATABASE_URL). */
  databaseUrl: string;
  logger: Logger;
}

/**
 * WebSocket pokes: after a commit, devices of the tenant get `{type:'poke', stream, seq}` and pull.
 * A hint only: devices poll as well, so a lost socket or notification loses nothing. Across
 * replicas the hint travels through PostgreSQL LISTEN/NOTIFY (sent in the writing transaction).
 */
export function attachPokes(server: Server, deps: PokeDeps): PokeHub {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 });
  const byTenant = new Map<string, Set<WebSocket>>();

  const authorize = async (req: IncomingMessage): Promise<string | undefined> => {
    const token = BEARER.exec(req.headers.authorization ?? '')?.[1];
    const device = token ? await deps.tokens.verifyDevice(token) : undefined;
    if (!device) return undefined;
    const row = await deps.db.withTenant(device.tenantId, (tx) =>
      tx.row(
        Active,
        'SELECT EXISTS (SELECT 1 FROM devices WHERE id = $1 AND revoked_at IS NULL) AS ok',
        [device.deviceId],
      ),
    );
    return row?.ok ? device.tenantId : undefined;
  };

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (new URL(req.url ?? '/', 'http://x').pathname !== POKES_PATH) return;
    authorize(req)
      .then((tenantId) => {
        if (!tenantId) {
          socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
          return;
        }
        wss.handleUpgrade(req, socket, head, (ws) => {
          const set = byTenant.get(tenantId) ?? new Set<WebSocket>();
          byTenant.set(tenantId, set);
          set.add(ws);
          ws.on('close', () => set.delete(ws));
          ws.on('message', () => ws.close(1008, 'pokes are one-way'));
        });
      })
      .catch(() => socket.destroy());
  };
  server.on('upgrade', onUpgrade);

  const listener = listen(
    deps.databaseUrl,
    'sync_poke',
    (payload) => {
      const m = PAYLOAD.exec(payload);
      const stream = m?.[2] as Stream | undefined;
      if (!m?.[1] || !stream || !STREAMS.includes(stream)) return;
      const message = JSON.stringify({ type: 'poke', stream, seq: Number(m[3]) });
      for (const ws of byTenant.get(m[1]) ?? [])
        if (ws.readyState === WebSocket.OPEN) ws.send(message);
    },
    deps.logger,
  );

  return {
    count: (tenantId) => byTenant.get(tenantId)?.size ?? 0,
    close: async () => {
      server.off('upgrade', onUpgrade);
      for (const set of byTenant.values()) for (const ws of set) ws.terminate();
      wss.close();
      await listener.close();
    },
  };
}
