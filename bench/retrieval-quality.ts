import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ollama } from 'ollama';
import { OllamaEmbedder, ollamaHost } from '../desktop/src/core/embed/ollama';
import { embedPending } from '../desktop/src/core/embed/pending';
import { servingSpace } from '../desktop/src/core/embed/spaces';
import type { Embedder, EmbedTask } from '../desktop/src/core/embed/types';
import { type ChunkingOptions, DEFAULT_CHUNKING } from '../desktop/src/core/ingest/chunk';
import type { Chunk } from '../desktop/src/core/ingest/types';
import { findKnowledgeBase } from '../desktop/src/core/knowledge/bases';
import { convexFusion, KEYWORD_WEIGHT, type ModelCosine } from '../desktop/src/core/search/fuse';
import { search } from '../desktop/src/core/search/search';
import type { SearchHit, SearchMode } from '../desktop/src/core/search/types';
import { exactScores } from '../desktop/src/core/search/vector';
import { openWorkspace, type Workspace } from '../desktop/src/core/workspace';
import {
  firstHit,
  fixedChunks,
  loadArticles,
  loadQuestions,
  type Question,
  storeArticles,
  structuredChunks,
  subsample,
  summarize,
} from './lib/squad';

/**
 * Retrieval quality on the SQuAD dev subset with a real embedding model served at OLLAMA_HOST
 * (e.g. tools/ollama-compat). Env: BENCH_QUALITY_QUESTIONS (default all 1,000),
 * BENCH_QUALITY_CONFIGS (comma-separated names below; default: naive and the chunker default),
 * BENCH_QUALITY_ARTICLES (first n articles only).
 */
const MODEL = process.env.CREATOR_HUB_EMBED_MODEL ?? 'nomic-embed-text';

interface Config {
  name: string;
  chunker: (text: string) => Chunk[];
  /** Whether titles/sections are stored (and so prefixed to the embedded text). */
  titles: boolean;
  modes: SearchMode[];
}

const structured = (name: string, o: Partial<ChunkingOptions>): Config => ({
  name,
  chunker: (t) => structuredChunks(t, { ...DEFAULT_CHUNKING, ...o }),
  titles: true,
  modes: ['keyword', 'vector', 'hybrid'],
});

const CONFIGS: Config[] = [
  {
    name: 'naive-1000-20',
    chunker: (t) => fixedChunks(t, 1000, 20),
    titles: false,
    modes: ['vector'],
  },
  structured('default', {}),
  structured('s500-o100', { targetChars: 500, maxChars: 800, overlapChars: 100, minChars: 150 }),
  structured('s700-o100', { targetChars: 700, maxChars: 1100, overlapChars: 100, minChars: 200 }),
  structured('s1000-o150', { targetChars: 1000, maxChars: 1600, overlapChars: 150, minChars: 300 }),
  structured('s1000-o0', { targetChars: 1000, maxChars: 1600, overlapChars: 0, minChars: 300 }),
  structured('s1500-o200', { targetChars: 1500, maxChars: 2400, overlapChars: 200, minChars: 400 }),
];

const line = (o: Record<string, unknown>) =>
  process.stdout.write(`${JSON.stringify({ bench: 'retrieval-quality', ...o })}\n`);

/** Embeds all questions in one go, then answers query embeddings from memory. */
class QueryCache implements Embedder {
  readonly provider = 'ollama';
  readonly model = MODEL;
  private readonly vectors = new Map<string, Float32Array>();
  constructor(private readonly inner: Embedder) {}
  async warm(texts: string[]) {
    const vs = await this.inner.embed(texts, 'query');
    for (const [i, t] of texts.entries()) this.vectors.set(t, vs[i] as Float32Array);
  }
  async embed(texts: readonly string[], task: EmbedTask): Promise<Float32Array[]> {
    const missing = texts.filter((t) => !this.vectors.has(t));
    if (missing.length > 0) await this.warm(missing);
    if (task !== 'query') return this.inner.embed(texts, task);
    return texts.map((t) => this.vectors.get(t) as Float32Array);
  }
}

export async function run(): Promise<void> {
  const host = ollamaHost();
  try {
    await new Ollama({ host }).show({ model: MODEL });
  } catch (error) {
    line({
      skipped: `no embedding server with "${MODEL}" at ${host} (${error instanceof Error ? error.message : String(error)}); start tools/ollama-compat and set OLLAMA_HOST`,
    });
    return;
  }
  // BENCH_QUALITY_ARTICLES limits the corpus (and the questions) for a quick check.
  const articles = loadArticles().slice(0, Number(process.env.BENCH_QUALITY_ARTICLES ?? 1000));
  const files = new Set(articles.map((a) => a.file));
  const questions = subsample(
    loadQuestions().filter((q) => files.has(q.gold_file)),
    Number(process.env.BENCH_QUALITY_QUESTIONS ?? 1000),
  );
  const wanted = (process.env.BENCH_QUALITY_CONFIGS ?? 'naive-1000-20,default').split(',');
  const embedder = new OllamaEmbedder({ host, model: MODEL, batchSize: 32 });
  const queries = new QueryCache(embedder);
  await queries.warm(questions.map((q) => q.question));
  for (const config of CONFIGS.filter((c) => wanted.includes(c.name))) {
    await evaluate(config, articles, questions, embedder, queries);
  }
}

async function evaluate(
  config: Config,
  articles: ReturnType<typeof loadArticles>,
  questions: Question[],
  embedder: Embedder,
  queries: QueryCache,
) {
  const home = mkdtempSync(join(tmpdir(), 'bench-quality-'));
  const ws = openWorkspace(home);
  try {
    const kb = findKnowledgeBase(ws.db);
    const chunks = storeArticles(ws.db, kb.id, articles, config.chunker, config.titles);
    const started = performance.now();
    const result = await embedPending(ws, { provider: embedder, batchSize: 32 });
    if (result.error) throw result.error;
    const embedSeconds = (performance.now() - started) / 1000;
    const byMode: Record<string, unknown> = {};
    for (const mode of config.modes) {
      const ranks: (number | undefined)[] = [];
      for (const q of questions) {
        const hits = await search(
          ws,
          { query: q.question, mode, k: 10 },
          { embedderFor: () => queries },
        );
        ranks.push(firstHit(hits, q));
      }
      byMode[mode] = { all: summarize(ranks), ...bySplit(questions, ranks) };
    }
    if (config.modes.includes('hybrid')) await fusionSweep(ws, questions, queries);
    line({
      config: config.name,
      model: MODEL,
      chunks,
      avgChunkChars: Math.round(articles.reduce((s, a) => s + a.text.length, 0) / chunks),
      embedSeconds: Math.round(embedSeconds),
      ...byMode,
    });
  } finally {
    ws.close();
    rmSync(home, { recursive: true, force: true });
  }
}

/**
 * The tuning split: questions on even-numbered articles (in file order) tune, the others are held
 * out, so a weight chosen on one half is judged on questions about articles it never saw.
 */
function bySplit(questions: Question[], ranks: (number | undefined)[]) {
  const articles = [...new Set(questions.map((q) => q.gold_file))].sort();
  const tuning = new Set(articles.filter((_, i) => i % 2 === 0));
  const pick = (inTuning: boolean) =>
    ranks.filter((_, i) => tuning.has((questions[i] as Question).gold_file) === inTuning);
  return { tune: summarize(pick(true)), heldOut: summarize(pick(false)) };
}

/** The product's fusion of the same keyword (50) and vector (10) lists, over keyword weights. */
async function fusionSweep(ws: Workspace, questions: Question[], queries: QueryCache) {
  const kb = findKnowledgeBase(ws.db);
  const space = servingSpace(ws.db, kb.id);
  if (!space) throw new Error('no serving space after embedding');
  const deps = { embedderFor: () => queries };
  const lists: { keyword: SearchHit[]; vector: SearchHit[]; cosine: Map<number, ModelCosine> }[] =
    [];
  for (const q of questions) {
    const keyword = await search(ws, { query: q.question, mode: 'keyword', k: 50 }, deps);
    const vector = await search(ws, { query: q.question, mode: 'vector', k: 10 }, deps);
    const [queryVector] = await queries.embed([q.question], 'query');
    const ids = [...keyword, ...vector].map((h) => h.chunkId);
    const scores = exactScores(ws.db, space, queryVector as Float32Array, ids);
    lists.push({
      keyword,
      vector,
      cosine: new Map(scores.map((c) => [c.chunkId, { ...c, model: MODEL }])),
    });
  }
  for (const weight of [1, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0]) {
    const ranks = questions.map((q, i) => {
      const { keyword, vector, cosine } = lists[i] as (typeof lists)[number];
      const byId = new Map([...keyword, ...vector].map((h) => [h.chunkId, h]));
      const fused = convexFusion(keyword, vector, cosine, weight);
      return firstHit(
        fused.slice(0, 10).map((f) => byId.get(f.chunkId) as SearchHit),
        q,
      );
    });
    line({
      fusionSweep: { keywordWeight: weight, shipped: weight === KEYWORD_WEIGHT },
      all: summarize(ranks),
      ...bySplit(questions, ranks),
    });
  }
}
