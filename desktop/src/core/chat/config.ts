import type { OllamaChatConfig } from './llm';

/** A small instruction-following model that runs on an ordinary laptop. */
export const DEFAULT_CHAT_MODEL = 'llama3.2:3b';
export const DEFAULT_OLLAMA_HOST = 'http://127.0.0.1:11434';

const positiveInt = (raw: string | undefined, fallback: number, name: string): number => {
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) {
    throw new Error(`${name} must be a positive whole number, got "${raw}"`);
  }
  return value;
};

/**
 * Chat settings from the environment: CREATOR_HUB_CHAT_MODEL, OLLAMA_HOST, and the optional
 * CREATOR_HUB_CHAT_NUM_CTX / _NUM_PREDICT / _TIMEOUT_MS. num_ctx is always sent because Ollama's
 * own default (2k–4k) silently cuts a prompt carrying several passages.
 */
export function chatConfigFromEnv(env: NodeJS.ProcessEnv): OllamaChatConfig {
  const idle = positiveInt(env.CREATOR_HUB_CHAT_TIMEOUT_MS, 60_000, 'CREATOR_HUB_CHAT_TIMEOUT_MS');
  return {
    host: normaliseHost(env.OLLAMA_HOST ?? DEFAULT_OLLAMA_HOST),
    model: env.CREATOR_HUB_CHAT_MODEL?.trim() || DEFAULT_CHAT_MODEL,
    numCtx: positiveInt(env.CREATOR_HUB_CHAT_NUM_CTX, 8192, 'CREATOR_HUB_CHAT_NUM_CTX'),
    numPredict: positiveInt(env.CREATOR_HUB_CHAT_NUM_PREDICT, 768, 'CREATOR_HUB_CHAT_NUM_PREDICT'),
    idleTimeoutMs: idle,
    totalTimeoutMs: Math.max(idle, 300_000),
  };
}

/** Ollama's own convention: without a scheme, http and port 11434 unless a port is given. */
export function normaliseHost(raw: string): string {
  const trimmed = raw.trim().replace(/\/+$/, '');
  if (/^[a-z]+:\/\//i.test(trimmed)) return new URL(trimmed).origin;
  const url = new URL(`http://${trimmed}`);
  if (url.port === '') url.port = '11434';
  return url.origin;
}
