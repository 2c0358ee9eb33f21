import { stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { findOrCreateKnowledgeBase } from '../knowledge/bases';
import type { Workspace } from '../workspace';
import type { ChunkingOptions } from './chunk';
import { checkMagic, formatFromPath } from './detect';
import { readHead, removeOriginal, storeOriginal } from './originals';
import { type ParsedChunks, tooLargeReason } from './parse';
import { createParserProcess, DEFAULT_LIMITS, type ParseLimits, type Parser } from './parser';
import { findByHash, storeDocument } from './store';
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

async function ingestFile(job: FileJob): Promise<IngestResult> {
  const { ws, kbId, path } = job;
  let format: Format;
  let original: Awaited<ReturnType<typeof storeOriginal>>;
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
    let parsed: ParsedChunks;
    try {
      parsed = await job.parser.parse(original.path, format, job.chunking);
    } catch (error) {
      if (error instanceof IngestRejection) return rejected(path, error);
      throw error;
    }
    const again = findByHash(ws.db, kbId, original.contentHash);
    if (again) return { path, status: 'duplicate', documentId: again };
    const stored = storeDocument(ws.db, {
      kbId,
      title: parsed.title ?? basename(path, extname(path)),
      sourcePath: path,
      format,
      contentHash: original.contentHash,
      storedName: original.storedName,
      byteSize: original.byteSize,
      pages: parsed.pages,
      chunks: parsed.chunks,
    });
    kept = true;
    if (stored.replacedStoredName) await removeOriginal(ws.originalsDir, stored.replacedStoredName);
    return {
      path,
      status: 'ok',
      documentId: stored.documentId,
      chunks: parsed.chunks.length,
      replaced: stored.replacedStoredName !== null,
    };
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
