import { afterEach, describe, expect, it } from 'vitest';
import { OllamaEmbedder, ollamaHost, pullModel, taskPrefix } from '../../src/core/embed/ollama';
import { EmbedError } from '../../src/core/embed/types';
import { type FakeOllama, startFakeOllama } from '../helpers/fake-ollama';

let fake: FakeOllama | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const embedBodies = (f: FakeOllama) =>
  f.requests.filter((r) => r.path === '/api/embed').map((r) => r.body);

describe('Ollama embedder through the real client', () => {
  it('sends the nomic task prefixes, truncation and an explicit context size', async () => {
    fake = await startFakeOllama();
    const embedder = new OllamaEmbedder({ host: fake.url, numCtx: 1024 });
    const [doc] = await embedder.embed(['red apples'], 'document');
    const [query] = await embedder.embed(['red apples'], 'query');
    const bodies = embedBodies(fake);
    expect(bodies.map((b) => b.input)).toEqual([
      ['search_document: red apples'],
      ['search_query: red apples'],
    ]);
    expect(bodies[0]).toMatchObject({ model: 'nomic-embed-text', truncate: true });
    expect(bodies[0]?.options).toEqual({ num_ctx: 1024 });
    expect(doc).toBeInstanceOf(Float32Array);
    expect(doc).toHaveLength(768);
    const norm = Math.hypot(...(doc ?? []));
    expect(norm).toBeCloseTo(1, 5);
    expect(query).toHaveLength(768);
  });

  it('adds no prefix for models that do not use one', () => {
    expect(taskPrefix('all-minilm', 'query')).toBe('');
    expect(taskPrefix('nomic-embed-text:v1.5', 'document')).toBe('search_document: ');
    expect(taskPrefix('mxbai-embed-large', 'query')).toMatch(/^Represent this sentence/);
  });

  it('batches texts into requests of batchSize, keeping order', async () => {
    fake = await startFakeOllama({ embedModels: { 'nomic-embed-text': 16 } });
    const embedder = new OllamaEmbedder({ host: fake.url, batchSize: 4 });
    const texts = Array.from({ length: 10 }, (_, i) => `text number ${i}`);
    const vectors = await embedder.embed(texts, 'document');
    expect(embedBodies(fake).map((b) => (b.input as string[]).length)).toEqual([4, 4, 2]);
    const again = await embedder.embed([texts[7] as string], 'document');
    expect([...(vectors[7] ?? [])]).toEqual([...(again[0] ?? [])]);
  });

  it('warns when a text may exceed the context window', async () => {
    fake = await startFakeOllama({ embedModels: { 'nomic-embed-text': 8 } });
    const warnings: string[] = [];
    const embedder = new OllamaEmbedder({
      host: fake.url,
      numCtx: 100,
      onWarning: (w) => warnings.push(w),
    });
    await embedder.embed(['short'], 'document');
    expect(warnings).toEqual([]);
    await embedder.embed(['word '.repeat(200), 'short'], 'document');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/1 text\(s\) may exceed the 100-token context/);
  });

  it('reports a missing model clearly, and pulls it with progress', async () => {
    fake = await startFakeOllama({ embedModels: {} });
    const embedder = new OllamaEmbedder({ host: fake.url });
    const error = await embedder.embed(['x'], 'document').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EmbedError);
    expect(error).toMatchObject({ code: 'model_missing', transient: false });
    expect((error as Error).message).toMatch(/"nomic-embed-text" is not installed/);
    expect(embedBodies(fake)).toHaveLength(1);
    await expect(embedder.describe()).rejects.toMatchObject({ code: 'model_missing' });

    const progress: { status: string; completed?: number; total?: number }[] = [];
    await pullModel('nomic-embed-text', (p) => progress.push(p), { host: fake.url });
    expect(progress[0]?.status).toBe('pulling manifest');
    expect(progress.some((p) => p.completed === 50 && p.total === 100)).toBe(true);
    expect(progress.at(-1)?.status).toBe('success');
    expect(await embedder.embed(['x'], 'document')).toHaveLength(1);
    expect((await embedder.describe()).dims).toBe(768);
  });

  it('fails a pull of an unknown model with a sentence', async () => {
    fake = await startFakeOllama();
    await expect(pullModel('no-such-model', () => {}, { host: fake.url })).rejects.toMatchObject({
      code: 'failed',
      message: expect.stringMatching(/could not pull "no-such-model"/),
    });
  });

  it('retries transient failures with backoff, then gives up with an unreachable error', async () => {
    fake = await startFakeOllama({ embedModels: { 'nomic-embed-text': 8 } });
    const embedder = new OllamaEmbedder({ host: fake.url, attempts: 3, retryDelayMs: 1 });
    fake.failNext(2, 503);
    expect(await embedder.embed(['a'], 'document')).toHaveLength(1);
    expect(embedBodies(fake)).toHaveLength(3);
    fake.failNext(3, 500);
    await expect(embedder.embed(['a'], 'document')).rejects.toMatchObject({
      code: 'unreachable',
      transient: true,
    });
    expect(embedBodies(fake)).toHaveLength(6);
    fake.failNext(1, 400);
    await expect(embedder.embed(['a'], 'document')).rejects.toMatchObject({ code: 'failed' });
    expect(embedBodies(fake)).toHaveLength(7);
  });

  it('reports a server that is not running as unreachable', async () => {
    fake = await startFakeOllama();
    const url = fake.url;
    await fake.close();
    fake = undefined;
    const embedder = new OllamaEmbedder({ host: url, attempts: 2, retryDelayMs: 1 });
    const error = await embedder.embed(['a'], 'query').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'unreachable' });
    expect((error as Error).message).toContain(url);
  });

  it('reads OLLAMA_HOST like the Ollama CLI does', () => {
    expect(ollamaHost({})).toBe('http://127.0.0.1:11434');
    expect(ollamaHost({ OLLAMA_HOST: '127.0.0.1:11435' })).toBe('http://127.0.0.1:11435');
    expect(ollamaHost({ OLLAMA_HOST: 'localhost' })).toBe('http://localhost:11434');
    expect(ollamaHost({ OLLAMA_HOST: 'http://10.0.0.2:8080/' })).toBe('http://10.0.0.2:8080');
  });
});
