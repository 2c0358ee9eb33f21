import type { Db } from '../db/open';
import { type EmbeddingSpace, padForStorage } from '../embed/spaces';
import { dot, fromBlob } from '../embed/vectors';
import { approximateNearest } from './binary-index';

export interface VectorCandidate {
  chunkId: number;
  /** Cosine similarity (vectors are unit length). */
  score: number;
}

/**
 * How many candidates each stage keeps per wanted hit: the hamming scan keeps `scan`, the asymmetric
 * sign estimate keeps `rescore` of those for exact float rescoring. Chosen with bench/search.ts
 * (100k × 768 clustered, k = 10: recall@10 0.84 / 0.96 / 0.99 rescoring 100 / 200 / 300, the same
 * whether 1,000 or 4,000 codes were scanned; 300 costs ~2 ms more than 100; docs/retrieval.md).
 */
export const PREFILTER = { scan: { perHit: 100, min: 1000 }, rescore: { perHit: 30, min: 300 } };

export interface PrefilterDepth {
  scan: number;
  rescore: number;
}

export const prefilterDepth = (limit: number): PrefilterDepth => ({
  scan: Math.max(PREFILTER.scan.min, limit * PREFILTER.scan.perHit),
  rescore: Math.max(PREFILTER.rescore.min, limit * PREFILTER.rescore.perHit),
});

/**
 * Top `limit` chunks of one space by cosine similarity. Over a whole space: the sign-bit stages of
 * binary-index.ts, then exact float rescoring of what they keep. Within one document the
 * document's vectors are few, so they are scored exactly.
 */
export function vectorSearch(
  db: Db,
  space: EmbeddingSpace,
  query: Float32Array,
  limit: number,
  documentId?: string,
  depth: PrefilterDepth = prefilterDepth(limit),
): VectorCandidate[] {
  const q = padForStorage(query);
  const scored = documentId
    ? scoreRows(
        q,
        db
          .prepare(
            `SELECT v.chunk_id AS chunkId, v.vector FROM chunk_vectors v
               JOIN chunks c ON c.id = v.chunk_id
              WHERE v.space_id = ? AND c.document_id = ?`,
          )
          .all(space.id, documentId) as VectorRow[],
      )
    : exactScores(db, space, q, approximateNearest(db, space, q, depth.scan, depth.rescore));
  return scored.sort((a, b) => b.score - a.score || a.chunkId - b.chunkId).slice(0, limit);
}

interface VectorRow {
  chunkId: number;
  vector: Buffer;
}

const scoreRows = (q: Float32Array, rows: VectorRow[]): VectorCandidate[] =>
  rows.map((r) => ({ chunkId: r.chunkId, score: dot(q, fromBlob(r.vector)) }));

/** Exact cosine of the query with the given chunks' vectors in a space (chunks without one are left out). */
export function exactScores(
  db: Db,
  space: EmbeddingSpace,
  query: Float32Array,
  chunkIds: readonly number[],
): VectorCandidate[] {
  if (chunkIds.length === 0) return [];
  const rows = db
    .prepare(
      `SELECT chunk_id AS chunkId, vector FROM chunk_vectors
        WHERE space_id = ? AND chunk_id IN (SELECT value FROM json_each(?))`,
    )
    .all(space.id, JSON.stringify(chunkIds)) as VectorRow[];
  return scoreRows(padForStorage(query), rows);
}
