import type { Db } from '../db/open';
import { toFtsQuery } from './fts-query';
import type { SearchHit } from './types';

export interface ChunkFilter {
  kbId?: string;
  documentId?: string;
}

interface KeywordRow {
  chunkId: number;
  documentId: string;
  title: string;
  path: string;
  section: string;
  page: number | null;
  text: string;
  rank: number;
}

/** FTS5 BM25 over chunk text and section, best first; score is -bm25 (higher is better). */
export function keywordSearch(
  db: Db,
  text: string,
  filter: ChunkFilter,
  limit: number,
): SearchHit[] {
  const match = toFtsQuery(text);
  if (match === null) return [];
  const rows = db
    .prepare(
      `SELECT c.id AS chunkId, c.document_id AS documentId, d.title, d.source_path AS path,
              c.section, c.page, c.text, bm25(chunks_fts) AS rank
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
    }) as KeywordRow[];
  return rows.map(({ rank, ...hit }, i) => ({ ...hit, score: -rank, keywordRank: i + 1 }));
}
