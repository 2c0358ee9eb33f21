import { Ollama } from 'ollama';

export interface ChatTurn {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface InstalledModel {
  name: string;
  sizeBytes: number;
  family: string;
  parameterSize: string;
}

export interface GenerateOptions {
  signal?: AbortSignal;
  /** Cap on generated tokens for this call; the model's configured cap otherwise. */
  numPredict?: number;
  temperature?: number;
}

/**
 * A chat language model. It only ever returns text: no tools are declared and nothing the model
 * says is executed, so a document that talks the model into "doing" something achieves nothing.
 */
export interface ChatModel {
  readonly model: string;
  /** Yields the reply piece by piece as the server streams it. Throws LlmError. */
  stream(turns: readonly ChatTurn[], options?: GenerateOptions): AsyncIterable<string>;
  /** The whole reply at once (for internal calls such as query rewriting). Throws LlmError. */
  complete(turns: readonly ChatTurn[], options?: GenerateOptions): Promise<string>;
  listModels(): Promise<InstalledModel[]>;
}

export type LlmErrorCode = 'unreachable' | 'model_missing' | 'timeout' | 'aborted' | 'failed';

export class LlmError extends Error {
  constructor(
    readonly code: LlmErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'LlmError';
  }
}

export interface OllamaChatConfig {
  host: string;
  model: string;
  /** Context window sent with every request, so a long prompt is never silently truncated. */
  numCtx: number;
  /** Generated-token cap sent with every request. */
  numPredict: number;
  /** Abort when the server sends nothing for this long (before the first piece or between pieces). */
  idleTimeoutMs: number;
  /** Abort a whole request after this long, however steadily it streams. */
  totalTimeoutMs: number;
  temperature?: number;
}

type AbortCause = 'aborted' | 'timeout';

/** One request's abort controller: the caller's signal, an idle timer and a total timer. */
function requestController(config: OllamaChatConfig, external?: AbortSignal) {
  const controller = new AbortController();
  let cause: AbortCause | undefined;
  const stop = (why: AbortCause) => {
    cause ??= why;
    controller.abort();
  };
  const onExternal = () => stop('aborted');
  if (external?.aborted) stop('aborted');
  external?.addEventListener('abort', onExternal, { once: true });
  let idle = setTimeout(() => stop('timeout'), config.idleTimeoutMs);
  const total = setTimeout(() => stop('timeout'), config.totalTimeoutMs);
  return {
    signal: controller.signal,
    cause: () => cause,
    touch() {
      clearTimeout(idle);
      idle = setTimeout(() => stop('timeout'), config.idleTimeoutMs);
    },
    /** Also ends the HTTP request when the consumer stopped reading before the reply ended. */
    dispose() {
      clearTimeout(idle);
      clearTimeout(total);
      external?.removeEventListener('abort', onExternal);
      controller.abort();
    },
  };
}

function toLlmError(error: unknown, cause: AbortCause | undefined, config: OllamaChatConfig) {
  if (error instanceof LlmError) return error;
  if (cause === 'aborted') return new LlmError('aborted', 'the answer was cancelled');
  if (cause === 'timeout') {
    return new LlmError('timeout', `the chat model did not answer within the time limit`);
  }
  const status = (error as { status_code?: unknown }).status_code;
  if (status === 404) {
    return new LlmError(
      'model_missing',
      `the chat model "${config.model}" is not installed in Ollama (run: ollama pull ${config.model})`,
    );
  }
  if (error instanceof TypeError) {
    return new LlmError('unreachable', `Ollama is not reachable at ${config.host}`);
  }
  const detail = error instanceof Error ? error.message : String(error);
  return new LlmError('failed', `the chat model failed: ${detail.slice(0, 200)}`);
}

export function createOllamaChatModel(config: OllamaChatConfig): ChatModel {
  const clientFor = (signal: AbortSignal) =>
    new Ollama({
      host: config.host,
      // The client has no per-request signal for every call; every fetch it makes carries ours.
      fetch: (input, init) =>
        fetch(input, {
          ...init,
          signal: init?.signal ? AbortSignal.any([init.signal, signal]) : signal,
        }),
    });

  const request = (turns: readonly ChatTurn[], options: GenerateOptions) => ({
    model: config.model,
    messages: turns.map((t) => ({ role: t.role, content: t.content })),
    options: {
      num_ctx: config.numCtx,
      num_predict: Math.min(options.numPredict ?? config.numPredict, config.numPredict),
      temperature: options.temperature ?? config.temperature ?? 0.2,
    },
  });

  async function* stream(turns: readonly ChatTurn[], options: GenerateOptions = {}) {
    const ctl = requestController(config, options.signal);
    try {
      const parts = await clientFor(ctl.signal).chat({
        ...request(turns, options),
        stream: true,
      });
      for await (const part of parts) {
        ctl.touch();
        if (part.message.content) yield part.message.content;
      }
    } catch (error) {
      throw toLlmError(error, ctl.cause(), config);
    } finally {
      ctl.dispose();
    }
  }

  return {
    model: config.model,
    stream,
    async complete(turns, options = {}) {
      let text = '';
      for await (const piece of stream(turns, options)) text += piece;
      return text;
    },
    async listModels() {
      const ctl = requestController(config);
      try {
        const { models } = await clientFor(ctl.signal).list();
        return models.map((m) => ({
          name: m.name,
          sizeBytes: m.size,
          family: m.details?.family ?? '',
          parameterSize: m.details?.parameter_size ?? '',
        }));
      } catch (error) {
        throw toLlmError(error, ctl.cause(), config);
      } finally {
        ctl.dispose();
      }
    },
  };
}
