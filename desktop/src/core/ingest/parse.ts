import { open } from 'node:fs/promises';
import { type Db, openDatabase } from '../db/open';
import { type ChunkingOptions, chunkBlocks } from './chunk';
import { decodeText } from './decode-text';
import { checkMagic } from './detect';
import { parseMarkdown } from './markdown';
import { type StoreOutcome, type StoreTarget, storeDocument } from './store';
import { parseText } from './text';
import { type Chunk, type Format, type ParsedDocument, reject } from './types';

/** What crosses back from the parser process: everything the database needs, nothing more. */
export interface ParsedChunks {
  title: string | null;
  pages: number | null;
  chunks: Chunk[];
}

/** Reads at most `maxBytes`: the size is checked on the open handle before a byte is read. */
export async function readCapped(path: string, maxBytes: number): Promise<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    if (size === 0) throw reject('empty', 'empty file');
    if (size > maxBytes) throw reject('too_large', tooLargeReason(maxBytes));
    const bytes = new Uint8Array(size);
    const { bytesRead } = await handle.read(bytes, 0, size, 0);
    return bytes.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

export const tooLargeReason = (maxBytes: number): string =>
  `file is too large (over ${Math.round(maxBytes / 1024 / 1024)} MB)`;

export async function parseBytes(bytes: Uint8Array, format: Format): Promise<ParsedDocument> {
  if (bytes.length === 0) throw reject('empty', 'empty file');
  checkMagic(format, bytes.subarray(0, 1024));
  switch (format) {
    case 'txt':
      return parseText(decodeText(bytes).text);
    case 'md':
      return parseMarkdown(decodeText(bytes).text);
    case 'pdf':
      return (await import('./pdf')).parsePdf(bytes);
    case 'docx':
      return (await import('./docx')).parseDocx(bytes);
  }
}

/** The whole job of the parser process: bytes on disk to chunks, or an IngestRejection. */
export async function parseFile(
  path: string,
  format: Format,
  maxBytes: number,
  chunking: Partial<ChunkingOptions> = {},
): Promise<ParsedChunks> {
  const doc = await parseBytes(await readCapped(path, maxBytes), format);
  const chunks = chunkBlocks(doc.blocks, chunking);
  if (chunks.length === 0) throw reject('no_text', 'no text found in the file');
  return { title: doc.title, pages: doc.pages, chunks };
}

const connections = new Map<string, Db>();

/** One connection per database file for the life of the process that parses. */
function connection(dbFile: string): Db {
  let db = connections.get(dbFile);
  if (!db) {
    db = openDatabase(dbFile, { mmap: false });
    connections.set(dbFile, db);
  }
  return db;
}

/**
 * Stores a parsed file from the process that parsed it, so the main process neither receives the
 * chunks nor spends its event loop on the synchronous insert and full-text indexing of a large document.
 */
export function storeParsed(
  dbFile: string,
  target: StoreTarget,
  parsed: ParsedChunks,
): StoreOutcome {
  const { fallbackTitle, ...rest } = target;
  return storeDocument(connection(dbFile), {
    ...rest,
    title: parsed.title ?? fallbackTitle,
    pages: parsed.pages,
    chunks: parsed.chunks,
  });
}
