import { z } from 'zod';

/** One desktop API method: what it accepts and what it answers, both checked at every transport. */
export interface MethodDef<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  input: I;
  output: O;
}

export const method = <I extends z.ZodType, O extends z.ZodType>(
  input: I,
  output: O,
): MethodDef<I, O> => ({ input, output });

/** Identifies one long-running call so its streamed events can be matched to it. */
export const opId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be 8 to 64 letters, digits, - or _');

export const id = z.string().min(1).max(64);
export const ok = z.object({ ok: z.literal(true) });
export const empty = z.object({}).strict();

/** Every text a user types is bounded, so no payload can grow memory without limit. */
export const shortText = (max = 200) => z.string().max(max);
