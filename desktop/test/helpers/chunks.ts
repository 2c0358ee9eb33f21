import { createHash } from 'node:crypto';
import type { Db } from '../../src/core/db/open';
import { newId } from '../../src/core/ids';

export interface SeedDocument {
  kbId: string;
  title: string;
  chunks: (string | { text: string; section?: string; page?: number })[];
}

/** Inserts a document and its chunks straight into the tables, as ingestion would. */
export function seedDocument(
  db: Db,
  doc: SeedDocument,
): { documentId: string; chunkIds: number[] } {
  const documentId = newId();
  const hash = createHash('sha256').update(documentId).digest('hex');
  db.prepare(
    `INSERT INTO documents (id, kb_id, title, source_path, format, content_hash, stored_name,
                            byte_size, chunk_count)
     VALUES (?, ?, ?, ?, 'txt', ?, ?, 0, ?)`,
  ).run(
    documentId,
    doc.kbId,
    doc.title,
    `/docs/${doc.title}.txt`,
    hash,
    documentId,
    doc.chunks.length,
  );
  const insert = db.prepare(
    `INSERT INTO chunks (document_id, ordinal, section, page, text, content_hash)
     VALUES (?, ?, ?, ?, ?, ?)`,
  );
  const chunkIds = doc.chunks.map((c, ordinal) => {
    const chunk = typeof c === 'string' ? { text: c } : c;
    const info = insert.run(
      documentId,
      ordinal,
      chunk.section ?? '',
      chunk.page ?? null,
      chunk.text,
      createHash('sha256').update(chunk.text).digest('hex'),
    );
    return Number(info.lastInsertRowid);
  });
  return { documentId, chunkIds };
}
