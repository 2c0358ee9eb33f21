import type { Workspace } from '../workspace';
import { type EmbedPendingResult, type EmbedProgress, embedPending } from './pending';
import type { Embedder } from './types';

export interface BackgroundEmbedding {
  /** Run a pass now (e.g. right after an ingest) instead of waiting for the next tick. */
  nudge(): void;
  /** Stops the loop; resolves once a pass in flight has stopped. */
  stop(): Promise<void>;
}

export interface BackgroundEmbeddingOptions {
  /** The embedder of each pass (re-read, so a change of settings applies); none skips the pass. */
  provider: Embedder | (() => Embedder | undefined);
  /** Time between passes while nothing fails (default 30 s). */
  intervalMs?: number;
  /** Longest wait after failures; waits double from intervalMs up to this (default 5 min). */
  maxBackoffMs?: number;
  onProgress?: (p: EmbedProgress) => void;
  onPass?: (result: EmbedPendingResult) => void;
}

/**
 * The app's "fill pending vectors" job: passes of embedPending, one at a time, backing off while
 * the embedder is unreachable, so vectors appear once a provider becomes available.
 */
export function startBackgroundEmbedding(
  ws: Workspace,
  options: BackgroundEmbeddingOptions,
): BackgroundEmbedding {
  const interval = options.intervalMs ?? 30_000;
  const maxBackoff = options.maxBackoffMs ?? 300_000;
  const abort = new AbortController();
  let wake: (() => void) | undefined;
  let delay = 0;
  const loop = (async () => {
    while (!abort.signal.aborted) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      if (abort.signal.aborted) break;
      const provider =
        typeof options.provider === 'function' ? options.provider() : options.provider;
      if (!provider) {
        delay = interval;
        continue;
      }
      const result = await embedPending(ws, {
        provider,
        signal: abort.signal,
        onProgress: options.onProgress,
      });
      options.onPass?.(result);
      const failed = result.error !== undefined && result.error.code !== 'aborted';
      delay = failed ? Math.min(maxBackoff, Math.max(interval, delay * 2)) : interval;
    }
  })();
  return {
    nudge: () => {
      delay = 0;
      wake?.();
    },
    stop: async () => {
      abort.abort();
      wake?.();
      await loop;
    },
  };
}
