import type { ApiHandlers } from '@creator-hub/shared/api/index';
import { ApiError } from '@creator-hub/shared/api/index';
import { startBackgroundEmbedding } from '../embed/background';
import { embedderFromSettings } from '../embed/config';
import { embedPending } from '../embed/pending';
import { type ApiContext, withAbort } from './context';
import { probeOllama } from './settings-handlers';
import { coreEnv, readSettings } from './settings-store';

/** Fills missing vectors of a knowledge base with the embedder chosen in Settings. */
export async function embedKnowledgeBase(ctx: ApiContext, kbId: string, signal?: AbortSignal) {
  const provider = embedderFromSettings({}, coreEnv(ctx.ws.db, ctx.env));
  if (!provider) throw new ApiError('unavailable', 'No embedding model is configured.');
  let last = { done: 0, total: 0 };
  const finish = (error?: string) =>
    ctx.events.emit('embed.progress', {
      kbId,
      ...last,
      finished: true,
      ...(error ? { error } : {}),
    });
  try {
    const result = await embedPending(ctx.ws, {
      provider,
      kbId,
      signal,
      onProgress: (p) => {
        last = { done: p.done, total: p.total };
        ctx.events.emit('embed.progress', p);
      },
    });
    finish(result.error?.message);
    return result;
  } catch (error) {
    finish(error instanceof Error ? error.message : String(error));
    throw error;
  }
}

/**
 * After an import, vectors are added in the background: the import itself never waits for (or
 * fails because of) the embedding model. Whatever is not embedded stays pending for later.
 */
export function embedInBackground(ctx: ApiContext, kbId: string): void {
  const env = coreEnv(ctx.ws.db, ctx.env);
  const usesOllama = (env.CREATOR_HUB_EMBED_PROVIDER ?? 'ollama') === 'ollama';
  // Without a running Ollama there is nothing to wait for: the chunks stay pending, and the
  // Knowledge screen offers to add vectors later.
  const ready = usesOllama ? probeOllama(readSettings(ctx.ws.db, ctx.env).ollamaHost) : null;
  void Promise.resolve(ready)
    .then((probe) => (probe && !probe.reachable ? undefined : embedKnowledgeBase(ctx, kbId)))
    .catch(() => undefined);
}

/**
 * Fills pending vectors on its own once an embedder answers (Ollama started later, a model pulled):
 * passes every `intervalMs`, backing off while the embedder is unreachable. Stopped by DesktopApi.close.
 */
export function fillPendingVectorsInBackground(ctx: ApiContext, intervalMs = 30_000): void {
  // The last progress of each knowledge base in a pass, re-sent as `finished` when the pass ends
  // (the Knowledge screen refreshes its counts on it, as after a manual run).
  const lastOfPass = new Map<string, { done: number; total: number }>();
  const job = startBackgroundEmbedding(ctx.ws, {
    provider: () => embedderFromSettings({}, coreEnv(ctx.ws.db, ctx.env)),
    intervalMs,
    onProgress: (p) => {
      lastOfPass.set(p.kbId, { done: p.done, total: p.total });
      ctx.events.emit('embed.progress', p);
    },
    onPass: (result) => {
      for (const [kbId, last] of lastOfPass) {
        ctx.events.emit('embed.progress', {
          kbId,
          ...last,
          finished: true,
          ...(result.error ? { error: result.error.message } : {}),
        });
      }
      lastOfPass.clear();
    },
  });
  ctx.disposers.push(() => void job.stop());
}

export function embedHandlers(ctx: ApiContext): Pick<ApiHandlers, 'embed.run'> {
  return {
    'embed.run': ({ opId, kbId }) =>
      withAbort(ctx, opId, async (signal) => {
        const result = await embedKnowledgeBase(ctx, kbId, signal);
        if (result.error) throw new ApiError('unavailable', result.error.message);
        return { embedded: result.embedded };
      }),
  };
}
