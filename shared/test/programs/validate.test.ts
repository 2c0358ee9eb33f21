import { describe, expect, it } from 'vitest';
import { type ProgramInput, programSchema } from '../../src/programs/schema';
import { validateProgram } from '../../src/programs/validate';

const valid = (): ProgramInput => ({
  title: 'Sleep better',
  modules: [
    {
      title: 'Week 1',
      steps: [
        { title: 'Welcome', lesson: 'Hello', schedule: { dayOffset: 0, sendTime: '09:00' } },
        {
          title: 'Rate your sleep',
          checkIn: { kind: 'scale', prompt: 'How did you sleep?' },
          completion: 'answered',
          schedule: { dayOffset: 1, sendTime: '20:00' },
        },
      ],
    },
    {
      title: 'Week 2',
      steps: [
        {
          title: 'Routine',
          lesson: 'Wind down',
          schedule: { anchor: 'previous_completion', dayOffset: 2 },
          links: [{ documentId: 'doc-1', section: 'Intro' }],
        },
      ],
    },
  ],
});

function check(input: ProgramInput, known = ['doc-1']) {
  const issues = validateProgram(programSchema.parse(input), {
    documentExists: (id) => known.includes(id),
  });
  return issues;
}

describe('validateProgram', () => {
  it('passes a well-formed program', () => {
    expect(check(valid())).toEqual([]);
  });

  it('rejects a program without modules, and a module without steps', () => {
    expect(check({ title: 'x' })[0]).toMatchObject({ path: 'modules', code: 'no_modules' });
    const p = valid();
    p.modules?.push({ title: 'Empty', steps: [] });
    expect(check(p)).toEqual([
      expect.objectContaining({
        path: 'modules[2]',
        code: 'no_steps',
        message: expect.stringContaining('"Empty"'),
      }),
    ]);
  });

  it('rejects an empty step, naming it', () => {
    const p = valid();
    p.modules?.[0]?.steps?.push({
      title: 'Nothing here',
      lesson: '   ',
      schedule: { dayOffset: 3 },
    });
    const [issue] = check(p);
    expect(issue).toMatchObject({ path: 'modules[0].steps[2]', code: 'empty_step' });
    expect(issue?.message).toContain('"Nothing here"');
  });

  it('rejects a blank proactive message', () => {
    const p = valid();
    const step = p.modules?.[0]?.steps?.[0];
    if (step) step.proactiveMessage = '  ';
    expect(check(p).map((i) => i.path)).toEqual(['modules[0].steps[0].proactiveMessage']);
  });

  it('rejects completion by answer without a check-in', () => {
    const p = valid();
    const step = p.modules?.[0]?.steps?.[0];
    if (step) step.completion = 'answered';
    expect(check(p)).toEqual([
      expect.objectContaining({
        path: 'modules[0].steps[0].completion',
        code: 'answer_without_check_in',
      }),
    ]);
  });

  it('checks multiple-choice options: count and repeats', () => {
    const p = valid();
    const step = p.modules?.[0]?.steps?.[1];
    if (!step) throw new Error('fixture');
    step.checkIn = { kind: 'choice', prompt: 'Pick', options: ['Yes'] };
    expect(check(p).map((i) => i.code)).toEqual(['choice_option_count']);
    step.checkIn = {
      kind: 'choice',
      prompt: 'Pick',
      options: Array.from({ length: 11 }, (_, i) => `o${i}`),
    };
    expect(check(p).map((i) => i.code)).toEqual(['choice_option_count']);
    step.checkIn = { kind: 'choice', prompt: 'Pick', options: ['Tea', 'Coffee', ' tea'] };
    expect(check(p)).toEqual([
      expect.objectContaining({
        path: 'modules[0].steps[1].checkIn.options[2]',
        code: 'duplicate_option',
      }),
    ]);
  });

  it('rejects a first step that waits on a previous step', () => {
    const p = valid();
    const step = p.modules?.[0]?.steps?.[0];
    if (step) step.schedule = { anchor: 'previous_completion', dayOffset: 1 };
    expect(check(p).map((i) => [i.path, i.code])).toEqual([
      ['modules[0].steps[0].schedule.anchor', 'no_previous_step'],
    ]);
  });

  it('rejects an enrolment schedule that runs backwards, by day or by time', () => {
    const p = valid();
    const second = p.modules?.[0]?.steps?.[1];
    if (!second) throw new Error('fixture');
    second.schedule = { dayOffset: 0, sendTime: '08:59' };
    const [issue] = check(p);
    expect(issue).toMatchObject({
      path: 'modules[0].steps[1].schedule',
      code: 'schedule_out_of_order',
    });
    expect(issue?.message).toContain('modules[0].steps[0]');
    second.schedule = { dayOffset: 0, sendTime: '09:00' };
    expect(check(p)).toEqual([]);
  });

  it('rejects links to documents that do not exist', () => {
    expect(check(valid(), [])).toEqual([
      expect.objectContaining({
        path: 'modules[1].steps[0].links[0].documentId',
        code: 'missing_document',
      }),
    ]);
  });

  it('rejects duplicated ids', () => {
    const p = valid();
    const [a, b] = p.modules?.[0]?.steps ?? [];
    if (!a || !b) throw new Error('fixture');
    a.id = 'same';
    b.id = 'same';
    expect(check(p)).toEqual([
      expect.objectContaining({ path: 'modules[0].steps[1].id', code: 'duplicate_id' }),
    ]);
  });
});
