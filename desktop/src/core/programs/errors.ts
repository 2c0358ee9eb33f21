import { describeIssues, type ProgramIssue } from '@creator-hub/shared/programs/index';

export type ProgramErrorCode =
  | 'program_not_found'
  | 'module_not_found'
  | 'step_not_found'
  | 'version_not_found'
  | 'ambiguous_program'
  | 'invalid_program'
  | 'invalid_file'
  | 'nothing_to_undo'
  | 'bad_move'
  | 'draft_failed';

/** A program operation that failed, with a code for callers and a sentence for the user. */
export class ProgramError extends Error {
  constructor(
    readonly code: ProgramErrorCode,
    message: string,
    readonly issues: readonly ProgramIssue[] = [],
  ) {
    super(issues.length > 0 ? `${message}\n${describeIssues(issues)}` : message);
  }
}

export const notFound = (what: 'program' | 'module' | 'step', ref: string) =>
  new ProgramError(`${what}_not_found`, `no ${what} "${ref}"`);
