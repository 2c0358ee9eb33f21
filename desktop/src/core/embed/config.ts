import { DEFAULT_OLLAMA_EMBED_MODEL, OllamaEmbedder, ollamaHost } from './ollama';
import { TransformersEmbedder } from './transformers';
import type { Embedder, Fingerprint } from './types';

export const EMBED_PROVIDERS = ['ollama', 'transformers', 'none'] as const;
export type EmbedProviderName = (typeof EMBED_PROVIDERS)[number];

export interface EmbedSettings {
  provider?: string;
  model?: string;
  onWarning?: (message: string) => void;
  signal?: AbortSignal;
}

/**
 * The embedder chosen by flags, then env (CREATOR_HUB_EMBED_PROVIDER, CREATOR_HUB_EMBED_MODEL,
 * OLLAMA_HOST), then defaults (Ollama, nomic-embed-text). 'none' gives undefined: keyword only.
 */
export function embedderFromSettings(
  settings: EmbedSettings,
  env: NodeJS.ProcessEnv = process.env,
): Embedder | undefined {
  const provider = settings.provider ?? env.CREATOR_HUB_EMBED_PROVIDER ?? 'ollama';
  const model = settings.model ?? env.CREATOR_HUB_EMBED_MODEL;
  return createEmbedder(provider, model, settings, env);
}

function createEmbedder(
  provider: string,
  model: string | undefined,
  settings: EmbedSettings,
  env: NodeJS.ProcessEnv,
): Embedder | undefined {
  switch (provider) {
    case 'ollama':
      return new OllamaEmbedder({
        host: ollamaHost(env),
        model: model ?? DEFAULT_OLLAMA_EMBED_MODEL,
        onWarning: settings.onWarning,
        signal: settings.signal,
      });
    case 'transformers':
      if (!model) throw new Error('the transformers provider needs a model (a folder or model id)');
      return new TransformersEmbedder({ model });
    case 'none':
      return undefined;
    default:
      throw new Error(
        `unknown embedding provider "${provider}" (use ${EMBED_PROVIDERS.join(', ')})`,
      );
  }
}

/**
 * For search: an embedder matching a stored fingerprint, whatever the current settings are. A
 * query is interactive, so it retries once and then search falls back to keywords.
 */
export function embedderForFingerprint(
  env: NodeJS.ProcessEnv = process.env,
  options: { attempts?: number } = { attempts: 2 },
): (fp: Fingerprint) => Embedder | undefined {
  const cache = new Map<string, Embedder | undefined>();
  return (fp) => {
    const key = `${fp.provider}\u0000${fp.model}`;
    if (!cache.has(key)) {
      cache.set(
        key,
        fp.provider === 'ollama'
          ? new OllamaEmbedder({
              host: ollamaHost(env),
              model: fp.model,
              attempts: options.attempts,
            })
          : createEmbedder(fp.provider, fp.model, {}, env),
      );
    }
    return cache.get(key);
  };
}
