import { join } from 'node:path';
import type { Db } from '../../src/core/db/open';

export const CORPUS = join(import.meta.dirname, '..', 'fixtures', 'corpus');
export const fixture = (...parts: string[]): string => join(CORPUS, ...parts);

export interface ChunkRow {
  ordinal: number;
  section: string;
  page: number | null;
  text: string;
}

export function chunksOf(db: Db, documentId: string): ChunkRow[] {
  return db
    .prepare(
      'SELECT ordinal, section, page, text FROM chunks WHERE document_id = ? ORDER BY ordinal',
    )
    .all(documentId) as ChunkRow[];
}

/** Every document is whole: its chunk_count matches its chunks, ordinals run 0..n-1, FTS agrees. */
export function partialDocuments(db: Db): string[] {
  const rows = db
    .prepare(
      `SELECT d.id FROM documents d
        WHERE d.chunk_count <> (SELECT count(*) FROM chunks c WHERE c.document_id = d.id)
           OR d.chunk_count = 0
           OR (SELECT coalesce(max(ordinal), -1) FROM chunks c WHERE c.document_id = d.id)
              <> d.chunk_count - 1`,
    )
    .all() as { id: string }[];
  const orphans = db
    .prepare('SELECT count(*) AS n FROM chunks WHERE document_id NOT IN (SELECT id FROM documents)')
    .get() as { n: number };
  return [...rows.map((r) => r.id), ...(orphans.n > 0 ? ['orphan chunks'] : [])];
}
