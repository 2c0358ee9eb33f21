import { Ollama } from 'ollama';
import { type Embedder, EmbedError, type EmbedTask } from './types';
import { toUnitVector } from './vectors';

export const DEFAULT_OLLAMA_HOST = 'http://127.0.0.1:11434';
export const DEFAULT_OLLAMA_EMBED_MODEL = 'nomic-embed-text';

/** Task prefixes some models were trained with; without them retrieval quality drops. */
const TASK_PREFIXES: { match: RegExp; document: string; query: string }[] = [
  { match: /^nomic-embed-text/, document: 'search_document: ', query: 'search_query: ' },
  {
    match: /^(mxbai-embed-large|snowflake-arctic-embed)/,
    document: '',
    query: 'Represent this sentence for searching relevant passages: ',
  },
];

export function taskPrefix(model: string, task: EmbedTask): string {
  const entry = TASK_PREFIXES.find((p) => p.match.test(model));
  return entry ? entry[task] : '';
}

export interface OllamaEmbedderOptions {
  host?: string;
  model?: string;
  /** Texts per /api/embed request. */
  batchSize?: number;
  /** Context window set explicitly on every request; longer inputs are truncated by the server. */
  numCtx?: number;
  /** Attempts per request for transient failures (network, 5xx, 429). */
  attempts?: number;
  /** First retry delay; doubles each time. */
  retryDelayMs?: number;
  onWarning?: (message: string) => void;
  signal?: AbortSignal;
}

/** Env `OLLAMA_HOST` may omit the scheme or port, as the Ollama CLI allows. */
export function ollamaHost(env: NodeJS.ProcessEnv = process.env): string {
  const raw = env.OLLAMA_HOST?.trim();
  if (!raw) return DEFAULT_OLLAMA_HOST;
  const withScheme = /^https?:\/\//.test(raw) ? raw : `http://${raw}`;
  const url = new URL(withScheme);
  if (url.port === '' && !/^https?:\/\/[^/]*:\d+/.test(withScheme)) url.port = '11434';
  return url.origin;
}

// A rough upper bound of tokens for English-like text; only used to warn.
const estimateTokens = (text: string): number => Math.ceil(text.length / 3);

export class OllamaEmbedder implements Embedder {
  readonly provider = 'ollama';
  readonly model: string;
  private readonly client: Ollama;
  private readonly opts: Required<
    Omit<OllamaEmbedderOptions, 'onWarning' | 'signal' | 'host' | 'model'>
  >;

  constructor(private readonly options: OllamaEmbedderOptions = {}) {
    this.model = options.model ?? DEFAULT_OLLAMA_EMBED_MODEL;
    this.client = new Ollama({ host: options.host ?? DEFAULT_OLLAMA_HOST });
    this.opts = {
      batchSize: options.batchSize ?? 64,
      numCtx: options.numCtx ?? 2048,
      attempts: options.attempts ?? 4,
      retryDelayMs: options.retryDelayMs ?? 250,
    };
  }

  async embed(texts: readonly string[], task: EmbedTask): Promise<Float32Array[]> {
    const prefix = taskPrefix(this.model, task);
    const out: Float32Array[] = [];
    for (let start = 0; start < texts.length; start += this.opts.batchSize) {
      const batch = texts.slice(start, start + this.opts.batchSize).map((t) => prefix + t);
      const long = batch.filter((t) => estimateTokens(t) > this.opts.numCtx).length;
      if (long > 0) {
        this.options.onWarning?.(
          `${long} text(s) may exceed the ${this.opts.numCtx}-token context of ${this.model}; ` +
            'the end of each is cut off when embedded',
        );
      }
      const vectors = await this.withRetry(() =>
        this.client.embed({
          model: this.model,
          input: batch,
          truncate: true,
          options: { num_ctx: this.opts.numCtx },
        }),
      );
      if (vectors.embeddings.length !== batch.length) {
        throw new EmbedError(
          'bad_response',
          `Ollama returned ${vectors.embeddings.length} vectors for ${batch.length} texts`,
        );
      }
      for (const e of vectors.embeddings) out.push(toUnitVector(e));
    }
    return out;
  }

  async probe(): Promise<void> {
    try {
      await this.client.version();
    } catch (error) {
      throw toEmbedError(error, this.model, this.options.host ?? DEFAULT_OLLAMA_HOST);
    }
  }

  /** Dimensions and context length from /api/show; EmbedError model_missing when not installed. */
  async describe(): Promise<{ dims: number | undefined; contextLength: number | undefined }> {
    const info = await this.withRetry(() => this.client.show({ model: this.model }));
    const entries = Object.entries((info.model_info ?? {}) as unknown as Record<string, unknown>);
    const find = (suffix: string) => {
      const value = entries.find(([k]) => k.endsWith(suffix))?.[1];
      return typeof value === 'number' ? value : undefined;
    };
    return { dims: find('.embedding_length'), contextLength: find('.context_length') };
  }

  private async withRetry<T>(call: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      if (this.options.signal?.aborted) throw new EmbedError('aborted', 'embedding was cancelled');
      try {
        return await call();
      } catch (error) {
        const mapped = toEmbedError(error, this.model, this.options.host ?? DEFAULT_OLLAMA_HOST);
        if (!mapped.transient || attempt >= this.opts.attempts) throw mapped;
        await sleep(this.opts.retryDelayMs * 2 ** (attempt - 1));
      }
    }
  }
}

function toEmbedError(error: unknown, model: string, host: string): EmbedError {
  if (error instanceof EmbedError) return error;
  const status = (error as { status_code?: unknown }).status_code;
  const message = error instanceof Error ? error.message : String(error);
  if (typeof status === 'number') {
    if (status === 404 && /not found/i.test(message)) {
      return new EmbedError(
        'model_missing',
        `the embedding model "${model}" is not installed in Ollama; pull it with ` +
          `\`creator-hub embed --pull\` or \`ollama pull ${model}\``,
      );
    }
    const transient = status >= 500 || status === 429 || status === 408;
    return new EmbedError(
      transient ? 'unreachable' : 'failed',
      `Ollama answered ${status}: ${message}`,
      transient,
    );
  }
  // fetch() failures: connection refused, reset, DNS; the server may come back.
  return new EmbedError('unreachable', `cannot reach Ollama at ${host} (${message})`, true);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface PullProgress {
  status: string;
  completed?: number;
  total?: number;
}

/** Downloads a model through the Ollama API, reporting each progress event. */
export async function pullModel(
  name: string,
  onProgress: (p: PullProgress) => void,
  options: { host?: string } = {},
): Promise<void> {
  const client = new Ollama({ host: options.host ?? DEFAULT_OLLAMA_HOST });
  try {
    const stream = await client.pull({ model: name, stream: true });
    for await (const event of stream) {
      onProgress({ status: event.status, completed: event.completed, total: event.total });
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new EmbedError('failed', `could not pull "${name}" through Ollama: ${message}`);
  }
}
