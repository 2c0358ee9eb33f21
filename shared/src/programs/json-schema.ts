import { z } from 'zod';
import { programFileSchema } from './schema';

export const PROGRAM_SCHEMA_ID = 'https://creator-hub.app/schemas/program.schema.json';

/**
 * The published JSON Schema of a program file, derived from the zod schema so the two cannot drift
 * (resources/schemas/program.schema.json is written from this; a test keeps it in sync).
 */
export function programFileJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(programFileSchema, { io: 'input', target: 'draft-2020-12' });
  return {
    ...schema,
    $id: PROGRAM_SCHEMA_ID,
    title: 'Creator Hub program',
    description: 'A coaching program: modules of steps with lessons, check-ins and schedules.',
  };
}

/** Serialised as written to disk: stable key order from the schema, two-space indent, final newline. */
export function programFileJsonSchemaText(): string {
  return `${JSON.stringify(programFileJsonSchema(), null, 2)}\n`;
}
