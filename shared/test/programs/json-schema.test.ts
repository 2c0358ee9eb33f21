import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { programFileJsonSchema, programFileJsonSchemaText } from '../../src/programs/json-schema';
import { PROGRAM_SCHEMA_FILE } from './write-json-schema';

describe('published program JSON Schema', () => {
  it('matches resources/schemas/program.schema.json (run write-json-schema.ts when it fails)', () => {
    // Compared as data: the formatter may re-wrap the file's arrays.
    expect(JSON.parse(readFileSync(PROGRAM_SCHEMA_FILE, 'utf8'))).toEqual(
      JSON.parse(programFileJsonSchemaText()),
    );
  });

  it('describes the envelope, strict objects and the check-in kinds', () => {
    const schema = programFileJsonSchema() as {
      required: string[];
      additionalProperties: boolean;
      properties: { format: { const: string } };
    };
    expect(schema.required).toEqual(['format', 'version', 'program']);
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.format.const).toBe('creator-hub.program');
    const text = programFileJsonSchemaText();
    for (const kind of ['text', 'scale', 'choice', 'yes_no']) expect(text).toContain(`"${kind}"`);
  });
});
