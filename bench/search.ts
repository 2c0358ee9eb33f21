import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { completeIfDone, ensureSpace } from '../desktop/src/core/embed/spaces';
import type { Embedder } from '../desktop/src/core/embed/types';
import { dot, toBlob } from '../desktop/src/core/embed/vectors';
import { findKnowledgeBase } from '../desktop/src/core/knowledge/bases';
import { search } from '../desktop/src/core/search/search';
import {
  type PrefilterDepth,
  prefilterDepth,
  vectorSearch,
} from '../desktop/src/core/search/vector';
import { openWorkspace } from '../desktop/src/core/workspace';
import { clusteredVectors, rng, timings } from './lib/vectors';

/**
 * Vector and hybrid search over one knowledge base of N chunks × 768-d (env BENCH_SEARCH_N,
 * default 100,000): the product path (sign-bit scan, sign estimate, exact rescoring) against exact
 * brute force in sqlite-vec and in plain JS, with recall@10 against the exact result.
 */
const N = Number(process.env.BENCH_SEARCH_N ?? 100_000);
const DIMS = 768;
const QUERIES = Number(process.env.BENCH_SEARCH_QUERIES ?? 100);
const K = 10;

const line = (o: Record<string, unknown>) =>
  process.stdout.write(`${JSON.stringify({ bench: 'search', n: N, dims: DIMS, k: K, ...o })}\n`);

/** CPU ms per query since `since`: on a shared, loaded machine wall time mostly measures waiting. */
const cpuMs = (since: NodeJS.CpuUsage): number => {
  const used = process.cpuUsage(since);
  return Math.round((used.user + used.system) / 10 / QUERIES) / 100;
};

const WORDS = Array.from({ length: 5000 }, (_, i) => `w${i.toString(36)}`);

export async function run(): Promise<void> {
  const home = mkdtempSync(join(tmpdir(), 'bench-search-'));
  const ws = openWorkspace(home);
  try {
    const { vectors, queries } = clusteredVectors(N, QUERIES, DIMS);
    const words = rng(7);
    const kb = findKnowledgeBase(ws.db);
    const space = ensureSpace(ws.db, kb.id, { provider: 'bench', model: 'random', dims: DIMS });
    const loadStarted = performance.now();
    const insertDoc = ws.db.prepare(
      `INSERT INTO documents (id, kb_id, title, source_path, format, content_hash, stored_name, byte_size)
       VALUES (?, ?, ?, ?, 'txt', ?, ?, 0)`,
    );
    const insertChunk = ws.db.prepare(
      'INSERT INTO chunks (id, document_id, ordinal, text, content_hash) VALUES (?, ?, ?, ?, ?)',
    );
    const insertVector = ws.db.prepare(
      'INSERT INTO chunk_vectors (space_id, chunk_id, vector) VALUES (?, ?, ?)',
    );
    const perDoc = 100;
    for (let start = 0; start < N; start += 5000) {
      ws.db.transaction(() => {
        for (let i = start; i < Math.min(N, start + 5000); i++) {
          if (i % perDoc === 0) {
            const id = `doc-${i / perDoc}`;
            insertDoc.run(id, kb.id, `Document ${i / perDoc}`, `/bench/${id}.txt`, id, id);
          }
          const text = Array.from(
            { length: 30 },
            () => WORDS[Math.floor(words() * WORDS.length)],
          ).join(' ');
          insertChunk.run(i + 1, `doc-${Math.floor(i / perDoc)}`, i % perDoc, text, String(i));
          insertVector.run(space.id, i + 1, toBlob(vectors[i] as Float32Array));
        }
      })();
    }
    completeIfDone(ws.db, space);
    line({ phase: 'load', seconds: Math.round((performance.now() - loadStarted) / 100) / 10 });

    // Exact answers and the plain-JS baseline.
    const exact: number[][] = [];
    const jsTimes: number[] = [];
    const jsCpu = process.cpuUsage();
    for (const q of queries) {
      const t = performance.now();
      const scored = vectors.map((v, i) => ({ id: i + 1, s: dot(q, v) }));
      scored.sort((a, b) => b.s - a.s);
      jsTimes.push(performance.now() - t);
      exact.push(scored.slice(0, K).map((x) => x.id));
    }
    line({
      method: 'plain-js-brute-force',
      ...timings(jsTimes),
      cpuMsPerQuery: cpuMs(jsCpu),
      recallAt10: 1,
    });

    // Exact brute force in sqlite-vec (float32, cosine) over the same vectors.
    ws.db.exec(
      `CREATE VIRTUAL TABLE bench_exact USING vec0 (embedding float[${DIMS}] distance_metric=cosine)`,
    );
    const insertExact = ws.db.prepare('INSERT INTO bench_exact (rowid, embedding) VALUES (?, ?)');
    ws.db.transaction(() => {
      for (const [i, v] of vectors.entries()) insertExact.run(BigInt(i + 1), toBlob(v));
    })();
    const knnExact = ws.db.prepare(
      'SELECT rowid FROM bench_exact WHERE embedding MATCH ? AND k = ?',
    );
    const vecTimes: number[] = [];
    let vecHits = 0;
    const vecCpu = process.cpuUsage();
    queries.forEach((q, qi) => {
      const t = performance.now();
      const ids = (knnExact.all(toBlob(q), K) as { rowid: number }[]).map((r) => r.rowid);
      vecTimes.push(performance.now() - t);
      vecHits += ids.filter((id) => exact[qi]?.includes(id)).length;
    });
    const vecExact = timings(vecTimes);
    line({
      method: 'sqlite-vec-exact-brute-force',
      ...vecExact,
      cpuMsPerQuery: cpuMs(vecCpu),
      recallAt10: vecHits / (QUERIES * K),
    });

    // The product: sign-bit stages + exact rescoring, at the default depth and around it.
    const productDefault = prefilterDepth(K);
    const depths: PrefilterDepth[] = [
      { scan: 400, rescore: 400 },
      { scan: 1000, rescore: 100 },
      { scan: 1000, rescore: 200 },
      productDefault,
      { scan: 4000, rescore: 300 },
    ];
    vectorSearch(ws.db, space, queries[0] as Float32Array, K); // builds the in-memory index once
    for (const depth of depths) {
      const times: number[] = [];
      let hits = 0;
      const cpu = process.cpuUsage();
      queries.forEach((q, qi) => {
        const t = performance.now();
        const ids = vectorSearch(ws.db, space, q, K, undefined, depth).map((c) => c.chunkId);
        times.push(performance.now() - t);
        hits += ids.filter((id) => exact[qi]?.includes(id)).length;
      });
      const figures = timings(times);
      line({
        method: 'sign-bits-then-exact-rescore',
        ...depth,
        productDefault: depth === productDefault,
        ...figures,
        cpuMsPerQuery: cpuMs(cpu),
        recallAt10: hits / (QUERIES * K),
        speedupVsSqliteVecExact: Math.round((vecExact.median / figures.median) * 10) / 10,
      });
    }

    // The whole hybrid search (FTS5 + vector + fusion + metadata), query vectors precomputed.
    const byText = new Map(
      queries.map((q, i) => [`w${i.toString(36)} w${(i * 7).toString(36)}`, q]),
    );
    const embedder: Embedder = {
      provider: 'bench',
      model: 'random',
      embed: async (texts) => texts.map((t) => byText.get(t) as Float32Array),
    };
    const hybridTimes: number[] = [];
    const hybridCpu = process.cpuUsage();
    for (const text of byText.keys()) {
      const t = performance.now();
      await search(ws, { query: text, kbId: kb.id, k: K }, { embedderFor: () => embedder });
      hybridTimes.push(performance.now() - t);
    }
    line({
      method: 'hybrid-search-end-to-end',
      ...timings(hybridTimes),
      cpuMsPerQuery: cpuMs(hybridCpu),
    });
    line({ phase: 'memory', peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024) });
  } finally {
    ws.close();
    rmSync(home, { recursive: true, force: true });
  }
}
