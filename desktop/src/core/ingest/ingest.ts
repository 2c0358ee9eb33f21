import { stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { findOrCreateKnowledgeBase } from '../knowledge/bases';
import type { Workspace } from '../workspace';
import type { ChunkingOptions } from './chunk';
import { checkMagic, formatFromPath } from './detect';
import {
  readHead,
  removeOriginal,
  type StoredOriginal,
  storeOriginal,
  sweepOrphanOriginals,
} from './originals';
import { tooLargeReason } from './parse';
import { createParserProcess, DEFAULT_LIMITS, type ParseLimits, type Parser } from './parser';
import { findByHash, type StoreOutcome, type StoreTarget } from './store';
import { type Format, IngestRejection, type RejectCode, reject } from './types';
import { expandPaths } from './walk';

export type IngestResult =
  | { path: string; status: 'ok'; documentId: string; chunks: number; replaced: boolean }
  | { path: string; status: 'duplicate'; documentId: string }
  | { path: string; status: 'rejected'; code: RejectCode; reason: string };

export interface IngestProgress {
  /** Files finished so far, including this one. */
  done: number;
  total: number;
  result: IngestResult;
}

export interface IngestOptions {
  /** Knowledge base name; created when it does not exist. Default: the default knowledge base. */
  kb?: string;
  onProgress?: (progress: IngestProgress) => void;
  /** Where parsing happens; default: a parser process with `limits`, closed when done. */
  parser?: Parser;
  limits?: Partial<ParseLimits>;
  chunking?: Partial<ChunkingOptions>;
}

interface FileJob {
  ws: Workspace;
  kbId: string;
  path: string;
  parser: Parser;
  maxBytes: number;
  chunking: Partial<ChunkingOptions>;
}

const rejected = (path: string, error: IngestRejection): IngestResult => ({
  path,
  status: 'rejected',
  code: error.code,
  reason: error.reason,
});

/** Checks that cost no parsing: kind of file, size, extension, magic bytes. */
async function precheck(path: string, maxBytes: number): Promise<Format> {
  const info = await stat(path).catch(() => null);
  if (!info) throw reject('unreadable', 'no such file or it cannot be read');
  if (!info.isFile()) throw reject('unsupported', 'not a regular file');
  const format = formatFromPath(path);
  if (!format) {
    throw reject(
      'unsupported',
      `unsupported file type "${extname(path) || 'none'}" (PDF, DOCX, TXT, MD)`,
    );
  }
  if (info.size === 0) throw reject('empty', 'empty file');
  if (info.size > maxBytes) throw reject('too_large', tooLargeReason(maxBytes));
  checkMagic(format, await readHead(path));
  return format;
}

/** After the parser process died, its last document may have committed before the answer was sent. */
const PROCESS_ENDINGS: readonly RejectCode[] = ['timeout', 'out_of_memory', 'parser_crashed'];

async function parseAndStore(
  job: FileJob,
  format: Format,
  original: StoredOriginal,
): Promise<StoreOutcome> {
  const { ws, kbId, path } = job;
  const target: StoreTarget = {
    kbId,
    fallbackTitle: basename(path, extname(path)),
    sourcePath: path,
    format,
    contentHash: original.contentHash,
    storedName: original.storedName,
    byteSize: original.byteSize,
  };
  const store = { dbFile: ws.db.name, target };
  try {
    return await job.parser.parseAndStore(original.path, format, store, job.chunking);
  } catch (error) {
    if (!(error instanceof IngestRejection) || !PROCESS_ENDINGS.includes(error.code)) throw error;
    const row = ws.db
      .prepare('SELECT id, chunk_count AS n FROM documents WHERE kb_id = ? AND stored_name = ?')
      .get(kbId, original.storedName) as { id: string; n: number } | undefined;
    if (!row) throw error;
    return { kind: 'stored', documentId: row.id, chunks: row.n, replacedStoredName: null };
  }
}

async function ingestFile(job: FileJob): Promise<IngestResult> {
  const { ws, kbId, path } = job;
  let format: Format;
  let original: StoredOriginal;
  try {
    format = await precheck(path, job.maxBytes);
    original = await storeOriginal(path, ws.originalsDir, format);
  } catch (error) {
    if (error instanceof IngestRejection) return rejected(path, error);
    return rejected(path, reject('unreadable', 'the file cannot be read'));
  }
  let kept = false;
  try {
    const existing = findByHash(ws.db, kbId, original.contentHash);
    if (existing) return { path, status: 'duplicate', documentId: existing };
    const outcome = await parseAndStore(job, format, original);
    if (outcome.kind === 'duplicate')
      return { path, status: 'duplicate', documentId: outcome.documentId };
    kept = true;
    if (outcome.replacedStoredName)
      await removeOriginal(ws.originalsDir, outcome.replacedStoredName);
    return {
      path,
      status: 'ok',
      documentId: outcome.documentId,
      chunks: outcome.chunks,
      replaced: outcome.replacedStoredName !== null,
    };
  } catch (error) {
    if (error instanceof IngestRejection) return rejected(path, error);
    throw error;
  } finally {
    if (!kept) await removeOriginal(ws.originalsDir, original.storedName);
  }
}

/**
 * Ingests files and folders (recursively) into a knowledge base, one file at a time. Every file ends
 * `ok`, `duplicate` (same content already in this knowledge base) or `rejected` with a reason; nothing
 * of a rejected file stays. Throws only when the workspace itself fails (e.g. the database).
 */
export async function ingestPaths(
  ws: Workspace,
  paths: readonly string[],
  options: IngestOptions = {},
): Promise<IngestResult[]> {
  const kb = findOrCreateKnowledgeBase(ws.db, options.kb);
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const parser = options.parser ?? createParserProcess(limits);
  const files = await expandPaths(paths);
  // Copies orphaned by an earlier crash go first; a failure here must not stop the ingestion.
  await sweepOrphanOriginals(ws.db, ws.originalsDir).catch(() => 0);
  const results: IngestResult[] = [];
  try {
    for (const path of files) {
      const result = await ingestFile({
        ws,
        kbId: kb.id,
        path,
        parser,
        maxBytes: limits.maxBytes,
        chunking: options.chunking ?? {},
      });
      results.push(result);
      options.onProgress?.({ done: results.length, total: files.length, result });
    }
  } finally {
    if (!options.parser) parser.close();
  }
  return results;
}
