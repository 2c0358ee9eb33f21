import { createHash } from 'node:crypto';
import type { Db } from '../db/open';
import { newId } from '../ids';
import type { Chunk, Format } from './types';

/** Where and as what a parsed file is stored: everything but what parsing produces. */
export interface StoreTarget {
  kbId: string;
  /** Used when the parser finds no title in the document. */
  fallbackTitle: string;
  sourcePath: string;
  format: Format;
  contentHash: string;
  storedName: string;
  byteSize: number;
}

export interface NewDocument {
  kbId: string;
  title: string;
  sourcePath: string;
  format: Format;
  contentHash: string;
  storedName: string;
  byteSize: number;
  pages: number | null;
  chunks: readonly Chunk[];
}

export type StoreOutcome =
  | {
      kind: 'stored';
      documentId: string;
      chunks: number;
      /** The stored original the new version replaced, to be deleted now that the transaction committed. */
      replacedStoredName: string | null;
    }
  | { kind: 'duplicate'; documentId: string };

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

export function findByHash(db: Db, kbId: string, contentHash: string): string | null {
  const row = db
    .prepare('SELECT id FROM documents WHERE kb_id = ? AND content_hash = ?')
    .get(kbId, contentHash) as { id: string } | undefined;
  return row?.id ?? null;
}

/**
 * Writes a document and all its chunks in one transaction. A document already stored from the same
 * path in the same knowledge base keeps its id and has its chunks replaced, so readers see either the
 * old version or the new one, never a mix. The same content already in the knowledge base is a
 * duplicate and writes nothing.
 */
export function storeDocument(db: Db, doc: NewDocument): StoreOutcome {
  const insertChunk = db.prepare(
    `INSERT INTO chunks (document_id, ordinal, section, page, text, content_hash)
     VALUES (?, ?, ?, ?, ?, ?)`,
  );
  return db
    .transaction((): StoreOutcome => {
      const duplicate = findByHash(db, doc.kbId, doc.contentHash);
      if (duplicate) return { kind: 'duplicate', documentId: duplicate };
      const previous = db
        .prepare('SELECT id, stored_name FROM documents WHERE kb_id = ? AND source_path = ?')
        .get(doc.kbId, doc.sourcePath) as { id: string; stored_name: string } | undefined;
      const documentId = previous?.id ?? newId();
      const { chunks, ...fields } = doc;
      const row = { ...fields, id: documentId, chunkCount: chunks.length };
      if (previous) {
        db.prepare('DELETE FROM chunks WHERE document_id = ?').run(documentId);
        db.prepare(
          `UPDATE documents SET title = @title, format = @format, content_hash = @contentHash,
           stored_name = @storedName, byte_size = @byteSize, pages = @pages,
           chunk_count = @chunkCount, status = 'ready',
           updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')
           WHERE id = @id`,
        ).run(row);
      } else {
        db.prepare(
          `INSERT INTO documents (id, kb_id, title, source_path, format, content_hash, stored_name,
           byte_size, pages, chunk_count)
           VALUES (@id, @kbId, @title, @sourcePath, @format, @contentHash, @storedName,
           @byteSize, @pages, @chunkCount)`,
        ).run(row);
      }
      for (const c of chunks) {
        insertChunk.run(documentId, c.ordinal, c.section, c.page, c.text, sha256(c.text));
      }
      return {
        kind: 'stored',
        documentId,
        chunks: chunks.length,
        replacedStoredName: previous?.stored_name ?? null,
      };
    })
    .immediate();
}
