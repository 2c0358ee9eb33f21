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
    // One reconnect per client, for whichever report of its failure comes first: a connection
    // that drops during LISTEN fails that query and also emits 'error'.
    let failed = false;
    const fail = (code: string, error: unknown) => {
      if (failed) return;
      failed = true;
      logger?.warn({ code, message: error instanceof Error ? error.message : String(error) });
      c.end().catch(() => {});
      if (!closed) timer = setTimeout(connect, 1_000);
    };
    c.on('notification', (n) => {
      if (n.channel === channel && n.payload) onMessage(n.payload);
    });
    c.on('error', (error) => fail('listen_connection_error', error));
    try {
      await c.connect();
      await c.query(`LISTEN ${channel}`);
    } catch (error) {
      fail('listen_connect_failed', error);
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
