// The parser process (started through parser-entry.mjs). It parses one file per request and
// answers over IPC; a hostile file can exhaust this process's heap or time, never the app's.
import { type ParsedChunks, parseFile, storeParsed } from './parse';
import type { ParseReply, ParseRequest, WorkerReady } from './protocol';
import { IngestRejection } from './types';

function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/\s+/g, ' ').slice(0, 200);
}

function rejection(request: ParseRequest, error: unknown): ParseReply {
  if (error instanceof IngestRejection) {
    return { id: request.id, ok: false, code: error.code, reason: error.reason };
  }
  const format = request.format.toUpperCase();
  return {
    id: request.id,
    ok: false,
    code: 'malformed',
    reason: `the ${format} file is damaged and could not be read (${describe(error)})`,
  };
}

async function handle(request: ParseRequest): Promise<ParseReply> {
  const { id, path, format, maxBytes, chunking, store } = request;
  let parsed: ParsedChunks;
  try {
    parsed = await parseFile(path, format, maxBytes, chunking);
  } catch (error) {
    return rejection(request, error);
  }
  if (!store) return { id, ok: true, parsed };
  try {
    return { id, ok: true, stored: storeParsed(store.dbFile, store.target, parsed) };
  } catch (error) {
    // The workspace failed (disk full, database locked), not the file: the caller must see an error.
    return { id, ok: false, fatal: describe(error) };
  }
}

// Parser libraries sometimes reject promises nobody awaits on broken input; the request that caused it
// still settles (or times out), so this process stays up instead of dying on the stray rejection.
process.on('unhandledRejection', () => {});

process.on('message', (request: ParseRequest) => {
  void handle(request).then((reply) => process.send?.(reply));
});

// The PDF and DOCX parsers load on first use (pdf.js costs ~40 MB of RSS that text files never need);
// a request's timeout covers that loading too, which the default timeout leaves ample room for.
const ready: WorkerReady = { ready: true };
process.send?.(ready);
