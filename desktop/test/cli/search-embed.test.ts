import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli';
import { type FakeOllama, startFakeOllama } from '../helpers/fake-ollama';
import { tempDir } from '../helpers/tmp';

let fake: FakeOllama | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

function docs(): string {
  const dir = tempDir();
  writeFileSync(
    join(dir, 'garden.md'),
    '# Garden\n\n## Tomatoes\n\nTomatoes need full sun and regular watering.\n\n## Roses\n\nRoses are pruned in late winter.\n',
  );
  writeFileSync(join(dir, 'bread.txt'), 'Bread dough rises overnight in a cool room.\n');
  return dir;
}

/** An address where nothing listens: a fake server that was started and closed. */
async function deadHost(): Promise<string> {
  const f = await startFakeOllama();
  await f.close();
  return f.url;
}

interface StatusLine {
  knowledgeBases: {
    name: string;
    pendingVectors: number;
    embedding: { provider: string; model: string; dims: number } | null;
  }[];
}

describe('creator-hub ingest + embed + search', () => {
  it('ingest embeds the new chunks before returning, with JSON progress lines', async () => {
    fake = await startFakeOllama({ embedModels: { 'nomic-embed-text': 256 } });
    const home = tempDir();
    const env = { OLLAMA_HOST: fake.url };
    const run = await cli(['ingest', docs(), '--json', '--home', home], env);
    expect(run.code).toBe(0);
    const lines = run.json<Record<string, unknown>>();
    const progress = lines.filter((l) => 'progress' in l).map((l) => l.progress);
    expect(progress[0]).toMatchObject({ phase: 'embed', done: 0 });
    const total = (progress[0] as { total: number }).total;
    expect(total).toBeGreaterThan(0);
    expect(progress.at(-1)).toEqual({ phase: 'embed', done: total, total });
    expect(lines.find((l) => 'embedding' in l)).toEqual({
      embedding: { embedded: total, pending: 0 },
    });
    expect(Object.keys(lines.at(-1) ?? {})).toEqual(['summary']);

    const status = (await cli(['status', '--json', '--home', home], env)).json<StatusLine>()[0];
    expect(status?.knowledgeBases[0]).toMatchObject({
      pendingVectors: 0,
      embedding: { provider: 'ollama', model: 'nomic-embed-text', dims: 256 },
    });

    const found = await cli(['search', 'tomatoes', 'watering', '--json', '--home', home], env);
    expect(found.code).toBe(0);
    const results = found.json<{ results: Record<string, unknown>[] }>()[0]?.results ?? [];
    expect(Object.keys(results[0] ?? {})).toEqual([
      'documentId',
      'title',
      'path',
      'section',
      'page',
      'text',
      'score',
    ]);
    expect(results[0]).toMatchObject({ title: 'Garden', section: 'Garden', page: null });
    expect(String(results[0]?.text)).toMatch(/Tomatoes need full sun/);
    const lastQuery = fake.requests.filter((r) => r.path === '/api/embed').at(-1);
    expect(lastQuery?.body.input).toEqual(['search_query: tomatoes watering']);

    const vector = await cli(
      ['search', 'bread dough', '--mode', 'vector', '--k', '1', '--json', '--home', home],
      env,
    );
    const v = vector.json<{ results: { text: string }[] }>()[0]?.results ?? [];
    expect(v).toHaveLength(1);
    expect(v[0]?.text).toMatch(/^Bread dough/);
  });

  it('ingest succeeds without an embedder; embed fills the vectors later', async () => {
    const home = tempDir();
    const offline = await cli(['ingest', docs(), '--home', home], {
      OLLAMA_HOST: await deadHost(),
    });
    expect(offline.code).toBe(0);
    expect(offline.stdout).toMatch(/2 ingested/);
    expect(offline.stderr).toMatch(/note: vectors are pending \(cannot reach Ollama/);
    const before = (await cli(['status', '--json', '--home', home])).json<StatusLine>()[0];
    const pending = before?.knowledgeBases[0]?.pendingVectors ?? 0;
    expect(pending).toBeGreaterThan(0);
    expect(before?.knowledgeBases[0]?.embedding).toBeNull();
    expect((await cli(['status', '--home', home])).stdout).toMatch(
      new RegExp(`${pending} waiting for vectors`),
    );
    // Keyword search works meanwhile.
    const keyword = await cli(['search', 'roses', '--home', home], {
      OLLAMA_HOST: await deadHost(),
    });
    expect(keyword.code).toBe(0);
    expect(keyword.stdout).toMatch(/^1\. Garden \(Garden\) +\[/m);
    expect(keyword.stdout).toMatch(/Roses are pruned/);

    fake = await startFakeOllama({ embedModels: { 'nomic-embed-text': 64 } });
    const env = { OLLAMA_HOST: fake.url };
    const filled = await cli(['embed', '--json', '--home', home], env);
    expect(filled.code).toBe(0);
    const lines = filled.json<Record<string, unknown>>();
    expect(lines.at(-1)).toEqual({ embedded: pending, pending: 0 });
    expect(lines.some((l) => 'progress' in l)).toBe(true);
    const after = (await cli(['status', '--json', '--home', home])).json<StatusLine>()[0];
    expect(after?.knowledgeBases[0]?.pendingVectors).toBe(0);
  });

  it('embed reports a missing model, and --pull downloads it with progress', async () => {
    fake = await startFakeOllama({ embedModels: {} });
    const home = tempDir();
    const env = { OLLAMA_HOST: fake.url };
    await cli(['ingest', docs(), '--home', home, '--embed-provider', 'none'], env);
    const missing = await cli(['embed', '--json', '--home', home], env);
    expect(missing.code).toBe(1);
    expect(missing.json<Record<string, unknown>>().at(-1)).toMatchObject({
      embedded: 0,
      error: { code: 'model_missing' },
    });
    expect(missing.stderr).toMatch(
      /not installed in Ollama; pull it with `creator-hub embed --pull`/,
    );

    const pulled = await cli(['embed', '--pull', '--json', '--home', home], env);
    expect(pulled.code).toBe(0);
    const lines = pulled.json<{ progress?: { phase: string; status?: string } }>();
    expect(lines.filter((l) => l.progress?.phase === 'pull').at(-1)?.progress?.status).toBe(
      'success',
    );
    expect(lines.at(-1)).toMatchObject({ pending: 0 });
  });

  it('embed --embed-model switches the model of a knowledge base', async () => {
    fake = await startFakeOllama({ embedModels: { 'nomic-embed-text': 64, 'all-minilm': 32 } });
    const home = tempDir();
    const env = { OLLAMA_HOST: fake.url };
    await cli(['ingest', docs(), '--home', home], env);
    const run = await cli(
      ['embed', '--embed-model', 'all-minilm', '--kb', 'Default', '--home', home],
      env,
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/chunks embedded, 0 still pending/);
    const status = (await cli(['status', '--json', '--home', home])).json<StatusLine>()[0];
    expect(status?.knowledgeBases[0]?.embedding).toEqual({
      provider: 'ollama',
      model: 'all-minilm',
      dims: 32,
    });
  });

  it('rejects bad search options and survives hostile queries', async () => {
    const home = tempDir();
    await cli(['ingest', docs(), '--home', home, '--embed-provider', 'none']);
    const badMode = await cli(['search', 'x', '--mode', 'fuzzy', '--home', home]);
    expect(badMode.code).toBe(1);
    expect(badMode.stderr).toMatch(/--mode must be one of hybrid, keyword, vector/);
    expect((await cli(['search', 'x', '--k', '0', '--home', home])).code).toBe(1);
    expect((await cli(['search', 'x', '--kb', 'Nope', '--home', home])).stderr).toMatch(
      /no knowledge base named "Nope"/,
    );
    for (const q of ['"', 'NEAR(', '(((', '*:*', '\u0000', '^ ~ +']) {
      const r = await cli(['search', q, '--mode', 'keyword', '--json', '--home', home]);
      expect(r.code).toBe(0);
      expect(r.json<{ results: unknown[] }>()[0]?.results).toEqual([]);
    }
    const none = await cli(['search', 'zebra', '--home', home]);
    expect(none.stdout).toBe('No results.\n');
  });
});
