import { createHash } from 'node:crypto';
import type { Retrieve } from '../../src/core/chat/answer';
import { newId } from '../../src/core/ids';
import { findOrCreateKnowledgeBase } from '../../src/core/knowledge/bases';
import { search } from '../../src/core/search/search';
import type { Workspace } from '../../src/core/workspace';

export interface SeedChunk {
  text: string;
  section?: string;
  page?: number;
}

export interface SeededDocument {
  documentId: string;
  kbId: string;
  chunkIds: number[];
}

/** Inserts a document and its chunks with plain SQL, as ingestion would store them. */
export function seedDocument(
  ws: Workspace,
  doc: { title: string; chunks: SeedChunk[]; kb?: string },
): SeededDocument {
  const kb = findOrCreateKnowledgeBase(ws.db, doc.kb);
  const documentId = newId();
  const hash = createHash('sha256')
    .update(doc.title + documentId)
    .digest('hex');
  ws.db
    .prepare(
      `INSERT INTO documents (id, kb_id, title, source_path, format, content_hash, stored_name,
         byte_size, chunk_count) VALUES (?, ?, ?, ?, 'md', ?, ?, ?, ?)`,
    )
    .run(
      documentId,
      kb.id,
      doc.title,
      `/docs/${doc.title}.md`,
      hash,
      `${documentId}.md`,
      1,
      doc.chunks.length,
    );
  const insert = ws.db.prepare(
    `INSERT INTO chunks (document_id, ordinal, section, page, text, content_hash)
     VALUES (?, ?, ?, ?, ?, ?)`,
  );
  const chunkIds = doc.chunks.map((c, i) =>
    Number(
      insert.run(documentId, i, c.section ?? '', c.page ?? null, c.text, `${hash}-${i}`)
        .lastInsertRowid,
    ),
  );
  return { documentId, kbId: kb.id, chunkIds };
}

/** Retrieval through the real search of the workspace. */
export const searchRetrieve =
  (ws: Workspace): Retrieve =>
  (query, { kbId }) =>
    search(ws, { query, kbId, k: 8 });
