import type { ApiHandlers } from '@creator-hub/shared/api/index';
import { ApiError } from '@creator-hub/shared/api/index';
import { embedderFromSettings } from '../embed/config';
import { embedPending } from '../embed/pending';
import { type ApiContext, withAbort } from './context';
import { coreEnv } from './settings-store';

/** Fills missing vectors of a knowledge base with the embedder chosen in Settings. */
export async function embedKnowledgeBase(ctx: ApiContext, kbId: string, signal?: AbortSignal) {
  const provider = embedderFromSettings({}, coreEnv(ctx.ws.db, ctx.env));
  if (!provider) throw new ApiError('unavailable', 'No embedding model is configured.');
  const result = await embedPending(ctx.ws, {
    provider,
    kbId,
    signal,
    onProgress: (p) => ctx.events.emit('embed.progress', p),
  });
  return result;
}

/**
 * After an import, vectors are added in the background: the import itself never waits for (or
 * fails because of) the embedding model. Whatever is not embedded stays pending for later.
 */
export function embedInBackground(ctx: ApiContext, kbId: string): void {
  embedKnowledgeBase(ctx, kbId).catch(() => undefined);
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
