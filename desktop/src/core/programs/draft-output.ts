import { SEND_TIME } from '@creator-hub/shared/programs/index';
import { z } from 'zod';

/**
 * What the model is asked to return (Ollama structured outputs). Flatter than the program schema
 * (a check-in is a kind plus fields, not a union) because small local models follow flat schemas
 * far more reliably; the drafter turns it into a program and validates that. Extra keys a model
 * adds are dropped, not fatal.
 */
const text = (max: number) => z.string().max(max);

export const draftStepSchema = z.object({
  title: z.string().trim().min(1).max(200),
  lesson: text(8_000),
  /** Ids of the sources this step is based on, as given in the prompt. */
  sources: z.array(z.union([z.number().int(), z.string().max(40)])).max(20),
  dayOffset: z.number().int().min(0).max(730),
  sendTime: text(10).optional(),
  checkInKind: z.enum(['none', 'text', 'scale', 'choice', 'yes_no']),
  checkInPrompt: text(1_000).optional(),
  checkInOptions: z.array(text(200)).max(10).optional(),
  proactiveMessage: text(2_000).optional(),
});

export const draftOutputSchema = z.object({
  title: z.string().trim().min(1).max(200),
  description: text(5_000),
  modules: z
    .array(
      z.object({
        title: z.string().trim().min(1).max(200),
        description: text(5_000).optional(),
        steps: z.array(draftStepSchema).min(1).max(30),
      }),
    )
    .min(1)
    .max(20),
});

export type DraftOutput = z.infer<typeof draftOutputSchema>;
export type DraftStep = z.infer<typeof draftStepSchema>;

/** The JSON Schema sent as Ollama's `format` (without `$schema`, which Ollama does not need). */
export function draftFormat(): Record<string, unknown> {
  const { $schema: _s, ...schema } = z.toJSONSchema(draftOutputSchema, { io: 'input' });
  return schema;
}

export const validSendTime = (value: string | undefined) =>
  value !== undefined && SEND_TIME.test(value) ? value : '09:00';
