import { createServer as createHttpServer, type ServerResponse } from 'node:http';
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { chatConfigFromEnv, normaliseHost } from '../../src/core/chat/config';
import {
  type ChatModel,
  createOllamaChatModel,
  LlmError,
  type OllamaChatConfig,
} from '../../src/core/chat/llm';
import { type FakeOllama, startFakeOllama } from '../helpers/fake-ollama';

const servers: FakeOllama[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

async function fake(options: Parameters<typeof startFakeOllama>[0] = {}) {
  const server = await startFakeOllama(options);
  servers.push(server);
  return server;
}

const config = (host: string, over: Partial<OllamaChatConfig> = {}): OllamaChatConfig => ({
  host,
  model: 'llama3.2:3b',
  numCtx: 8192,
  numPredict: 500,
  idleTimeoutMs: 5000,
  totalTimeoutMs: 10_000,
  ...over,
});

const user = [{ role: 'user' as const, content: 'hello' }];

async function collect(model: ChatModel, signal?: AbortSignal) {
  const pieces: string[] = [];
  for await (const piece of model.stream(user, { signal })) pieces.push(piece);
  return pieces;
}

async function expectLlmError(promise: Promise<unknown>, code: string) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LlmError);
  expect((error as LlmError).code).toBe(code);
}

/** A port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

describe('Ollama chat model', () => {
  it('streams the reply piece by piece through the real client', async () => {
    const server = await fake({ chat: () => ['The ', 'river ', 'is ', 'long.'] });
    const pieces = await collect(createOllamaChatModel(config(server.url)));
    expect(pieces).toEqual(['The ', 'river ', 'is ', 'long.']);
  });

  it('always sends num_ctx and a num_predict cap, and declares no tools', async () => {
    const server = await fake({ chat: () => 'ok' });
    const model = createOllamaChatModel(config(server.url, { numCtx: 4096, numPredict: 300 }));
    await model.complete(user, { numPredict: 9999 });
    await model.complete(user, { numPredict: 50 });
    const bodies = server.requests.filter((r) => r.path === '/api/chat').map((r) => r.body);
    expect(bodies.map((b) => b.options)).toMatchObject([
      { num_ctx: 4096, num_predict: 300 },
      { num_ctx: 4096, num_predict: 50 },
    ]);
    for (const body of bodies) {
      expect(body).not.toHaveProperty('tools');
      expect(body.stream).toBe(true);
    }
  });

  it('hands over the first piece while the server is still streaming', async () => {
    const pieces = Array.from({ length: 40 }, (_, i) => `w${i} `);
    const server = await fake({ chat: () => pieces, pieceDelayMs: 25 });
    const model = createOllamaChatModel(config(server.url));
    const iterator = model.stream(user)[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(first.value).toBe('w0 ');
    const record = server.requests.find((r) => r.path === '/api/chat');
    expect(record?.piecesSent).toBeLessThan(pieces.length);
    // A consumer that stops reading ends the request: the server stops sending.
    await iterator.return?.();
    await new Promise((r) => setTimeout(r, 500));
    expect(record?.piecesSent).toBeLessThan(10);
  });

  it('cancels mid-stream: the request stops and the server stops sending', async () => {
    const pieces = Array.from({ length: 60 }, (_, i) => `w${i} `);
    const server = await fake({ chat: () => pieces, pieceDelayMs: 20 });
    const model = createOllamaChatModel(config(server.url));
    const controller = new AbortController();
    const received: string[] = [];
    const run = (async () => {
      for await (const piece of model.stream(user, { signal: controller.signal })) {
        received.push(piece);
        if (received.length === 3) controller.abort();
      }
    })();
    await expectLlmError(run, 'aborted');
    await new Promise((r) => setTimeout(r, 150));
    const record = server.requests.find((r) => r.path === '/api/chat');
    expect(received).toHaveLength(3);
    expect(record?.piecesSent).toBeLessThan(20);
  });

  it('gives up with a timeout when the server goes silent', async () => {
    const server = await fake({ chat: () => new Promise<string>(() => {}) });
    const model = createOllamaChatModel(config(server.url, { idleTimeoutMs: 150 }));
    await expectLlmError(collect(model), 'timeout');
  });

  it('reports an unreachable server, a missing model and a server error distinctly', async () => {
    const down = createOllamaChatModel(config(`http://127.0.0.1:${await closedPort()}`));
    await expectLlmError(collect(down), 'unreachable');
    await expectLlmError(down.listModels(), 'unreachable');

    const server = await fake();
    const missing = createOllamaChatModel(config(server.url, { model: 'nope:1b' }));
    await expectLlmError(collect(missing), 'model_missing');

    server.failNext(1, 500);
    await expectLlmError(collect(createOllamaChatModel(config(server.url))), 'failed');
  });

  it('fails cleanly on a malformed, truncated, erroring or endless stream', async () => {
    const replies: Record<string, (res: ServerResponse) => void> = {
      garbage: (res) => res.end('this is not json\n{"also": broken\n'),
      truncated: (res) =>
        res.end(
          `${JSON.stringify({ message: { role: 'assistant', content: 'half' }, done: false })}\n`,
        ),
      error: (res) => res.end(`${JSON.stringify({ error: 'model crashed' })}\n`),
      endless: (res) => {
        const piece = `${JSON.stringify({ message: { role: 'assistant', content: 'x' }, done: false })}\n`;
        const timer = setInterval(() => res.write(piece), 5);
        res.on('close', () => clearInterval(timer));
      },
    };
    let reply = 'garbage';
    const server = createHttpServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/x-ndjson' });
      replies[reply]?.(res);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const address = server.address();
    const host = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    try {
      for (const [name, code] of [
        ['garbage', 'failed'],
        ['truncated', 'failed'],
        ['error', 'failed'],
        ['endless', 'timeout'],
      ] as const) {
        reply = name;
        const model = createOllamaChatModel(config(host, { totalTimeoutMs: 300 }));
        await expectLlmError(collect(model), code);
      }
    } finally {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('lists installed models', async () => {
    const server = await fake({ chatModels: ['llama3.2:3b', 'qwen2.5:7b'] });
    const names = (await createOllamaChatModel(config(server.url)).listModels()).map((m) => m.name);
    expect(names).toEqual(expect.arrayContaining(['llama3.2:3b', 'qwen2.5:7b']));
  });
});

describe('chat configuration', () => {
  it('reads the model from CREATOR_HUB_CHAT_MODEL with a default, and validates numbers', () => {
    expect(chatConfigFromEnv({}).model).toBe('llama3.2:3b');
    expect(chatConfigFromEnv({ CREATOR_HUB_CHAT_MODEL: 'qwen2.5:7b' }).model).toBe('qwen2.5:7b');
    expect(chatConfigFromEnv({ CREATOR_HUB_CHAT_NUM_CTX: '4096' }).numCtx).toBe(4096);
    expect(() => chatConfigFromEnv({ CREATOR_HUB_CHAT_NUM_PREDICT: '-3' })).toThrow(/positive/);
    expect(() => chatConfigFromEnv({ CREATOR_HUB_CHAT_TIMEOUT_MS: '1e99x' })).toThrow(/positive/);
  });

  it('follows the Ollama host conventions', () => {
    expect(normaliseHost('localhost')).toBe('http://localhost:11434');
    expect(normaliseHost('127.0.0.1:11435')).toBe('http://127.0.0.1:11435');
    expect(normaliseHost('http://box:8080/')).toBe('http://box:8080');
  });
});
