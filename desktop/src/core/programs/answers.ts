import type { CheckIn } from '@creator-hub/shared/programs/index';

/** A learner's answer to a check-in, as stored: text, a 1–10 score, yes/no, or chosen options. */
export type Answer = string | number | boolean | string[];

export class AnswerError extends Error {
  readonly code = 'bad_answer';
}

const MAX_TEXT = 2_000;

/**
 * Reads an answer typed by a person (CLI, simulator) or sent by a channel, checking it against the
 * check-in: scale 1–10, yes/no, an option by text or 1-based number (comma-separated when several).
 */
export function parseAnswer(checkIn: CheckIn, raw: Answer): Answer {
  const text = Array.isArray(raw) ? raw.join(',') : String(raw).trim();
  switch (checkIn.kind) {
    case 'text':
      if (text === '' || text.length > MAX_TEXT) {
        throw new AnswerError(`a text answer must be 1 to ${MAX_TEXT} characters`);
      }
      return text;
    case 'scale': {
      const n = Number(text);
      if (!Number.isInteger(n) || n < 1 || n > 10) {
        throw new AnswerError(`"${text.slice(0, 40)}" is not a whole number from 1 to 10`);
      }
      return n;
    }
    case 'yes_no': {
      const yes = ['yes', 'y', 'true'].includes(text.toLowerCase());
      if (!yes && !['no', 'n', 'false'].includes(text.toLowerCase())) {
        throw new AnswerError(`"${text.slice(0, 40)}" is not yes or no`);
      }
      return yes;
    }
    case 'choice': {
      const picked = (Array.isArray(raw) ? raw : text.split(',')).map((p) =>
        pickOption(checkIn.options, String(p).trim()),
      );
      if (picked.length === 0 || (!checkIn.multiple && picked.length > 1)) {
        throw new AnswerError(
          checkIn.multiple ? 'pick at least one option' : 'pick exactly one option',
        );
      }
      return checkIn.multiple ? [...new Set(picked)] : (picked[0] as string);
    }
  }
}

function pickOption(options: readonly string[], value: string): string {
  const byText = options.find((o) => o.toLowerCase() === value.toLowerCase());
  if (byText) return byText;
  const index = /^\d+$/.test(value) ? Number(value) - 1 : -1;
  const byNumber = options[index];
  if (byNumber !== undefined) return byNumber;
  throw new AnswerError(
    `"${value.slice(0, 40)}" is not one of the options: ${options.map((o, i) => `${i + 1}. ${o}`).join(', ')}`,
  );
}

/** What a simulated learner answers when the simulation answers for them. */
export function defaultAnswer(checkIn: CheckIn): Answer {
  switch (checkIn.kind) {
    case 'text':
      return 'It went fine.';
    case 'scale':
      return 7;
    case 'yes_no':
      return true;
    case 'choice':
      return checkIn.multiple ? checkIn.options.slice(0, 1) : (checkIn.options[0] ?? '');
  }
}
