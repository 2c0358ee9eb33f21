import pg from 'pg';
import type { Logger } from '../logger';

export interface Listener {
  close(): Promise<void>;
}

/**
 * LISTEN on one channel with a dedicated connection (a pooled one would be handed to others),
 * reconnecting after a drop. Notifications are hints: one missed while reconnecting costs a poll.
 */
export function listen(
  connectionString: string,
  channel: 'sync_poke',
  onMessage: (payload: string) => void,
  logger?: Logger,
): Listener {
  let client: pg.Client | undefined;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  const connect = async () => {
    if (closed) return;
    const c = new pg.Client({ connectionString });
    client = c;
    c.on('notification', (n) => {
      if (n.channel === channel && n.payload) onMessage(n.payload);
    });
    c.on('error', (error) => {
      logger?.warn({ code: 'listen_connection_error', message: error.message });
      c.end().catch(() => {});
      if (!closed) timer = setTimeout(connect, 1_000);
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${channel}`);
    } catch (error) {
      logger?.warn({
        code: 'listen_connect_failed',
        message: error instanceof Error ? error.message : String(error),
      });
      c.end().catch(() => {});
      if (!closed) timer = setTimeout(connect, 1_000);
    }
  };
  void connect();
  return {
    close: async () => {
      closed = true;
      clearTimeout(timer);
      await client?.end().catch(() => {});
    },
  };
}
