import { afterEach, describe, expect, it } from 'vitest';
import { getProgram, toDoc } from '../../src/core/programs/read';
import { createProgram } from '../../src/core/programs/repository';
import { Simulation, stepContextPrompt } from '../../src/core/programs/simulate';
import type { Workspace } from '../../src/core/workspace';
import { twoModuleProgram, workspace } from './fixtures';

let ws: Workspace;
afterEach(() => ws?.close());

function setup() {
  ws = workspace();
  const program = toDoc(getProgram(ws.db, createProgram(ws.db, twoModuleProgram()).id));
  const ids = program.modules.flatMap((m) => m.steps.map((s) => s.id ?? ''));
  return { program, ids };
}

const brief = (events: { at: string; day: number; kind: string; step: string }[]) =>
  events.map((e) => `${e.at} d${e.day} ${e.kind} ${e.step}`);

describe('learner simulation', () => {
  it('sends a two-module program day by day in New York, across the DST change, waiting on answers', () => {
    const { program, ids } = setup();
    const sim = new Simulation(program, {
      start: '2026-03-06T10:00',
      timeZone: 'America/New_York',
    });
    expect(brief(sim.advanceDays(2))).toEqual([
      '2026-03-06T10:00:00.000-05:00 d0 message Welcome',
      '2026-03-06T10:00:00.000-05:00 d0 lesson Welcome',
      '2026-03-06T10:00:00.000-05:00 d0 completed Welcome',
      '2026-03-07T08:00:00.000-05:00 d1 lesson Rate your sleep',
      '2026-03-07T08:00:00.000-05:00 d1 check_in Rate your sleep',
    ]);
    expect(sim.waiting()).toEqual([{ stepId: ids[1], step: 'Rate your sleep', needs: 'answer' }]);
    expect(sim.upcoming().map((u) => u.sendAt)).toEqual([null, null]);
    expect(sim.advanceDays(3)).toEqual([]);

    // Answered on day 5 (March 11, after the switch to EDT): week 2 starts 2 days later at 19:30.
    expect(sim.answer(ids[1] ?? '', '8')).toBe(8);
    expect(sim.upcoming()[0]?.sendAt).toBe('2026-03-13T19:30:00.000-04:00');
    expect(brief(sim.advanceDays(3))).toEqual([
      '2026-03-13T19:30:00.000-04:00 d7 message Wind-down routine',
      '2026-03-13T19:30:00.000-04:00 d7 lesson Wind-down routine',
      '2026-03-13T19:30:00.000-04:00 d7 check_in Wind-down routine',
    ]);
    expect(() => sim.answer(ids[2] ?? '', 'Swimming')).toThrow(
      /not one of the options: 1\. Reading/,
    );
    expect(sim.answer(ids[2] ?? '', '2')).toBe('Stretching');
    sim.advanceDays(2);
    expect(sim.waiting()).toEqual([
      { stepId: ids[3], step: 'Check with your coach', needs: 'manual' },
    ]);
    sim.complete(ids[3] ?? '');
    expect(sim.waiting()).toEqual([]);
    expect(sim.events.filter((e) => e.kind === 'completed')).toHaveLength(4);
  });

  it('answers for the learner and runs the whole program in Berlin', () => {
    const { program, ids } = setup();
    const answers = new Map([[ids[1] ?? '', 3 as const]]);
    const sim = new Simulation(program, {
      start: '2026-03-27T07:00:00Z',
      timeZone: 'Europe/Berlin',
      autoRespond: true,
      answers,
    });
    const events = sim.advanceDays(10);
    expect(
      events
        .filter((e) => e.kind === 'check_in' || e.kind === 'answer')
        .map((e) => [e.at, e.kind, e.text]),
    ).toEqual([
      ['2026-03-28T08:00:00.000+01:00', 'check_in', 'How well did you sleep (1-10)?'],
      ['2026-03-28T08:00:00.000+01:00', 'answer', '3'],
      ['2026-03-30T19:30:00.000+02:00', 'check_in', 'Which will you try?'],
      ['2026-03-30T19:30:00.000+02:00', 'answer', 'Reading'],
      ['2026-03-31T09:00:00.000+02:00', 'check_in', 'Did the routine help?'],
      ['2026-03-31T09:00:00.000+02:00', 'answer', 'true'],
    ]);
    expect(sim.waiting()).toEqual([]);
    expect(sim.upcoming()).toEqual([]);
  });

  it('exposes the current step for a chat with the companion', () => {
    const { program, ids } = setup();
    const sim = new Simulation(program, { start: '2026-06-01', timeZone: 'UTC' });
    expect(sim.currentStep()).toBeNull();
    sim.advanceDays(1); // up to midnight: day 1's 08:00 step is not due yet
    expect(sim.currentStep()?.step).toBe('Welcome');
    sim.advanceDays(1);
    sim.answer(ids[1] ?? '', 9);
    const context = sim.currentStep();
    expect(context).toMatchObject({
      step: 'Rate your sleep',
      module: 'Week 1: Foundations',
      position: { index: 2, of: 4 },
      day: 2,
      answer: 9,
      completed: true,
    });
    const prompt = stepContextPrompt(context ?? ({} as never));
    expect(prompt).toContain('day 2 of the program "Sleep reset"');
    expect(prompt).toContain('The learner answered: 9');
  });

  it('refuses bad input with a clear reason', () => {
    const { program, ids } = setup();
    expect(() => new Simulation(program, { start: 'soon', timeZone: 'UTC' })).toThrow(
      /not an ISO date/,
    );
    expect(
      () => new Simulation(program, { start: '2026-01-01', timeZone: 'Nowhere/City' }),
    ).toThrow(/not an IANA time zone/);
    const sim = new Simulation(program, { start: '2026-01-01', timeZone: 'UTC' });
    expect(() => sim.answer(ids[1] ?? '', 5)).toThrow(/has not been sent yet/);
    sim.advanceDays(2);
    expect(() => sim.answer(ids[1] ?? '', 11)).toThrow(/whole number from 1 to 10/);
    expect(() => sim.answer(ids[0] ?? '', 'x')).toThrow(/has no check-in/);
  });
});
