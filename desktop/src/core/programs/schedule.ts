import type { Schedule } from '@creator-hub/shared/programs/index';
import { DateTime, IANAZone } from 'luxon';

/**
 * When each step of a program is sent to one learner. Send times are local wall-clock times in the
 * learner's IANA time zone, so a 09:00 step stays 09:00 across daylight-saving changes. Steps run in
 * order: a step is never sent before the one before it, and a step anchored on the previous step's
 * completion waits (and so do all later steps) until that completion is known.
 */
export interface ScheduledStepInput {
  id: string;
  schedule: Schedule;
}

export interface PlannedStep {
  stepId: string;
  /** null while the step waits for an earlier step's completion. */
  sendAt: DateTime | null;
  /** The step whose completion this one (directly or through an earlier step) waits for. */
  waitingFor: string | null;
}

export interface PlanInput {
  steps: readonly ScheduledStepInput[];
  enrolledAt: DateTime;
  timeZone: string;
  completions: ReadonlyMap<string, DateTime>;
}

export class TimeZoneError extends Error {
  readonly code = 'bad_time_zone';
  constructor(zone: string) {
    super(`"${zone}" is not an IANA time zone (e.g. Europe/Berlin, America/New_York)`);
  }
}

export function checkTimeZone(zone: string): IANAZone {
  const z = IANAZone.create(zone);
  if (!z.isValid) throw new TimeZoneError(zone);
  return z;
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/**
 * The instant of a local wall-clock time. A time that does not exist (skipped by a spring-forward
 * change) moves forward by the length of the gap (02:30 → 03:30); a time that happens twice (in a
 * fall-back change) resolves to its first occurrence.
 */
export function localTime(
  zone: string,
  date: { year: number; month: number; day: number },
  time: string,
): DateTime {
  const z = checkTimeZone(zone);
  const [hour = 0, minute = 0] = time.split(':').map(Number);
  const wall = Date.UTC(date.year, date.month - 1, date.day, hour, minute);
  // Candidate offsets are those in force a day either side (zone offsets are costly to compute,
  // and no zone changes twice within two days); a candidate is right when the zone agrees it had
  // that offset at the resulting instant.
  const before = z.offset(wall - DAY);
  const after = z.offset(wall + DAY);
  const instants =
    before === after
      ? [wall - before * MINUTE]
      : [wall - before * MINUTE, wall - after * MINUTE]
          .filter((ts) => z.offset(ts) === (wall - ts) / MINUTE)
          .sort((a, b) => a - b);
  const first = instants[0];
  if (first !== undefined) return DateTime.fromMillis(first, { zone });
  // In a gap: luxon keeps the wall time's distance from midnight, i.e. moves forward by the gap.
  return DateTime.fromObject({ ...date, hour, minute }, { zone });
}

/** `dayOffset` calendar days after the anchor's local date, at the step's local send time. */
export function sendTimeAfter(anchor: DateTime, schedule: Schedule, zone: string): DateTime {
  const local = anchor.setZone(zone);
  // Calendar arithmetic on the local date, in UTC so that no offset is involved.
  const day = new Date(Date.UTC(local.year, local.month - 1, local.day + schedule.dayOffset));
  const at = localTime(
    zone,
    { year: day.getUTCFullYear(), month: day.getUTCMonth() + 1, day: day.getUTCDate() },
    schedule.sendTime,
  );
  // Day 0 after the send time has passed: send right away rather than a day late.
  return at < anchor ? local : at;
}

/** The step before the one being scheduled: when it was (or will be) sent, and completed. */
export interface PreviousStep {
  sendAt: DateTime;
  completedAt: DateTime | undefined;
}

/**
 * When one step is sent, given the step before it (undefined for the first step), or null while it
 * waits for that step's completion. The first step has no previous step; validation flags a first
 * step anchored on one, and the engine anchors it on enrolment.
 */
export function stepSendAt(
  step: ScheduledStepInput,
  previous: PreviousStep | undefined,
  enrolledAt: DateTime,
  zone: string,
): DateTime | null {
  let at: DateTime;
  if (step.schedule.anchor === 'previous_completion' && previous) {
    if (!previous.completedAt) return null;
    at = sendTimeAfter(previous.completedAt, step.schedule, zone);
  } else {
    at = sendTimeAfter(enrolledAt, step.schedule, zone);
  }
  return previous && at < previous.sendAt ? previous.sendAt : at;
}

export function planSchedule(input: PlanInput): PlannedStep[] {
  checkTimeZone(input.timeZone);
  const plan: PlannedStep[] = [];
  let previous: (PreviousStep & { id: string }) | undefined;
  let waitingFor: string | null = null;
  for (const step of input.steps) {
    if (waitingFor !== null) {
      plan.push({ stepId: step.id, sendAt: null, waitingFor });
      continue;
    }
    const sendAt = stepSendAt(step, previous, input.enrolledAt, input.timeZone);
    if (sendAt === null) waitingFor = previous?.id ?? null;
    plan.push({ stepId: step.id, sendAt, waitingFor });
    if (sendAt !== null) {
      previous = { id: step.id, sendAt, completedAt: input.completions.get(step.id) };
    }
  }
  return plan;
}
