import { describe, expect, it } from 'vitest';
import { completeIfDone, ensureSpace, padForStorage } from '../../src/core/embed/spaces';
import { dot, toBlob, toUnitVector } from '../../src/core/embed/vectors';
import { findKnowledgeBase } from '../../src/core/knowledge/bases';
import { approximateNearest, signWords } from '../../src/core/search/binary-index';
import { exactScores, type PrefilterDepth, vectorSearch } from '../../src/core/search/vector';
import { openWorkspace } from '../../src/core/workspace';
import { seedDocument } from '../helpers/chunks';
import { seededRandom } from '../helpers/seeded-random';
import { tempDir } from '../helpers/tmp';

/** Unit vectors around `clusters` random centres, like embeddings of documents on a few topics. */
function clustered(count: number, dims: number, clusters: number, seed: number): Float32Array[] {
  const next = seededRandom(seed);
  const centres = Array.from({ length: clusters }, () =>
    Float32Array.from({ length: dims }, () => next() - 0.5),
  );
  return Array.from({ length: count }, () => {
    const c = centres[Math.floor(next() * clusters)] as Float32Array;
    return toUnitVector(c.map((x) => x + (next() - 0.5) * 0.8));
  });
}

function spaceWith(vectors: Float32Array[]) {
  const ws = openWorkspace(tempDir());
  const kb = findKnowledgeBase(ws.db);
  const dims = vectors[0]?.length ?? 0;
  const space = ensureSpace(ws.db, kb.id, { provider: 'test', model: 'clustered', dims });
  const { chunkIds, documentId } = seedDocument(ws.db, {
    kbId: kb.id,
    title: 'Vectors',
    chunks: vectors.map((_, i) => `chunk ${i}`),
  });
  const insert = ws.db.prepare(
    'INSERT INTO chunk_vectors (space_id, chunk_id, vector) VALUES (?, ?, ?)',
  );
  ws.db.transaction(() => {
    chunkIds.forEach((id, i) => {
      insert.run(space.id, id, toBlob(padForStorage(vectors[i] as Float32Array)));
    });
  })();
  completeIfDone(ws.db, space);
  return { ws, space, chunkIds, documentId };
}

const exactTop = (vectors: Float32Array[], ids: number[], q: Float32Array, k: number) =>
  vectors
    .map((v, i) => ({ id: ids[i] as number, s: dot(q, v) }))
    .sort((a, b) => b.s - a.s || a.id - b.id)
    .slice(0, k)
    .map((x) => x.id);

describe('vector search', () => {
  it('packs sign bits exactly as vec_quantize_binary stores them, for any width', () => {
    const { ws } = spaceWith(clustered(2, 8, 1, 1));
    const next = seededRandom(3);
    for (const dims of [8, 40, 104, 768]) {
      const v = Float32Array.from({ length: dims }, () => next() - 0.5);
      v[0] = 0; // zero is not positive
      const sql = ws.db.prepare('SELECT vec_quantize_binary(?) AS b').get(toBlob(v)) as {
        b: Buffer;
      };
      const words = signWords(v);
      const bytes = Buffer.from(words.buffer).subarray(0, dims / 8);
      expect(bytes.equals(sql.b)).toBe(true);
    }
    ws.close();
  });

  it('orders candidates by the asymmetric estimate q · sign(v)', () => {
    const vectors = clustered(300, 100, 5, 7);
    const { ws, space, chunkIds } = spaceWith(vectors);
    const q = padForStorage(clustered(1, 100, 1, 11)[0] as Float32Array);
    const estimate = (v: Float32Array) =>
      v.reduce((s, x, i) => s + (q[i] ?? 0) * (x > 0 ? 1 : -1), 0);
    const expected = vectors
      .map((v, i) => ({ id: chunkIds[i] as number, s: estimate(v) }))
      .sort((a, b) => b.s - a.s)
      .map((x) => x.id);
    const got = approximateNearest(ws.db, space, q, 300, 300);
    expect(got).toHaveLength(300);
    // Float32 table sums can swap near-ties; the order must match everywhere else.
    const positions = new Map(expected.map((id, i) => [id, i]));
    const displaced = got.filter((id, i) => Math.abs((positions.get(id) as number) - i) > 1);
    expect(displaced).toEqual([]);
    ws.close();
  });

  it('keeps recall@10 against exact search at or above 0.95, and reflects deletions', () => {
    // Depths scaled down with the set: 10% of the codes scanned, 2% rescored exactly.
    const vectors = clustered(2000, 128, 40, 21);
    const { ws, space, chunkIds } = spaceWith(vectors);
    const queries = Array.from({ length: 30 }, (_, i) => vectors[i * 61] as Float32Array);
    const recall = (depth: PrefilterDepth) => {
      let found = 0;
      for (const q of queries) {
        const want = exactTop(vectors, chunkIds, q, 10);
        const got = vectorSearch(ws.db, space, q, 10, undefined, depth);
        found += got.filter((c) => want.includes(c.chunkId)).length;
      }
      return found / (queries.length * 10);
    };
    expect(recall({ scan: 200, rescore: 40 })).toBeGreaterThanOrEqual(0.95);
    // A shallow prefilter loses hits; the test can tell the difference.
    expect(recall({ scan: 20, rescore: 10 })).toBeLessThan(0.9);

    const first = vectorSearch(ws.db, space, queries[0] as Float32Array, 1)[0];
    expect(first?.score).toBeCloseTo(1, 5);
    ws.db.prepare('DELETE FROM chunks WHERE id = ?').run(first?.chunkId);
    const after = vectorSearch(ws.db, space, queries[0] as Float32Array, 10);
    expect(after.map((c) => c.chunkId)).not.toContain(first?.chunkId);
    ws.close();
  });

  it('scores given chunks exactly and leaves out chunks without a vector', () => {
    const vectors = clustered(20, 64, 2, 5);
    const { ws, space, chunkIds } = spaceWith(vectors);
    const q = vectors[3] as Float32Array;
    const scores = exactScores(ws.db, space, q, [
      chunkIds[3] as number,
      chunkIds[4] as number,
      99_999,
    ]);
    expect(scores.map((s) => s.chunkId).sort()).toEqual([chunkIds[3], chunkIds[4]].sort());
    expect(scores.find((s) => s.chunkId === chunkIds[3])?.score).toBeCloseTo(1, 5);
    expect(scores.find((s) => s.chunkId === chunkIds[4])?.score).toBeCloseTo(
      dot(q, vectors[4] as Float32Array),
      5,
    );
    ws.close();
  });
});
