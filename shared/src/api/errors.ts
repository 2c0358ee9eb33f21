import { z } from 'zod';

/**
 * Errors cross every transport as values: a code for programs and a sentence for people.
 * `invalid_input` means the payload failed the method's schema; `unavailable` means a feature
 * needs something that is missing (no Ollama, not logged in) and the message says what.
 */
export const API_ERROR_CODES = [
  'invalid_input',
  'unknown_method',
  'not_found',
  'unavailable',
  'conflict',
  'cancelled',
  'failed',
] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

export const apiErrorSchema = z.object({
  code: z.enum(API_ERROR_CODES),
  message: z.string(),
  /** For invalid_input: which fields were wrong. */
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
export type ApiErrorBody = z.infer<typeof apiErrorSchema>;

export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly issues?: ApiErrorBody['issues'],
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toBody(): ApiErrorBody {
    return this.issues
      ? { code: this.code, message: this.message, issues: this.issues }
      : { code: this.code, message: this.message };
  }
}

/** The envelope a transport carries back: either the output or an error value, never a thrown stack. */
export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ApiErrorBody };
