import {
  issuesFromZod,
  LIMITS,
  PROGRAM_FORMAT,
  PROGRAM_FORMAT_VERSION,
  type ProgramFile,
  type ProgramIssue,
  programFileSchema,
} from '@creator-hub/shared/programs/index';
import type { Db } from '../db/open';
import { ProgramError } from './errors';
import { getProgram, type StoredProgram, toDoc } from './read';
import { createProgram } from './repository';
import { checkProgram } from './versions';

/** Deeper than any real program file (about 8 levels); refused before JSON.parse recurses. */
export const MAX_DEPTH = 32;

export function exportProgram(db: Db, id: string, now = new Date()): ProgramFile {
  return {
    format: PROGRAM_FORMAT,
    version: PROGRAM_FORMAT_VERSION,
    exportedAt: now.toISOString(),
    program: toDoc(getProgram(db, id)),
  };
}

export function exportProgramText(db: Db, id: string): string {
  return `${JSON.stringify(exportProgram(db, id), null, 2)}\n`;
}

/** Nesting depth of JSON text, counting brackets outside strings; stops once past `max`. */
function nestingDepth(text: string, max: number): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i += 1;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      depth += 1;
      if (depth > deepest) deepest = depth;
      if (deepest > max) return deepest;
    } else if (c === 0x5d || c === 0x7d) depth -= 1;
  }
  return deepest;
}

const invalid = (message: string) => new ProgramError('invalid_file', message);

/** Checks a program file's bytes: size, encoding, JSON, depth, then the schema. Stores nothing. */
export function parseProgramFile(bytes: Uint8Array | string): ProgramFile {
  const size = typeof bytes === 'string' ? Buffer.byteLength(bytes) : bytes.byteLength;
  if (size > LIMITS.fileBytes) {
    throw invalid(
      `the file is ${(size / 1e6).toFixed(1)} MB; a program file may be at most ${LIMITS.fileBytes / 1e6} MB`,
    );
  }
  let text: string;
  try {
    text =
      typeof bytes === 'string' ? bytes : new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw invalid('the file is not UTF-8 text; a program file is JSON');
  }
  text = text.replace(/^\uFEFF/, '');
  if (nestingDepth(text, MAX_DEPTH) > MAX_DEPTH) {
    throw invalid(
      `the JSON is nested more than ${MAX_DEPTH} levels deep; this is not a program file`,
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw invalid(
      `the file is not valid JSON (${error instanceof Error ? error.message : 'parse error'})`,
    );
  }
  const result = programFileSchema.safeParse(data);
  if (!result.success) {
    throw new ProgramError(
      'invalid_program',
      'the file is not a valid Creator Hub program:',
      issuesFromZod(result.error),
    );
  }
  return result.data;
}

export interface ImportResult {
  program: StoredProgram;
  /** Publish-time problems (e.g. links to documents this workspace lacks); the draft is kept. */
  warnings: ProgramIssue[];
}

/** Imports a program file as a new draft with new ids; nothing is stored when the file is refused. */
export function importProgram(db: Db, bytes: Uint8Array | string): ImportResult {
  const file = parseProgramFile(bytes);
  const program = createProgram(db, file.program, `import program "${file.program.title}"`);
  return { program, warnings: checkProgram(db, program) };
}
