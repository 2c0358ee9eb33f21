import { embedderForFingerprint } from '../embed/config';
import { search } from '../search/search';
import type { Workspace } from '../workspace';
import type { ChatDeps } from './answer';
import { chatConfigFromEnv } from './config';
import { createOllamaChatModel } from './llm';

/** Passages retrieved per question; the best five go into the prompt. */
const RETRIEVE_K = 8;

/**
 * The chat pipeline as the app runs it: hybrid search of the workspace (keywords only when no
 * embedder answers) and the Ollama chat model from the environment. CREATOR_HUB_CHAT_MODEL=none
 * turns the model off: answers are then extractive.
 */
export function chatDepsFromEnv(
  ws: Workspace,
  env: NodeJS.ProcessEnv,
  onNotice?: (message: string) => void,
): ChatDeps {
  const config = chatConfigFromEnv(env);
  const embedderFor = embedderForFingerprint(env);
  return {
    db: ws.db,
    retrieve: (query, { kbId }) =>
      search(ws, { query, kbId, k: RETRIEVE_K, mode: 'hybrid' }, { embedderFor, onNotice }),
    ...(config.model === 'none' ? {} : { model: createOllamaChatModel(config) }),
  };
}
