import {
  ApiError,
  type DocumentDetail,
  type DocumentSummary,
  type KnowledgeBaseInfo,
} from '@creator-hub/shared/api/index';
import type { Db } from '../db/open';
import { listKnowledgeBases } from '../knowledge/bases';

// Read-only views over the knowledge tables, shaped for the screens. Writes go through the core.

interface DocumentRow {
  id: string;
  kb_id: string;
  title: string;
  source_path: string;
  format: DocumentSummary['format'];
  pages: number | null;
  chunk_count: number;
  byte_size: number;
  status: string;
  created_at: string;
}

const toSummary = (r: DocumentRow): DocumentSummary => ({
  id: r.id,
  kbId: r.kb_id,
  title: r.title,
  path: r.source_path,
  format: r.format,
  pages: r.pages,
  chunks: r.chunk_count,
  byteSize: r.byte_size,
  status: r.status,
  createdAt: r.created_at,
});

const MAX_CHUNKS_SENT = 2000;

export function knowledgeBasesView(db: Db): KnowledgeBaseInfo[] {
  const counts = db
    .prepare(
      `SELECT d.kb_id AS kbId, count(DISTINCT d.id) AS documents, count(c.id) AS chunks,
              count(c.id) - count(v.chunk_id) AS pending
         FROM documents d
         LEFT JOIN chunks c ON c.document_id = d.id
         LEFT JOIN (SELECT DISTINCT cv.chunk_id FROM chunk_vectors cv
                      JOIN embedding_spaces s ON s.id = cv.space_id AND s.status = 'ready') v
           ON v.chunk_id = c.id
        GROUP BY d.kb_id`,
    )
    .all() as { kbId: string; documents: number; chunks: number; pending: number }[];
  const spaces = db
    .prepare(
      `SELECT kb_id AS kbId, provider, model, dims FROM embedding_spaces
        WHERE status = 'ready' ORDER BY id`,
    )
    .all() as { kbId: string; provider: string; model: string; dims: number }[];
  const byKb = new Map(counts.map((c) => [c.kbId, c]));
  const spaceByKb = new Map(spaces.map((s) => [s.kbId, s]));
  return listKnowledgeBases(db).map((kb) => {
    const c = byKb.get(kb.id);
    const s = spaceByKb.get(kb.id);
    return {
      id: kb.id,
      name: kb.name,
      description: kb.description,
      isDefault: kb.isDefault,
      documents: c?.documents ?? 0,
      chunks: c?.chunks ?? 0,
      pendingVectors: c?.pending ?? 0,
      embedding: s ? { provider: s.provider, model: s.model, dims: s.dims } : null,
    };
  });
}

export function listDocumentsView(
  db: Db,
  filter: { kbId: string; query?: string; format?: DocumentSummary['format'] },
): DocumentSummary[] {
  const like = `%${(filter.query ?? '').replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const rows = db
    .prepare(
      `SELECT * FROM documents
        WHERE kb_id = ? AND (title LIKE ? ESCAPE '\\' OR source_path LIKE ? ESCAPE '\\')
          AND (? IS NULL OR format = ?)
        ORDER BY created_at DESC, title`,
    )
    .all(filter.kbId, like, like, filter.format ?? null, filter.format ?? null) as DocumentRow[];
  return rows.map(toSummary);
}

export function documentDetailView(db: Db, documentId: string): DocumentDetail {
  const row = db.prepare('SELECT * FROM documents WHERE id = ?').get(documentId) as
    | DocumentRow
    | undefined;
  if (!row) throw new ApiError('not_found', 'that document is not in the workspace any more');
  const chunkList = db
    .prepare(
      `SELECT id, ordinal, section, page, text FROM chunks WHERE document_id = ?
        ORDER BY ordinal LIMIT ?`,
    )
    .all(documentId, MAX_CHUNKS_SENT + 1) as DocumentDetail['chunkList'];
  const sections = db
    .prepare(
      `SELECT section AS title, count(*) AS chunks FROM chunks WHERE document_id = ?
        GROUP BY section ORDER BY min(ordinal)`,
    )
    .all(documentId) as DocumentDetail['sections'];
  return {
    ...toSummary(row),
    sections,
    chunkList: chunkList.slice(0, MAX_CHUNKS_SENT),
    truncated: chunkList.length > MAX_CHUNKS_SENT,
  };
}
