import type { z } from 'zod';

/**
 * Parses data the server produced itself (database rows, handler results). A mismatch is a bug on
 * our side, so it must surface as a 500, not as a ZodError that the error handler would answer as
 * the client's invalid request (400). The message names the place, never the offending value.
 */
export function parseOwnData<S extends z.ZodType>(
  schema: S,
  value: unknown,
  what: string,
): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const where = parsed.error.issues[0]?.path.join('.') || '(root)';
  throw new Error(`${what} does not match its schema at ${where}`);
}
