import { pokeSchema, type Stream } from '@creator-hub/shared/sync/index';
import WebSocket from 'ws';
import type { Db } from '../db/open';
import { getState } from './state';
import { serverEndpoint } from './transport';

export interface PokeWatcher {
  close(): void;
}

export interface PokeOptions {
  /** Delay before reconnecting after the socket closed (doubling up to 30 s). */
  retryMs?: number;
}

/**
 * Listens for the server's "something changed" hints and calls `onPoke`; the caller pulls. A hint
 * only: callers still poll, so a closed socket or a lost poke delays a pull, never loses data.
 */
export function watchPokes(
  db: Db,
  onPoke: (stream: Stream, seq: number) => void,
  o: PokeOptions = {},
): PokeWatcher {
  const server = getState(db, 'server_url');
  const token = getState(db, 'device_token');
  if (!server || !token) return { close: () => {} };
  const url = serverEndpoint(server, '/v1/sync/pokes');
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  let closed = false;
  let socket: WebSocket | undefined;
  let delay = o.retryMs ?? 1_000;
  let timer: NodeJS.Timeout | undefined;
  const connect = () => {
    if (closed) return;
    const ws = new WebSocket(url, {
      headers: { authorization: `Bearer ${token}` },
      maxPayload: 1024,
    });
    socket = ws;
    ws.on('open', () => {
      delay = o.retryMs ?? 1_000;
    });
    ws.on('message', (data) => {
      try {
        const poke = pokeSchema.safeParse(JSON.parse(String(data)));
        if (poke.success) onPoke(poke.data.stream, poke.data.seq);
      } catch {
        // Not JSON: not a poke.
      }
    });
    ws.on('error', () => {});
    ws.on('close', () => {
      if (closed) return;
      timer = setTimeout(connect, delay);
      delay = Math.min(delay * 2, 30_000);
    });
  };
  connect();
  return {
    close: () => {
      closed = true;
      clearTimeout(timer);
      socket?.terminate();
    },
  };
}
