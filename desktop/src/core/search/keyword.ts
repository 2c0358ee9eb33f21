import type { Db } from '../db/open';
import { toFtsQuery } from './fts-query';
import type { Scored } from './fuse';
import { hydrate } from './hydrate';
import type { SearchHit } from './types';

export interface ChunkFilter {
  kbId?: string;
  documentId?: string;
}

/**
 * Chunk ids by FTS5 BM25 over chunk text and section, best first; score is -bm25 (higher is
 * better). Only ids and ranks go through the sort: carrying each match's text through it cost
 * twice as much (bench/search.ts, docs/retrieval.md).
 */
export function keywordCandidates(
  db: Db,
  text: string,
  filter: ChunkFilter,
  limit: number,
): Scored[] {
  const match = toFtsQuery(text);
  if (match === null) return [];
  const rows = db
    .prepare(
      `SELECT chunks_fts.rowid AS chunkId, rank
         FROM chunks_fts
         JOIN chunks c ON c.id = chunks_fts.rowid
         JOIN documents d ON d.id = c.document_id
        WHERE chunks_fts MATCH @match
          AND (@kbId IS NULL OR d.kb_id = @kbId)
          AND (@documentId IS NULL OR c.document_id = @documentId)
        ORDER BY rank
        LIMIT @limit`,
    )
    .all({
      match,
      kbId: filter.kbId ?? null,
      documentId: filter.documentId ?? null,
      limit,
    }) as { chunkId: number; rank: number }[];
  return rows.map((r) => ({ chunkId: r.chunkId, score: -r.rank }));
}

/** Keyword search with citation metadata, best first. */
export function keywordSearch(
  db: Db,
  text: string,
  filter: ChunkFilter,
  limit: number,
): SearchHit[] {
  const ranked = keywordCandidates(db, text, filter, limit);
  const hits = hydrate(
    db,
    ranked.map((r) => r.chunkId),
  );
  return ranked.flatMap((r, i) => {
    const hit = hits.get(r.chunkId);
    return hit ? [{ ...hit, score: r.score, keywordRank: i + 1 }] : [];
  });
}
