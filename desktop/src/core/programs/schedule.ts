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
  // Candidate offsets are those in force around that day; a candidate is right when the zone
  // agrees it had that offset at the resulting instant.
  const offsets = new Set([z.offset(wall - DAY), z.offset(wall), z.offset(wall + DAY)]);
  const instants = [...offsets]
    .map((offset) => wall - offset * MINUTE)
    .filter((ts) => z.offset(ts) === (wall - ts) / MINUTE)
    .sort((a, b) => a - b);
  const first = instants[0];
  if (first !== undefined) return DateTime.fromMillis(first, { zone });
  // In a gap: luxon keeps the wall time's distance from midnight, i.e. moves forward by the gap.
  return DateTime.fromObject({ ...date, hour, minute }, { zone });
}

/** `dayOffset` calendar days after the anchor's local date, at the step's local send time. */
export function sendTimeAfter(anchor: DateTime, schedule: Schedule, zone: string): DateTime {
  const day = anchor.setZone(zone).startOf('day').plus({ days: schedule.dayOffset });
  const at = localTime(zone, { year: day.year, month: day.month, day: day.day }, schedule.sendTime);
  // Day 0 after the send time has passed: send right away rather than a day late.
  return at < anchor ? anchor.setZone(zone) : at;
}

export function planSchedule(input: PlanInput): PlannedStep[] {
  checkTimeZone(input.timeZone);
  const plan: PlannedStep[] = [];
  let previous: PlannedStep | undefined;
  let previousId: string | undefined;
  for (const step of input.steps) {
    const { anchor } = step.schedule;
    let planned: PlannedStep;
    if (previous && previous.sendAt === null) {
      planned = { stepId: step.id, sendAt: null, waitingFor: previous.waitingFor };
    } else if (anchor === 'previous_completion' && previousId !== undefined) {
      const done = input.completions.get(previousId);
      planned = done
        ? {
            stepId: step.id,
            sendAt: sendTimeAfter(done, step.schedule, input.timeZone),
            waitingFor: null,
          }
        : { stepId: step.id, sendAt: null, waitingFor: previousId };
    } else {
      // The first step has no previous step; validation flags that, the engine anchors it on enrolment.
      const sendAt = sendTimeAfter(input.enrolledAt, step.schedule, input.timeZone);
      planned = { stepId: step.id, sendAt, waitingFor: null };
    }
    const prevAt = previous?.sendAt;
    if (planned.sendAt && prevAt && planned.sendAt < prevAt) {
      planned = { ...planned, sendAt: prevAt };
    }
    plan.push(planned);
    previous = planned;
    previousId = step.id;
  }
  return plan;
}
