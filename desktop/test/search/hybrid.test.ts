import { afterEach, describe, expect, it } from 'vitest';
import { embedderForFingerprint } from '../../src/core/embed/config';
import { OllamaEmbedder } from '../../src/core/embed/ollama';
import { embedPending } from '../../src/core/embed/pending';
import { createKnowledgeBase, findKnowledgeBase } from '../../src/core/knowledge/bases';
import { convexFusion, KEYWORD_WEIGHT } from '../../src/core/search/fuse';
import { search } from '../../src/core/search/search';
import { openWorkspace } from '../../src/core/workspace';
import { seedDocument } from '../helpers/chunks';
import { type FakeOllama, startFakeOllama } from '../helpers/fake-ollama';
import { tempDir } from '../helpers/tmp';

let fake: FakeOllama | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function setup() {
  fake = await startFakeOllama({ embedModels: { 'nomic-embed-text': 512 } });
  const ws = openWorkspace(tempDir());
  const main = findKnowledgeBase(ws.db);
  const other = createKnowledgeBase(ws.db, 'Other');
  const garden = seedDocument(ws.db, {
    kbId: main.id,
    title: 'Garden',
    chunks: [
      { text: 'Tomatoes need full sun and regular watering.', section: 'Vegetables', page: 3 },
      'Roses are pruned in late winter before new growth.',
      'Compost feeds the soil with worms and leaves.',
    ],
  });
  const kitchen = seedDocument(ws.db, {
    kbId: main.id,
    title: 'Kitchen',
    chunks: ['Roast tomatoes with garlic.', 'Bread dough rises overnight in a cool room.'],
  });
  const elsewhere = seedDocument(ws.db, {
    kbId: other.id,
    title: 'Elsewhere',
    chunks: ['Tomatoes grow well in the Spanish sun.'],
  });
  const provider = new OllamaEmbedder({ host: fake.url });
  expect((await embedPending(ws, { provider })).pending).toBe(0);
  const env = { OLLAMA_HOST: fake.url };
  return {
    ws,
    main,
    other,
    garden,
    kitchen,
    elsewhere,
    deps: { embedderFor: embedderForFingerprint(env) },
  };
}

describe('hybrid and vector search', () => {
  it('fuses keyword and vector ranks, with citation metadata', async () => {
    const { ws, main, garden, deps } = await setup();
    const hits = await search(ws, { query: 'tomatoes watering sun', kbId: main.id }, deps);
    expect(hits[0]).toMatchObject({
      documentId: garden.documentId,
      title: 'Garden',
      section: 'Vegetables',
      page: 3,
      keywordRank: 1,
      vectorRank: 1,
    });
    // First in both lists, with the best BM25 and the highest cosine: the full score.
    expect(hits[0]?.score).toBeCloseTo(1, 10);
    expect(hits.every((h, i) => i === 0 || (hits[i - 1]?.score ?? 0) >= h.score)).toBe(true);
    // The query was embedded with the query prefix.
    const embeds = fake?.requests.filter((r) => r.path === '/api/embed') ?? [];
    expect(embeds.at(-1)?.body.input).toEqual(['search_query: tomatoes watering sun']);
    ws.close();
  });

  it('vector mode ranks by cosine similarity and honours k', async () => {
    const { ws, deps } = await setup();
    const hits = await search(ws, { query: 'bread dough overnight', mode: 'vector', k: 2 }, deps);
    expect(hits).toHaveLength(2);
    expect(hits[0]?.text).toBe('Bread dough rises overnight in a cool room.');
    expect(hits[0]?.vectorRank).toBe(1);
    expect(hits[0]?.keywordRank).toBeUndefined();
    expect(hits[0]?.score).toBeGreaterThan(hits[1]?.score ?? 1);
    expect(hits[0]?.score).toBeLessThanOrEqual(1.0001);
    ws.close();
  });

  it('filters by knowledge base and document in every mode', async () => {
    const { ws, other, kitchen, deps } = await setup();
    for (const mode of ['hybrid', 'vector', 'keyword'] as const) {
      const inOther = await search(ws, { query: 'tomatoes sun', kbId: other.id, mode }, deps);
      expect(inOther.map((h) => h.title)).toEqual(['Elsewhere']);
      const inDoc = await search(
        ws,
        { query: 'tomatoes sun', documentId: kitchen.documentId, mode },
        deps,
      );
      expect(new Set(inDoc.map((h) => h.title))).toEqual(new Set(['Kitchen']));
    }
    const all = await search(ws, { query: 'tomatoes', mode: 'vector', k: 100 }, deps);
    expect(new Set(all.map((h) => h.title))).toEqual(new Set(['Garden', 'Kitchen', 'Elsewhere']));
    ws.close();
  });

  it('falls back to keywords, saying why, when the embedder is unreachable', async () => {
    const { ws, deps } = await setup();
    await fake?.close();
    fake = undefined;
    const notices: string[] = [];
    const hits = await search(
      ws,
      { query: 'roses winter', mode: 'vector' },
      { embedderFor: deps.embedderFor, onNotice: (n) => notices.push(n) },
    );
    expect(hits[0]?.text).toMatch(/^Roses/);
    expect(hits[0]?.keywordRank).toBe(1);
    expect(notices.join()).toMatch(/vector search skipped: cannot reach Ollama/);
    ws.close();
  });

  it('sees vectors added and removed after its in-memory index was built', async () => {
    const { ws, main, deps } = await setup();
    const query = { query: 'saffron harvest autumn', mode: 'vector' as const, k: 1 };
    expect((await search(ws, query, deps))[0]?.title).not.toBe('Spice');
    const spice = seedDocument(ws.db, {
      kbId: main.id,
      title: 'Spice',
      chunks: ['Saffron harvest happens in autumn.'],
    });
    const provider = new OllamaEmbedder({ host: fake?.url });
    expect(await embedPending(ws, { provider })).toEqual({ embedded: 1, pending: 0 });
    expect((await search(ws, query, deps))[0]?.title).toBe('Spice');
    ws.db.prepare('DELETE FROM documents WHERE id = ?').run(spice.documentId);
    expect((await search(ws, query, deps))[0]?.title).not.toBe('Spice');
    ws.close();
  });

  it('uses keywords only when no embedder is given', async () => {
    const { ws } = await setup();
    const hits = await search(ws, { query: 'compost worms' });
    expect(hits.map((h) => h.vectorRank)).toEqual([undefined]);
    ws.close();
  });

  it('survives hostile query strings in hybrid mode', async () => {
    const { ws, deps } = await setup();
    for (const q of ['"', 'NEAR(a b)', ')))', 'x'.repeat(20_000), '\u0000', '*']) {
      await expect(search(ws, { query: q }, deps)).resolves.toBeInstanceOf(Array);
    }
    ws.close();
  });

  it('returns nothing for an empty knowledge base', async () => {
    const { ws, deps } = await setup();
    const empty = createKnowledgeBase(ws.db, 'Empty');
    for (const mode of ['hybrid', 'vector', 'keyword'] as const) {
      expect(await search(ws, { query: 'tomatoes', kbId: empty.id, mode }, deps)).toEqual([]);
    }
    ws.close();
  });
});

describe('convex fusion', () => {
  const kw = (...pairs: [number, number][]) =>
    pairs.map(([chunkId, score]) => ({ chunkId, score }));
  const cosines = (pairs: [number, number][], model = 'm') =>
    new Map(pairs.map(([chunkId, score]) => [chunkId, { chunkId, score, model }]));

  it('combines BM25 over its best with min-max scaled cosine, over the union of both lists', () => {
    const keyword = kw([1, 10], [2, 5], [3, 2]);
    const vector = kw([4, 0.9], [2, 0.8]);
    const cosine = cosines([
      [1, 0.55],
      [2, 0.8],
      [3, 0.6],
      [4, 0.9],
    ]);
    const fused = convexFusion(keyword, vector, cosine, 0.6);
    const expected = (b: number, c: number) => 0.6 * b + 0.4 * ((c - 0.55) / 0.35);
    expect(fused.map((f) => f.chunkId)).toEqual([1, 2, 4, 3]);
    expect(fused[0]).toEqual({ chunkId: 1, score: expected(1, 0.55), keywordRank: 1 });
    expect(fused[1]?.score).toBeCloseTo(expected(0.5, 0.8), 12);
    expect(fused[1]).toMatchObject({ keywordRank: 2, vectorRank: 2 });
    expect(fused[2]?.score).toBeCloseTo(expected(0, 0.9), 12);
    expect(fused[2]).toMatchObject({ chunkId: 4, vectorRank: 1 });
    expect(fused[3]?.score).toBeCloseTo(expected(0.2, 0.6), 12);
    expect(convexFusion([], [], new Map())).toEqual([]);
  });

  it('weights the sides: keyword weight 1 keeps keyword order, 0 orders by cosine', () => {
    const keyword = kw([1, 3], [2, 2], [3, 1]);
    const cosine = cosines([
      [1, 0.1],
      [2, 0.9],
      [3, 0.5],
    ]);
    expect(convexFusion(keyword, [], cosine, 1).map((f) => f.chunkId)).toEqual([1, 2, 3]);
    expect(convexFusion(keyword, [], cosine, 0).map((f) => f.chunkId)).toEqual([2, 3, 1]);
    expect(convexFusion(keyword, [], cosine)).toEqual(
      convexFusion(keyword, [], cosine, KEYWORD_WEIGHT),
    );
  });

  it('gives a chunk without a vector the lowest cosine, and survives equal or missing cosines', () => {
    const keyword = kw([1, 4], [2, 4]);
    const withOne = convexFusion(keyword, [], cosines([[2, 0.3]]), 0.5);
    expect(withOne.map((f) => [f.chunkId, f.score])).toEqual([
      [1, 0.5],
      [2, 0.5],
    ]);
    const none = convexFusion(keyword, [], new Map(), 0.5);
    expect(none.every((f) => Number.isFinite(f.score))).toBe(true);
    const negative = convexFusion(kw([1, -2]), [], cosines([[1, 0.2]]), 0.5);
    expect(negative[0]?.score).toBe(0);
  });

  it("scales each embedding model's cosines over its own candidates", () => {
    // Model a's cosines live near 0.8, model b's near 0.2: each best gets the full vector share.
    const cosine = new Map([
      ...cosines(
        [
          [1, 0.81],
          [2, 0.79],
        ],
        'a',
      ),
      ...cosines(
        [
          [3, 0.25],
          [4, 0.15],
        ],
        'b',
      ),
    ]);
    const fused = convexFusion([], kw([1, 0.81], [2, 0.79], [3, 0.25], [4, 0.15]), cosine, 0.5);
    const score = new Map(fused.map((f) => [f.chunkId, f.score]));
    expect(score.get(1)).toBeCloseTo(0.5, 12);
    expect(score.get(3)).toBeCloseTo(0.5, 12);
    expect(score.get(2)).toBe(0);
    expect(score.get(4)).toBe(0);
  });
});
