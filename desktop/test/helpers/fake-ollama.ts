import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A fake Ollama HTTP server for tests: it speaks the real protocol (/api/embed, /api/chat NDJSON
 * streaming, /api/tags, /api/show, /api/pull, /api/version) so the app is driven through the real
 * `ollama` client. Embeddings are deterministic hashed bags of words, so texts sharing words are
 * close — enough for plumbing and ranking tests, never for quality claims.
 */

export interface ChatMessage {
  role: string;
  content: string;
}

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  stream?: boolean;
  format?: unknown;
  options?: Record<string, unknown>;
}

/** Returns the whole reply, or the pieces to stream one by one. */
export type ChatResponder = (
  request: ChatRequest,
) => string | string[] | Promise<string | string[]>;

export interface FakeOllamaOptions {
  /** Embedding models and their dimensions. Default: nomic-embed-text at 768. */
  embedModels?: Record<string, number>;
  /** Chat model names. Default: ['llama3.2:3b']. */
  chatModels?: string[];
  chat?: ChatResponder;
  /** Delay before each streamed chat piece, in ms. */
  pieceDelayMs?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  body: Record<string, unknown>;
  /** Streamed chat: pieces written before the reply ended or the client went away. */
  piecesSent?: number;
}

export interface FakeOllama {
  url: string;
  requests: RecordedRequest[];
  /** Answer the next `n` requests to /api/embed or /api/chat with HTTP `status`. */
  failNext(n: number, status?: number): void;
  /** Add or remove a model at run time (e.g. a model switch, or after a pull). */
  addEmbedModel(name: string, dims: number): void;
  removeModel(name: string): void;
  setChat(responder: ChatResponder): void;
  close(): Promise<void>;
}

const TOKEN = /[\p{L}\p{N}]+/gu;

/** Feature-hashed bag of words, L2-normalised. */
export function hashEmbedding(text: string, dims: number): number[] {
  const v = new Array<number>(dims).fill(0);
  for (const word of text.toLowerCase().match(TOKEN) ?? []) {
    const h = createHash('sha1').update(word).digest();
    const index = h.readUInt32LE(0) % dims;
    v[index] = (v[index] ?? 0) + ((h[4] ?? 0) & 1 ? 1 : -1);
  }
  const norm = Math.hypot(...v) || 1;
  return v.map((x) => x / norm);
}

const baseName = (model: string) => (model.includes(':') ? model : `${model}:latest`);

export async function startFakeOllama(options: FakeOllamaOptions = {}): Promise<FakeOllama> {
  const embedModels = new Map(
    Object.entries(options.embedModels ?? { 'nomic-embed-text': 768 }).map(([k, d]) => [
      baseName(k),
      d,
    ]),
  );
  const chatModels = new Set((options.chatModels ?? ['llama3.2:3b']).map(baseName));
  let chat: ChatResponder = options.chat ?? (() => 'I am a fake model.');
  let failures = { left: 0, status: 500 };
  const requests: RecordedRequest[] = [];

  const tagEntry = (name: string) => ({
    name,
    model: name,
    modified_at: '2026-01-01T00:00:00Z',
    size: 1000,
    digest: createHash('sha256').update(name).digest('hex'),
    details: { format: 'gguf', family: 'fake', parameter_size: '1B', quantization_level: 'Q4_0' },
  });

  const notFound = (res: ServerResponse, model: unknown) =>
    send(res, 404, { error: `model "${String(model)}" not found, try pulling it first` });

  async function handleChat(body: ChatRequest, res: ServerResponse, record: RecordedRequest) {
    if (!chatModels.has(baseName(body.model))) return notFound(res, body.model);
    const reply = await chat(body);
    const pieces = Array.isArray(reply) ? reply : (reply.match(/\S+\s*/g) ?? ['']);
    const base = () => ({ model: body.model, created_at: new Date().toISOString() });
    const final = {
      ...base(),
      message: { role: 'assistant', content: '' },
      done: true,
      done_reason: 'stop',
      total_duration: 1,
      prompt_eval_count: 1,
      eval_count: pieces.length,
    };
    if (body.stream === false) {
      return send(res, 200, { ...final, message: { role: 'assistant', content: pieces.join('') } });
    }
    res.writeHead(200, { 'Content-Type': 'application/x-ndjson' });
    record.piecesSent = 0;
    for (const piece of pieces) {
      if (res.destroyed) return;
      if (options.pieceDelayMs) await new Promise((r) => setTimeout(r, options.pieceDelayMs));
      if (res.destroyed) return;
      record.piecesSent += 1;
      res.write(
        `${JSON.stringify({ ...base(), message: { role: 'assistant', content: piece }, done: false })}\n`,
      );
    }
    res.end(`${JSON.stringify(final)}\n`);
  }

  function handleEmbed(body: { model: string; input: string | string[] }, res: ServerResponse) {
    const dims = embedModels.get(baseName(body.model));
    if (dims === undefined) return notFound(res, body.model);
    const inputs = Array.isArray(body.input) ? body.input : [body.input];
    send(res, 200, {
      model: body.model,
      embeddings: inputs.map((t) => hashEmbedding(String(t), dims)),
      total_duration: 1,
      prompt_eval_count: inputs.length,
    });
  }

  function handlePull(
    body: { model?: string; name?: string; stream?: boolean },
    res: ServerResponse,
  ) {
    const name = baseName(String(body.model ?? body.name));
    if (!name.startsWith('nomic-embed-text') && !chatModels.has(name) && !embedModels.has(name)) {
      return send(res, 500, { error: 'pull model manifest: file does not exist' });
    }
    if (!chatModels.has(name)) embedModels.set(name, embedModels.get(name) ?? 768);
    const steps = [
      { status: 'pulling manifest' },
      { status: 'pulling abc', digest: 'sha256:abc', total: 100, completed: 50 },
      { status: 'pulling abc', digest: 'sha256:abc', total: 100, completed: 100 },
      { status: 'verifying sha256 digest' },
      { status: 'success' },
    ];
    if (body.stream === false) return send(res, 200, { status: 'success' });
    res.writeHead(200, { 'Content-Type': 'application/x-ndjson' });
    res.end(
      steps
        .map((s) => JSON.stringify(s))
        .join('\n')
        .concat('\n'),
    );
  }

  async function route(req: IncomingMessage, res: ServerResponse) {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const body = req.method === 'POST' ? await readJson(req) : {};
    const record: RecordedRequest = { method: req.method ?? 'GET', path, body };
    requests.push(record);
    if ((path === '/api/embed' || path === '/api/chat') && failures.left > 0) {
      failures.left -= 1;
      return send(res, failures.status, { error: 'fake failure' });
    }
    switch (`${req.method} ${path}`) {
      case 'GET /':
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        return res.end('Ollama is running');
      case 'GET /api/version':
        return send(res, 200, { version: '0.9.0' });
      case 'GET /api/tags':
        return send(res, 200, { models: [...embedModels.keys(), ...chatModels].map(tagEntry) });
      case 'POST /api/show': {
        const name = baseName(String(body.model ?? body.name));
        const dims = embedModels.get(name);
        if (dims === undefined && !chatModels.has(name)) return notFound(res, body.model);
        return send(res, 200, {
          modelfile: '',
          parameters: '',
          template: '',
          details: tagEntry(name).details,
          model_info: dims
            ? {
                'general.architecture': 'nomic-bert',
                'nomic-bert.embedding_length': dims,
                'nomic-bert.context_length': 2048,
              }
            : { 'general.architecture': 'llama', 'llama.context_length': 8192 },
          capabilities: dims ? ['embedding'] : ['completion'],
        });
      }
      case 'POST /api/embed':
        return handleEmbed(body as { model: string; input: string[] }, res);
      case 'POST /api/chat':
        return handleChat(body as unknown as ChatRequest, res, record);
      case 'POST /api/pull':
        return handlePull(body, res);
      default:
        res.writeHead(404);
        return res.end('404 page not found');
    }
  }

  const server: Server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, { error: String(error) });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    failNext: (n, status = 500) => {
      failures = { left: n, status };
    },
    addEmbedModel: (name, dims) => embedModels.set(baseName(name), dims),
    removeModel: (name) => {
      embedModels.delete(baseName(name));
      chatModels.delete(baseName(name));
    },
    setChat: (responder) => {
      chat = responder;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function send(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}
