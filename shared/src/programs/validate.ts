import type { ProgramIssue } from './issues';
import type { ProgramDoc, Step } from './schema';

export const CHOICE_OPTIONS = { min: 2, max: 10 } as const;

export interface ValidateOptions {
  /** Whether a linked knowledge-base document exists; omitted means links are not checked. */
  documentExists?: (documentId: string) => boolean;
}

type Report = (path: string, code: string, message: string) => void;

/**
 * The rules a program must pass before it is published (drafts may break them while being edited).
 * Structure and types are the zod schema's job; these are the rules between fields.
 */
export function validateProgram(
  program: ProgramDoc,
  options: ValidateOptions = {},
): ProgramIssue[] {
  const issues: ProgramIssue[] = [];
  const report: Report = (path, code, message) =>
    issues.push({ path, code, message: `${path}: ${message}` });

  if (program.modules.length === 0) {
    report('modules', 'no_modules', 'the program has no modules; add at least one');
  }
  const seenIds = new Map<string, string>();
  const checkId = (id: string | undefined, path: string) => {
    if (id === undefined) return;
    const first = seenIds.get(id);
    if (first) report(`${path}.id`, 'duplicate_id', `id "${id}" is also used by ${first}`);
    else seenIds.set(id, path);
  };

  let latestEnrolmentSlot: { day: number; time: string; path: string } | undefined;
  let first = true;
  program.modules.forEach((module, m) => {
    const modulePath = `modules[${m}]`;
    checkId(module.id, modulePath);
    if (module.steps.length === 0) {
      report(modulePath, 'no_steps', `module "${module.title}" has no steps; add one or delete it`);
    }
    module.steps.forEach((step, s) => {
      const path = `${modulePath}.steps[${s}]`;
      checkId(step.id, path);
      validateStep(step, path, report, options);
      const { anchor, dayOffset, sendTime } = step.schedule;
      if (first && anchor === 'previous_completion') {
        report(
          `${path}.schedule.anchor`,
          'no_previous_step',
          `step "${step.title}" is the first step, so it cannot wait for a previous step's completion; anchor it on enrolment`,
        );
      }
      if (anchor === 'enrolment') {
        const prev = latestEnrolmentSlot;
        if (prev && (dayOffset < prev.day || (dayOffset === prev.day && sendTime < prev.time))) {
          report(
            `${path}.schedule`,
            'schedule_out_of_order',
            `step "${step.title}" is scheduled for day ${dayOffset} at ${sendTime}, before ${prev.path} (day ${prev.day} at ${prev.time}); steps run in order, so move it or change its day`,
          );
        } else {
          latestEnrolmentSlot = { day: dayOffset, time: sendTime, path };
        }
      }
      first = false;
    });
  });
  return issues;
}

function validateStep(step: Step, path: string, report: Report, options: ValidateOptions) {
  const hasLesson = step.lesson.trim().length > 0;
  if (!hasLesson && step.checkIn === null && step.proactiveMessage === null) {
    report(
      path,
      'empty_step',
      `step "${step.title}" is empty; give it a lesson, a check-in question or a message`,
    );
  }
  if (step.proactiveMessage !== null && step.proactiveMessage.trim() === '') {
    report(`${path}.proactiveMessage`, 'blank_message', 'is blank; write a message or remove it');
  }
  if (step.completion === 'answered' && step.checkIn === null) {
    report(
      `${path}.completion`,
      'answer_without_check_in',
      `step "${step.title}" completes when its check-in is answered, but it has no check-in question`,
    );
  }
  if (step.checkIn?.kind === 'choice') {
    const { options: choices } = step.checkIn;
    const at = `${path}.checkIn.options`;
    if (choices.length < CHOICE_OPTIONS.min || choices.length > CHOICE_OPTIONS.max) {
      report(
        at,
        'choice_option_count',
        `a multiple-choice check-in needs ${CHOICE_OPTIONS.min} to ${CHOICE_OPTIONS.max} options, it has ${choices.length}`,
      );
    }
    const seen = new Set<string>();
    choices.forEach((choice, i) => {
      const key = choice.trim().toLowerCase();
      if (seen.has(key))
        report(`${at}[${i}]`, 'duplicate_option', `option "${choice}" is repeated`);
      seen.add(key);
    });
  }
  if (options.documentExists) {
    step.links.forEach((link, i) => {
      if (!options.documentExists?.(link.documentId)) {
        report(
          `${path}.links[${i}].documentId`,
          'missing_document',
          `linked document "${link.documentId}" is not in the knowledge base (deleted or never imported)`,
        );
      }
    });
  }
}
