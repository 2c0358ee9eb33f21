import { describe, expect, it } from 'vitest';
import { describeIssues, issuesFromZod } from '../../src/programs/issues';
import { LIMITS, programFileSchema, programSchema } from '../../src/programs/schema';

const file = (program: unknown) => ({ format: 'creator-hub.program', version: 1, program });

function errors(input: unknown) {
  const result = programFileSchema.safeParse(input);
  if (result.success) throw new Error('expected a failure');
  return issuesFromZod(result.error);
}

describe('program schema', () => {
  it('fills defaults for a minimal program', () => {
    const p = programSchema.parse({
      title: 'T',
      modules: [{ title: 'M', steps: [{ title: 'S' }] }],
    });
    expect(p.modules[0]?.steps[0]).toEqual({
      title: 'S',
      lesson: '',
      links: [],
      checkIn: null,
      proactiveMessage: null,
      schedule: { anchor: 'enrolment', dayOffset: 0, sendTime: '09:00' },
      completion: 'read',
    });
  });

  it('names the bad field for wrong types and missing fields', () => {
    const issues = errors(
      file({
        title: 42,
        modules: [{ title: 'M', steps: [{ lesson: 'x', schedule: { dayOffset: '1' } }] }],
      }),
    );
    const paths = issues.map((i) => i.path);
    expect(paths).toContain('program.title');
    expect(paths).toContain('program.modules[0].steps[0].title');
    expect(paths).toContain('program.modules[0].steps[0].schedule.dayOffset');
    expect(issues[0]?.message).toMatch(/^program\.\S+: /);
  });

  it('rejects a wrong envelope', () => {
    expect(errors({ format: 'other', version: 1, program: { title: 'x' } })[0]?.path).toBe(
      'format',
    );
    expect(
      errors({ format: 'creator-hub.program', version: 2, program: { title: 'x' } })[0]?.path,
    ).toBe('version');
    expect(errors([])[0]?.path).toBe('(root)');
  });

  it('rejects bad send times, offsets and check-in kinds', () => {
    const step = (s: object) =>
      file({ title: 'T', modules: [{ title: 'M', steps: [{ title: 'S', ...s }] }] });
    const at = 'program.modules[0].steps[0]';
    expect(errors(step({ schedule: { sendTime: '24:00' } }))[0]?.message).toBe(
      `${at}.schedule.sendTime: must be a 24-hour time HH:MM`,
    );
    expect(errors(step({ schedule: { dayOffset: -1 } }))[0]?.path).toBe(`${at}.schedule.dayOffset`);
    expect(errors(step({ schedule: { dayOffset: 1.5 } }))[0]?.path).toBe(
      `${at}.schedule.dayOffset`,
    );
    expect(errors(step({ checkIn: { kind: 'poll', prompt: 'x' } }))[0]?.path).toBe(
      `${at}.checkIn.kind`,
    );
    expect(errors(step({ completion: 'never' }))[0]?.path).toBe(`${at}.completion`);
  });

  it('rejects unknown and prototype-polluting keys without polluting anything', () => {
    const text = `{"format":"creator-hub.program","version":1,"program":{"title":"T","__proto__":{"polluted":true},"modules":[{"title":"M","constructor":{"prototype":{"polluted":true}}}]}}`;
    const issues = errors(JSON.parse(text));
    expect(issues.map((i) => i.message).sort()).toEqual([
      'program.modules[0]: unknown field "constructor"',
      'program: unknown field "__proto__"',
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('bounds strings and arrays', () => {
    const huge = 'x'.repeat(LIMITS.lesson + 1);
    expect(
      errors(
        file({ title: 'T', modules: [{ title: 'M', steps: [{ title: 'S', lesson: huge }] }] }),
      )[0]?.path,
    ).toBe('program.modules[0].steps[0].lesson');
    const modules = Array.from({ length: LIMITS.modules + 1 }, () => ({ title: 'M' }));
    expect(errors(file({ title: 'T', modules }))[0]?.path).toBe('program.modules');
    expect(errors(file({ title: 'x'.repeat(LIMITS.title + 1) }))[0]?.path).toBe('program.title');
  });

  it('caps the summary of many issues', () => {
    const modules = Array.from({ length: 30 }, () => ({ title: '' }));
    const text = describeIssues(errors(file({ title: 'T', modules })), 5);
    expect(text.split('\n')).toHaveLength(6);
    expect(text).toContain('and 25 more');
  });
});
