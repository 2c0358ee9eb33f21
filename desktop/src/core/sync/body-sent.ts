import { type ChannelListener, subscribe, unsubscribe } from 'node:diagnostics_channel';

const CHANNEL = 'undici:request:bodySent';

interface BodySentMessage {
  request?: { path?: unknown };
}

/**
 * Resolves when fetch (undici) reports having written the whole body of a request to `path`, or
 * when `settled` settles, whichever comes first. Sealing the next batch blocks the event loop,
 * and a request body only leaves while the loop turns: waiting for this lets the server start on
 * the batch in flight while the next one is sealed. Where fetch reports nothing (another fetch
 * implementation), it simply waits for `settled`.
 */
export function bodySent(path: string, settled: Promise<unknown>): Promise<void> {
  let listener: ChannelListener | undefined;
  const sent = new Promise<void>((resolve) => {
    listener = (message) => {
      const target = (message as BodySentMessage).request?.path;
      if (typeof target === 'string' && target.split('?')[0]?.endsWith(path)) resolve();
    };
    subscribe(CHANNEL, listener);
  });
  const done = settled.then(
    () => undefined,
    () => undefined,
  );
  return Promise.race([sent, done]).finally(() => {
    if (listener) unsubscribe(CHANNEL, listener);
  });
}
