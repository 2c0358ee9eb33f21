import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  localTime,
  planSchedule,
  type ScheduledStepInput,
  sendTimeAfter,
} from '../../src/core/programs/schedule';

const NY = 'America/New_York';
const BERLIN = 'Europe/Berlin';
const at = (iso: string, zone: string) => DateTime.fromISO(iso, { zone });
const step = (id: string, s: Partial<ScheduledStepInput['schedule']>): ScheduledStepInput => ({
  id,
  schedule: { anchor: 'enrolment', dayOffset: 0, sendTime: '09:00', ...s },
});
const iso = (d: DateTime | null | undefined) => d?.toISO() ?? null;

describe('local send times across DST', () => {
  it('keeps 09:00 local across spring-forward and fall-back, in New York and Berlin', () => {
    // New York: DST starts 2026-03-08, ends 2026-11-01. Berlin: starts 03-29, ends 10-25.
    const ny = at('2026-03-06T12:00', NY);
    expect(
      iso(sendTimeAfter(ny, { anchor: 'enrolment', dayOffset: 1, sendTime: '09:00' }, NY)),
    ).toBe('2026-03-07T09:00:00.000-05:00');
    expect(
      iso(sendTimeAfter(ny, { anchor: 'enrolment', dayOffset: 3, sendTime: '09:00' }, NY)),
    ).toBe('2026-03-09T09:00:00.000-04:00');
    const de = at('2026-10-24T12:00', BERLIN);
    expect(
      iso(sendTimeAfter(de, { anchor: 'enrolment', dayOffset: 1, sendTime: '09:00' }, BERLIN)),
    ).toBe('2026-10-25T09:00:00.000+01:00');
    const deSpring = at('2026-03-28T12:00', BERLIN);
    expect(
      iso(
        sendTimeAfter(deSpring, { anchor: 'enrolment', dayOffset: 2, sendTime: '09:00' }, BERLIN),
      ),
    ).toBe('2026-03-30T09:00:00.000+02:00');
    // The gap between the two local 09:00s is 23 h across spring-forward, not 24.
    const a = localTime(NY, { year: 2026, month: 3, day: 7 }, '09:00');
    const b = localTime(NY, { year: 2026, month: 3, day: 8 }, '09:00');
    expect(b.diff(a, 'hours').hours).toBe(23);
  });

  it('moves a time inside a spring-forward gap forward', () => {
    expect(iso(localTime(NY, { year: 2026, month: 3, day: 8 }, '02:30'))).toBe(
      '2026-03-08T03:30:00.000-04:00',
    );
    expect(iso(localTime(BERLIN, { year: 2026, month: 3, day: 29 }, '02:00'))).toBe(
      '2026-03-29T03:00:00.000+02:00',
    );
  });

  it('picks the first occurrence of an ambiguous fall-back time', () => {
    expect(iso(localTime(NY, { year: 2026, month: 11, day: 1 }, '01:30'))).toBe(
      '2026-11-01T01:30:00.000-04:00',
    );
    expect(iso(localTime(BERLIN, { year: 2026, month: 10, day: 25 }, '02:30'))).toBe(
      '2026-10-25T02:30:00.000+02:00',
    );
    // Lord Howe falls back by 30 minutes.
    expect(iso(localTime('Australia/Lord_Howe', { year: 2026, month: 4, day: 5 }, '01:45'))).toBe(
      '2026-04-05T01:45:00.000+11:00',
    );
  });

  it('counts days in the learner zone, not UTC', () => {
    // 23:30 in New York is already the next day in UTC; day 1 is still March 2 locally.
    const late = at('2026-03-01T23:30', NY);
    expect(
      iso(sendTimeAfter(late, { anchor: 'enrolment', dayOffset: 1, sendTime: '07:00' }, NY)),
    ).toBe('2026-03-02T07:00:00.000-05:00');
  });

  it('sends a day-0 step right away when its time has passed', () => {
    const enrolled = at('2026-05-04T15:00', BERLIN);
    expect(
      iso(
        sendTimeAfter(enrolled, { anchor: 'enrolment', dayOffset: 0, sendTime: '09:00' }, BERLIN),
      ),
    ).toBe('2026-05-04T15:00:00.000+02:00');
  });

  it('refuses an unknown time zone', () => {
    expect(() => localTime('Mars/Olympus', { year: 2026, month: 1, day: 1 }, '09:00')).toThrow(
      /not an IANA time zone/,
    );
  });
});

describe('planSchedule', () => {
  const enrolledAt = at('2026-03-02T08:00', NY);
  const steps = [
    step('a', { dayOffset: 0, sendTime: '09:00' }),
    step('b', { dayOffset: 2, sendTime: '18:00' }),
    step('c', { anchor: 'previous_completion', dayOffset: 1, sendTime: '07:30' }),
    step('d', { dayOffset: 3, sendTime: '09:00' }),
  ];

  it('waits on a completion, then schedules from the completion day', () => {
    const plan = planSchedule({ steps, enrolledAt, timeZone: NY, completions: new Map() });
    expect(plan.map((p) => [p.stepId, iso(p.sendAt), p.waitingFor])).toEqual([
      ['a', '2026-03-02T09:00:00.000-05:00', null],
      ['b', '2026-03-04T18:00:00.000-05:00', null],
      ['c', null, 'b'],
      ['d', null, 'b'],
    ]);
    // b completed on the 6th at 22:00 local: c goes on the 7th at 07:30; d (day 3) may not precede c.
    const completions = new Map([['b', at('2026-03-06T22:00', NY)]]);
    const later = planSchedule({ steps, enrolledAt, timeZone: NY, completions });
    expect(later.map((p) => iso(p.sendAt))).toEqual([
      '2026-03-02T09:00:00.000-05:00',
      '2026-03-04T18:00:00.000-05:00',
      '2026-03-07T07:30:00.000-05:00',
      '2026-03-07T07:30:00.000-05:00',
    ]);
  });

  it('anchors a completion-relative step across DST at the same local time', () => {
    const completions = new Map([['b', at('2026-03-07T20:00', NY)]]);
    const plan = planSchedule({ steps, enrolledAt, timeZone: NY, completions });
    expect(iso(plan[2]?.sendAt)).toBe('2026-03-08T07:30:00.000-04:00');
  });

  const schedules = fc.array(
    fc.record({
      anchor: fc.constantFrom('enrolment' as const, 'previous_completion' as const),
      dayOffset: fc.integer({ min: 0, max: 400 }),
      sendTime: fc
        .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
        .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`),
    }),
    { minLength: 1, maxLength: 12 },
  );
  const zones = fc.constantFrom(
    NY,
    BERLIN,
    'Australia/Lord_Howe',
    'Asia/Kolkata',
    'UTC',
    'America/St_Johns',
  );

  it('never sends a step before the previous one, nor before enrolment or its anchor (property)', () => {
    fc.assert(
      fc.property(
        schedules,
        zones,
        fc.integer({ min: 0, max: 365 * 24 * 60 }),
        fc.array(fc.integer({ min: 0, max: 72 * 60 }), { maxLength: 12 }),
        (list, zone, startMinute, delays) => {
          const input = list.map((s, i) => ({ id: `s${i}`, schedule: s }));
          const start = DateTime.fromISO('2026-01-01T00:00Z').plus({ minutes: startMinute });
          // Complete each step some minutes after it is sent, replanning as a learner would.
          const completions = new Map<string, DateTime>();
          let plan = planSchedule({ steps: input, enrolledAt: start, timeZone: zone, completions });
          for (let i = 0; i < input.length; i += 1) {
            const sendAt = plan[i]?.sendAt;
            if (!sendAt) break;
            completions.set(`s${i}`, sendAt.plus({ minutes: delays[i] ?? 5 }));
            plan = planSchedule({ steps: input, enrolledAt: start, timeZone: zone, completions });
          }
          let previous: DateTime = start;
          plan.forEach((p, i) => {
            expect(p.sendAt).not.toBeNull();
            const sendAt = p.sendAt as DateTime;
            expect(sendAt.toMillis()).toBeGreaterThanOrEqual(previous.toMillis());
            const anchor =
              list[i]?.anchor === 'previous_completion' && i > 0
                ? completions.get(`s${i - 1}`)
                : start;
            expect(sendAt.toMillis()).toBeGreaterThanOrEqual(anchor?.toMillis() ?? 0);
            previous = sendAt;
          });
        },
      ),
      { numRuns: 100 },
    );
  });

  it('keeps the local send time unless it had to wait (property)', () => {
    fc.assert(
      fc.property(schedules, zones, (list, zone) => {
        const input = list.map((s, i) => ({
          id: `s${i}`,
          schedule: { ...s, anchor: 'enrolment' as const },
        }));
        const start = DateTime.fromISO('2026-01-01T00:00', { zone });
        const plan = planSchedule({
          steps: input,
          enrolledAt: start,
          timeZone: zone,
          completions: new Map(),
        });
        plan.forEach((p, i) => {
          const local = p.sendAt?.setZone(zone).toFormat('HH:mm');
          const prev = plan[i - 1]?.sendAt;
          const clamped = prev !== null && prev !== undefined && p.sendAt?.equals(prev);
          // Only a time inside a DST gap may move (forward).
          if (!clamped && local !== list[i]?.sendTime) {
            expect((local ?? '') > (list[i]?.sendTime ?? '')).toBe(true);
          }
        });
      }),
      { numRuns: 150 },
    );
  });
});
