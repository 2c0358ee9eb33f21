/**
 * Writes resources/schemas/program.schema.json: `npx tsx shared/test/programs/write-json-schema.ts`.
 * Kept out of shared/src, which must stay free of Node-only imports.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { programFileJsonSchemaText } from '../../src/programs/json-schema';

export const PROGRAM_SCHEMA_FILE = join(
  import.meta.dirname,
  '../../../resources/schemas/program.schema.json',
);

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  mkdirSync(dirname(PROGRAM_SCHEMA_FILE), { recursive: true });
  writeFileSync(PROGRAM_SCHEMA_FILE, programFileJsonSchemaText());
  process.stdout.write(`wrote ${PROGRAM_SCHEMA_FILE}\n`);
}
