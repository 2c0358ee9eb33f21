// Entry point of the parser process (child_process.fork with tsx). It parses one file per request and
// answers over IPC; a hostile file can exhaust this process's heap or time, never the app's.
import { parseFile } from './parse';
import type { ParseReply, ParseRequest, WorkerReady } from './protocol';
import { IngestRejection } from './types';

function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/\s+/g, ' ').slice(0, 200);
}

async function handle(request: ParseRequest): Promise<ParseReply> {
  try {
    const result = await parseFile(
      request.path,
      request.format,
      request.maxBytes,
      request.chunking,
    );
    return { id: request.id, ok: true, result };
  } catch (error) {
    if (error instanceof IngestRejection) {
      return { id: request.id, ok: false, code: error.code, reason: error.reason };
    }
    return {
      id: request.id,
      ok: false,
      code: 'malformed',
      reason: `the ${request.format.toUpperCase()} file is damaged and could not be read (${describe(error)})`,
    };
  }
}

// Parser libraries sometimes reject promises nobody awaits on broken input; the request that caused it
// still settles (or times out), so this process stays up instead of dying on the stray rejection.
process.on('unhandledRejection', () => {});

process.on('message', (request: ParseRequest) => {
  void handle(request).then((reply) => process.send?.(reply));
});

// Load the heavy parsers before saying ready, so a request's timeout measures parsing, not start-up.
await Promise.all([import('./pdf'), import('./docx')]);
const ready: WorkerReady = { ready: true };
process.send?.(ready);
