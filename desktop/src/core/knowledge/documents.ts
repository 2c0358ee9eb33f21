import type { Db } from '../db/open';
import { removeOriginal } from '../ingest/originals';
import type { Format } from '../ingest/types';
import type { Workspace } from '../workspace';

export interface DocumentSummary {
  id: string;
  kbId: string;
  kb: string;
  title: string;
  path: string;
  format: Format;
  pages: number | null;
  chunks: number;
  status: string;
  byteSize: number;
  contentHash: string;
  storedName: string;
  createdAt: string;
  updatedAt: string;
}

export interface DocumentChunk {
  id: number;
  ordinal: number;
  section: string;
  page: number | null;
  text: string;
}

export class DocumentNotFound extends Error {
  readonly code = 'document_not_found';
  constructor(id: string) {
    super(`no document with id "${id}"`);
  }
}

const SELECT = `SELECT d.id, d.kb_id AS kbId, kb.name AS kb, d.title, d.source_path AS path, d.format,
    d.pages, d.chunk_count AS chunks, d.status, d.byte_size AS byteSize, d.content_hash AS contentHash,
    d.stored_name AS storedName, d.created_at AS createdAt, d.updated_at AS updatedAt
  FROM documents d JOIN knowledge_bases kb ON kb.id = d.kb_id`;

/** Documents of one knowledge base, or of all of them, oldest first. */
export function listDocuments(db: Db, filter: { kbId?: string } = {}): DocumentSummary[] {
  if (filter.kbId !== undefined) {
    return db
      .prepare(`${SELECT} WHERE d.kb_id = ? ORDER BY d.created_at, d.id`)
      .all(filter.kbId) as DocumentSummary[];
  }
  return db
    .prepare(`${SELECT} ORDER BY kb.is_default DESC, kb.name, d.created_at, d.id`)
    .all() as DocumentSummary[];
}

export function getDocument(db: Db, id: string): DocumentSummary {
  const row = db.prepare(`${SELECT} WHERE d.id = ?`).get(id) as DocumentSummary | undefined;
  if (!row) throw new DocumentNotFound(id);
  return row;
}

/** A document's chunks in reading order. */
export function documentChunks(db: Db, id: string): DocumentChunk[] {
  return db
    .prepare(
      'SELECT id, ordinal, section, page, text FROM chunks WHERE document_id = ? ORDER BY ordinal',
    )
    .all(id) as DocumentChunk[];
}

/** Deletes a document with its chunks (one statement: the foreign key cascades) and its stored original. */
export async function removeDocument(ws: Workspace, id: string): Promise<DocumentSummary> {
  const doc = getDocument(ws.db, id);
  ws.db.prepare('DELETE FROM documents WHERE id = ?').run(id);
  await removeOriginal(ws.originalsDir, doc.storedName);
  return doc;
}
