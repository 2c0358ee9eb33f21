import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { ProgramError } from '../../src/core/programs/errors';
import { getProgram, listPrograms, toDoc } from '../../src/core/programs/read';
import { createProgram } from '../../src/core/programs/repository';
import { exportProgram, exportProgramText, importProgram } from '../../src/core/programs/transfer';
import type { Workspace } from '../../src/core/workspace';
import { twoModuleProgram, workspace } from './fixtures';

let ws: Workspace;
afterEach(() => ws?.close());

const TABLES = ['programs', 'program_modules', 'program_steps', 'program_versions', 'program_undo'];
const stored = () =>
  TABLES.map((t) => (ws.db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n);
const withoutIds = (doc: ReturnType<typeof toDoc>) => ({
  ...doc,
  id: undefined,
  modules: doc.modules.map((m) => ({
    ...m,
    id: undefined,
    steps: m.steps.map((s) => ({ ...s, id: undefined })),
  })),
});

function validFile() {
  return { format: 'creator-hub.program', version: 1, program: twoModuleProgram() };
}

/** Imports and expects a refusal, with nothing stored. Returns the error. */
function refused(input: string | Uint8Array): ProgramError {
  const before = stored();
  let caught: unknown;
  try {
    importProgram(ws.db, input);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(ProgramError);
  expect(stored()).toEqual(before);
  return caught as ProgramError;
}

describe('program export and import', () => {
  it('round-trips a program through its JSON file, with new ids', () => {
    ws = workspace();
    const p = createProgram(ws.db, twoModuleProgram());
    const text = exportProgramText(ws.db, p.id);
    expect(JSON.parse(text)).toMatchObject({ format: 'creator-hub.program', version: 1 });
    const { program, warnings } = importProgram(ws.db, Buffer.from(`\uFEFF${text}`));
    expect(warnings).toEqual([]);
    expect(program.id).not.toBe(p.id);
    expect(withoutIds(toDoc(program))).toEqual(withoutIds(toDoc(getProgram(ws.db, p.id))));
    expect(listPrograms(ws.db)).toHaveLength(2);
  });

  it('imports a draft that breaks publish rules, with warnings naming the fields', () => {
    ws = workspace();
    const file = validFile();
    const step = file.program.modules?.[1]?.steps?.[0];
    if (!step) throw new Error('fixture');
    step.links = [{ documentId: 'not-here' }];
    const { warnings } = importProgram(ws.db, JSON.stringify(file));
    expect(warnings.map((w) => w.path)).toEqual(['modules[1].steps[0].links[0].documentId']);
  });

  it('refuses wrong types and missing fields, naming each field', () => {
    ws = workspace();
    const file = validFile() as { program: Record<string, unknown> };
    const bad = {
      ...file,
      program: {
        title: 7,
        modules: [
          {
            title: 'M',
            steps: [
              { lesson: 'no title', schedule: { dayOffset: 'two' }, checkIn: { kind: 'scale' } },
            ],
          },
        ],
      },
    };
    const error = refused(JSON.stringify(bad));
    expect(error.code).toBe('invalid_program');
    expect(error.issues.map((i) => i.path).sort()).toEqual([
      'program.modules[0].steps[0].checkIn.prompt',
      'program.modules[0].steps[0].schedule.dayOffset',
      'program.modules[0].steps[0].title',
      'program.title',
    ]);
    expect(error.message).toContain(
      '- program.title: Invalid input: expected string, received number',
    );
    expect(refused(JSON.stringify({ program: file.program })).issues.map((i) => i.path)).toEqual([
      'format',
      'version',
    ]);
  });

  it('refuses text that is not a program file at all', () => {
    ws = workspace();
    expect(refused('').message).toMatch(/not valid JSON/);
    expect(refused('{"format": ').message).toMatch(/not valid JSON/);
    expect(refused('null').issues[0]?.path).toBe('(root)');
    expect(refused('[1,2,3]').issues[0]?.path).toBe('(root)');
    expect(refused(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])).message).toMatch(/not UTF-8/);
  });

  it('refuses huge strings and arrays, deep nesting and oversized files', () => {
    ws = workspace();
    const file = validFile();
    const step = file.program.modules?.[0]?.steps?.[0];
    if (!step) throw new Error('fixture');
    step.lesson = 'x'.repeat(60_000);
    expect(refused(JSON.stringify(file)).issues[0]?.path).toBe(
      'program.modules[0].steps[0].lesson',
    );
    step.lesson = 'ok';
    step.links = Array.from({ length: 5000 }, () => ({ documentId: 'd' }));
    expect(refused(JSON.stringify(file)).issues[0]?.message).toMatch(/links: Too big/);
    step.links = [];
    const deep = `{"format":"creator-hub.program","version":1,"program":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    expect(refused(deep).message).toMatch(/nested more than 32 levels/);
    // Brackets inside strings do not count as nesting.
    step.lesson = '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["\\]';
    expect(importProgram(ws.db, JSON.stringify(file)).program.title).toBe('Sleep reset');
    const big = Buffer.alloc(2_000_001, 0x20);
    expect(refused(big).message).toMatch(/at most 2 MB/);
  });

  it('refuses prototype-pollution keys without polluting', () => {
    ws = workspace();
    const text = JSON.stringify(validFile()).replace(
      '"title":"Sleep reset"',
      '"title":"Sleep reset","__proto__":{"isAdmin":true},"constructor":{"prototype":{"isAdmin":true}}',
    );
    const error = refused(text);
    expect(error.issues.map((i) => i.message)).toEqual([
      'program: unknown fields "__proto__", "constructor"',
    ]);
    expect(({} as { isAdmin?: boolean }).isAdmin).toBeUndefined();
    expect(
      refused(`{"__proto__":{"format":"creator-hub.program"}}`).issues.map((i) => i.path),
    ).toContain('(root)');
  });

  it('answers any JSON value with a program or a ProgramError, never a crash (property)', () => {
    ws = workspace();
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => {
        try {
          importProgram(
            ws.db,
            JSON.stringify({ format: 'creator-hub.program', version: 1, program: value }),
          );
        } catch (error) {
          expect(error).toBeInstanceOf(ProgramError);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('round-trips any valid program: import then export gives the same document (property)', () => {
    ws = workspace();
    const text = fc
      .string({ minLength: 1, maxLength: 30 })
      .filter((t) => t.trim() === t && t !== '');
    const checkIn = fc.oneof(
      fc.constant(null),
      fc.record({ kind: fc.constant('text' as const), prompt: text }),
      fc.record({ kind: fc.constant('scale' as const), prompt: text, minLabel: text }),
      fc.record({ kind: fc.constant('yes_no' as const), prompt: text }),
      fc.record({
        kind: fc.constant('choice' as const),
        prompt: text,
        options: fc.array(text, { minLength: 2, maxLength: 4 }),
        multiple: fc.boolean(),
      }),
    );
    const step = fc.record({
      title: text,
      lesson: fc.string({ maxLength: 200 }),
      links: fc.array(fc.record({ documentId: text, page: fc.integer({ min: 1, max: 999 }) }), {
        maxLength: 2,
      }),
      checkIn,
      proactiveMessage: fc.option(fc.string({ maxLength: 50 }), { nil: null }),
      schedule: fc.record({
        anchor: fc.constantFrom('enrolment' as const, 'previous_completion' as const),
        dayOffset: fc.integer({ min: 0, max: 730 }),
        sendTime: fc.constantFrom('00:00', '09:30', '23:59'),
      }),
      completion: fc.constantFrom('read' as const, 'answered' as const, 'manual' as const),
    });
    const program = fc.record({
      title: text,
      description: fc.string({ maxLength: 100 }),
      modules: fc.array(
        fc.record({
          title: text,
          description: fc.string({ maxLength: 50 }),
          steps: fc.array(step, { maxLength: 5 }),
        }),
        { maxLength: 4 },
      ),
    });
    fc.assert(
      fc.property(program, (input) => {
        const file = { format: 'creator-hub.program', version: 1, program: input };
        const { program: stored } = importProgram(ws.db, JSON.stringify(file));
        const exported = exportProgram(ws.db, stored.id).program;
        expect(withoutIds(exported)).toEqual({
          ...input,
          id: undefined,
          modules: input.modules.map((m) => ({
            ...m,
            id: undefined,
            steps: m.steps.map((st) => ({ ...st, id: undefined })),
          })),
        });
      }),
      { numRuns: 60 },
    );
  });

  it('exports the envelope the schema publishes', () => {
    ws = workspace();
    const p = createProgram(ws.db, twoModuleProgram());
    const file = exportProgram(ws.db, p.id, new Date('2026-01-02T03:04:05Z'));
    expect(file.exportedAt).toBe('2026-01-02T03:04:05.000Z');
    expect(file.program.modules.map((m) => m.steps.length)).toEqual([2, 2]);
  });
});
