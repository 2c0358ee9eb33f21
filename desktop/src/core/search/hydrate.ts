import type { Db } from '../db/open';
import type { SearchHit } from './types';

export type HitBase = Omit<SearchHit, 'score' | 'keywordRank' | 'vectorRank'>;

/** Citation metadata and text of the given chunks, by chunk id (chunks since deleted are absent). */
export function hydrate(db: Db, chunkIds: readonly number[]): Map<number, HitBase> {
  if (chunkIds.length === 0) return new Map();
  const rows = db
    .prepare(
      `SELECT c.id AS chunkId, c.document_id AS documentId, d.title, d.source_path AS path,
              c.section, c.page, c.text
         FROM chunks c JOIN documents d ON d.id = c.document_id
        WHERE c.id IN (SELECT value FROM json_each(?))`,
    )
    .all(JSON.stringify(chunkIds)) as HitBase[];
  return new Map(rows.map((r) => [r.chunkId, r]));
}
