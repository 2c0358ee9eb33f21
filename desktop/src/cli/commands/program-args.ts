import type { ProgramDoc } from '@creator-hub/shared/programs/index';
import { InvalidArgumentError } from 'commander';
import type { Answer } from '../../core/programs/answers';
import { ProgramError } from '../../core/programs/errors';

/** Parsers of the `program` command's arguments and options. */

export const wholeNumber = (min: number, max: number) => (raw: string) => {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new InvalidArgumentError(`must be a whole number from ${min} to ${max}`);
  }
  return n;
};

export const collect = (value: string, previous: string[] = []) => [...previous, value];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A version by its number in the history or by its id (the id stays put as versions arrive). */
export const versionRef = (raw: string): number | string => {
  if (UUID.test(raw.trim())) return raw.trim().toLowerCase();
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > Number.MAX_SAFE_INTEGER) {
    throw new InvalidArgumentError('must be a whole number from 1 (see history) or a version id');
  }
  return n;
};

/** A step by its number in the program (1-based), its id, or its title. */
function resolveStep(program: ProgramDoc, ref: string): string {
  const steps = program.modules.flatMap((m) => m.steps);
  const byNumber = /^\d+$/.test(ref) ? steps[Number(ref) - 1] : undefined;
  const step =
    byNumber ??
    steps.find((s) => s.id === ref) ??
    steps.find((s) => s.title.toLowerCase() === ref.toLowerCase());
  if (!step?.id) throw new ProgramError('step_not_found', `no step "${ref}" in "${program.title}"`);
  return step.id;
}

export function parseAnswers(program: ProgramDoc, raw: string[]): Map<string, Answer> {
  const answers = new Map<string, Answer>();
  for (const entry of raw) {
    const eq = entry.lastIndexOf('=');
    if (eq <= 0) {
      throw new ProgramError(
        'step_not_found',
        `--answer "${entry}" must look like <step>=<answer>`,
      );
    }
    answers.set(resolveStep(program, entry.slice(0, eq).trim()), entry.slice(eq + 1));
  }
  return answers;
}
