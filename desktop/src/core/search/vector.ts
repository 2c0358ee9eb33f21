import type { Db } from '../db/open';
import { type EmbeddingSpace, padForStorage, vecTable } from '../embed/spaces';
import { dot, fromBlob, toBlob } from '../embed/vectors';

export interface VectorCandidate {
  chunkId: number;
  /** Cosine similarity (vectors are unit length). */
  score: number;
}

/**
 * Binary prefilter oversampling: how many hamming neighbours are rescored exactly per wanted hit.
 * Chosen with bench/search.ts (100k × 768: recall@10 and latency for several settings).
 */
export const PREFILTER = { perHit: 20, min: 200 } as const;

/**
 * Top `limit` chunks of one space by cosine similarity. Over a whole space: hamming KNN on the
 * sign bits in vec0, then exact float rescoring of the candidates. Within one document the
 * document's vectors are few, so they are scored exactly.
 */
export function vectorSearch(
  db: Db,
  space: EmbeddingSpace,
  query: Float32Array,
  limit: number,
  documentId?: string,
  candidates = Math.max(PREFILTER.min, limit * PREFILTER.perHit),
): VectorCandidate[] {
  const q = padForStorage(query);
  const rows = documentId
    ? (db
        .prepare(
          `SELECT v.chunk_id AS chunkId, v.vector FROM chunk_vectors v
             JOIN chunks c ON c.id = v.chunk_id
            WHERE v.space_id = ? AND c.document_id = ?`,
        )
        .all(space.id, documentId) as { chunkId: number; vector: Buffer }[])
    : prefilter(db, space, q, candidates);
  return rows
    .map((r) => ({ chunkId: r.chunkId, score: dot(q, fromBlob(r.vector)) }))
    .sort((a, b) => b.score - a.score || a.chunkId - b.chunkId)
    .slice(0, limit);
}

function prefilter(
  db: Db,
  space: EmbeddingSpace,
  q: Float32Array,
  candidates: number,
): { chunkId: number; vector: Buffer }[] {
  return db
    .prepare(
      `WITH knn AS (
         SELECT rowid AS chunk_id FROM ${vecTable(space.id)}
          WHERE embedding MATCH vec_quantize_binary(?) AND k = ?)
       SELECT v.chunk_id AS chunkId, v.vector FROM knn
         JOIN chunk_vectors v ON v.space_id = ? AND v.chunk_id = knn.chunk_id`,
    )
    .all(toBlob(q), candidates, space.id) as { chunkId: number; vector: Buffer }[];
}
