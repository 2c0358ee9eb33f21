import type { ProgramDoc, Step } from '@creator-hub/shared/programs/index';
import { DateTime } from 'luxon';
import { type Answer, AnswerError, defaultAnswer, parseAnswer } from './answers';
import { checkTimeZone, planSchedule, stepSendAt } from './schedule';

/**
 * A learner stepping through a program offline: the same schedule engine the server uses decides
 * what is sent when, in the learner's time zone; check-ins can be answered and steps completed by
 * hand, and the current step's context is there for a chat with the companion.
 */
export interface SimulationOptions {
  /** Enrolment: an ISO date-time; without an offset it is read in the learner's time zone. */
  start: string;
  timeZone: string;
  /** Answer every check-in on arrival (with the scripted answer or a default) and complete manual steps. */
  autoRespond?: boolean;
  /** Answers to give on arrival, by step id. */
  answers?: ReadonlyMap<string, Answer>;
}

export type SimEventKind = 'message' | 'lesson' | 'check_in' | 'answer' | 'completed';

export interface SimEvent {
  /** ISO instant with the learner's offset. */
  at: string;
  /** Calendar days since the enrolment day, in the learner's time zone (0 = enrolment day). */
  day: number;
  kind: SimEventKind;
  stepId: string;
  module: string;
  step: string;
  text: string;
}

export interface StepContext {
  program: string;
  module: string;
  step: string;
  stepId: string;
  position: { index: number; of: number };
  day: number;
  lesson: string;
  checkIn: string | null;
  answer: Answer | null;
  completed: boolean;
}

const DAY_MS = 86_400_000;

export class SimulationError extends Error {
  readonly code = 'bad_simulation';
}

interface FlatStep extends Step {
  id: string;
  module: string;
}

export class Simulation {
  readonly events: SimEvent[] = [];
  readonly enrolledAt: DateTime;
  /** The enrolment date as a UTC midnight, to count calendar days without zone arithmetic. */
  private readonly enrolmentDay: number;
  private clock: DateTime;
  private readonly steps: FlatStep[];
  private readonly byId: Map<string, FlatStep>;
  /** Sent steps and when; always a prefix of the program's steps. */
  private readonly sentAt = new Map<string, DateTime>();
  private readonly completions = new Map<string, DateTime>();
  private readonly given = new Map<string, Answer>();

  constructor(
    readonly program: ProgramDoc,
    readonly options: SimulationOptions,
  ) {
    checkTimeZone(options.timeZone);
    const start = DateTime.fromISO(options.start, { zone: options.timeZone, setZone: false });
    if (!start.isValid) {
      throw new SimulationError(`start "${options.start}" is not an ISO date or date-time`);
    }
    this.enrolledAt = start.setZone(options.timeZone);
    const { year, month, day } = this.enrolledAt;
    this.enrolmentDay = Date.UTC(year, month - 1, day);
    this.clock = this.enrolledAt;
    this.steps = program.modules.flatMap((m, mi) =>
      m.steps.map((s, si) => ({ ...s, id: s.id ?? `m${mi}s${si}`, module: m.title })),
    );
    this.byId = new Map(this.steps.map((s) => [s.id, s]));
  }

  private get zone(): string {
    return this.options.timeZone;
  }

  get now(): DateTime {
    return this.clock;
  }

  /** Moves the clock forward `days` days, sending whatever falls due. Returns the new events. */
  advanceDays(days: number): SimEvent[] {
    return this.advanceTo(this.clock.plus({ days }));
  }

  advanceTo(until: DateTime): SimEvent[] {
    const from = this.events.length;
    // Steps go out in order, so only the next unsent step needs a time: linear in the program.
    for (;;) {
      const step = this.steps[this.sentAt.size];
      if (!step) break;
      const at = stepSendAt(step, this.previousOf(this.sentAt.size), this.enrolledAt, this.zone);
      if (at === null || at > until) break;
      this.deliver(step, at);
    }
    if (until > this.clock) this.clock = until.setZone(this.zone);
    return this.events.slice(from);
  }

  private previousOf(index: number) {
    const prev = this.steps[index - 1];
    const sendAt = prev && this.sentAt.get(prev.id);
    if (!prev || !sendAt) return undefined;
    return { sendAt, completedAt: this.completions.get(prev.id) };
  }

  /** The learner answers a delivered check-in now; an answer-completed step completes. */
  answer(stepId: string, raw: Answer): Answer {
    const step = this.deliveredStep(stepId);
    if (!step.checkIn) throw new AnswerError(`step "${step.title}" has no check-in question`);
    const value = parseAnswer(step.checkIn, raw);
    this.given.set(step.id, value);
    this.emit('answer', step, this.clock, Array.isArray(value) ? value.join(', ') : String(value));
    if (step.completion === 'answered') this.complete(step.id);
    return value;
  }

  /** Marks a delivered step complete now (the coach or learner does it by hand). */
  complete(stepId: string): void {
    const step = this.deliveredStep(stepId);
    if (this.completions.has(step.id)) return;
    this.completions.set(step.id, this.clock);
    this.emit('completed', step, this.clock, `completed (${step.completion})`);
  }

  /** Steps sent but not complete, with what completes them. */
  waiting(): { stepId: string; step: string; needs: 'answer' | 'manual' }[] {
    return this.steps
      .filter((s) => this.sentAt.has(s.id) && !this.completions.has(s.id))
      .map((s) => ({
        stepId: s.id,
        step: s.title,
        needs: s.completion === 'manual' ? 'manual' : 'answer',
      }));
  }

  /** Upcoming sends with their times (null: waits on a completion). */
  upcoming(): { stepId: string; step: string; sendAt: string | null }[] {
    return this.plan()
      .filter((p) => !this.sentAt.has(p.stepId))
      .map((p) => ({
        stepId: p.stepId,
        step: this.stepById(p.stepId).title,
        sendAt: p.sendAt?.toISO() ?? null,
      }));
  }

  /** The step a chat with the companion is about: the latest one sent. */
  currentStep(): StepContext | null {
    const index = this.steps.findLastIndex((s) => this.sentAt.has(s.id));
    const step = this.steps[index];
    if (!step) return null;
    return {
      program: this.program.title,
      module: step.module,
      step: step.title,
      stepId: step.id,
      position: { index: index + 1, of: this.steps.length },
      day: this.dayOf(this.clock),
      lesson: step.lesson,
      checkIn: step.checkIn?.prompt ?? null,
      answer: this.given.get(step.id) ?? null,
      completed: this.completions.has(step.id),
    };
  }

  private plan() {
    return planSchedule({
      steps: this.steps,
      enrolledAt: this.enrolledAt,
      timeZone: this.options.timeZone,
      completions: this.completions,
    });
  }

  private deliver(step: FlatStep, at: DateTime): void {
    this.sentAt.set(step.id, at);
    if (at > this.clock) this.clock = at;
    if (step.proactiveMessage) this.emit('message', step, at, step.proactiveMessage);
    if (step.lesson.trim()) this.emit('lesson', step, at, step.lesson);
    if (step.checkIn) this.emit('check_in', step, at, step.checkIn.prompt);
    // The simulated learner opens what arrives, so a read-completed step completes on arrival.
    if (step.completion === 'read') this.complete(step.id);
    const scripted = this.options.answers?.get(step.id);
    if (step.checkIn && (scripted !== undefined || this.options.autoRespond)) {
      this.answer(step.id, scripted ?? defaultAnswer(step.checkIn));
    }
    if (step.completion === 'manual' && this.options.autoRespond) this.complete(step.id);
  }

  private emit(kind: SimEventKind, step: FlatStep, at: DateTime, text: string): void {
    this.events.push({
      at: at.setZone(this.options.timeZone).toISO() ?? '',
      day: this.dayOf(at),
      kind,
      stepId: step.id,
      module: step.module,
      step: step.title,
      text,
    });
  }

  private dayOf(at: DateTime): number {
    const local = at.setZone(this.zone);
    return Math.round(
      (Date.UTC(local.year, local.month - 1, local.day) - this.enrolmentDay) / DAY_MS,
    );
  }

  private stepById(id: string): FlatStep {
    const step = this.byId.get(id);
    if (!step) throw new SimulationError(`no step "${id}" in "${this.program.title}"`);
    return step;
  }

  private deliveredStep(id: string): FlatStep {
    const step = this.stepById(id);
    if (!this.sentAt.has(step.id))
      throw new AnswerError(`step "${step.title}" has not been sent yet`);
    return step;
  }
}

/** A block of text a companion's system prompt can carry to chat about the learner's current step. */
export function stepContextPrompt(context: StepContext): string {
  const lines = [
    `The learner is on day ${context.day} of the program "${context.program}",`,
    `step ${context.position.index} of ${context.position.of}: "${context.step}" (module "${context.module}").`,
    '<lesson>',
    context.lesson.replaceAll('</lesson>', '<\\/lesson>'),
    '</lesson>',
  ];
  if (context.checkIn) lines.push(`Check-in question: ${context.checkIn}`);
  if (context.answer !== null) lines.push(`The learner answered: ${String(context.answer)}`);
  return lines.join('\n');
}
