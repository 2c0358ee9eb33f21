import { z } from 'zod';

/**
 * The program document: what a creator edits, what is exported/imported as JSON and what a version
 * snapshot holds. Objects are strict (unknown keys are errors, which also rejects `__proto__`,
 * `constructor` and `prototype` keys) and every string and array is bounded, so a hostile file
 * cannot grow memory past the file size cap.
 */
export const LIMITS = {
  title: 200,
  description: 5_000,
  lesson: 50_000,
  message: 2_000,
  prompt: 1_000,
  option: 200,
  options: 10,
  links: 20,
  modules: 50,
  stepsPerModule: 100,
  dayOffset: 730,
  /** Import files larger than this are refused before parsing. */
  fileBytes: 2_000_000,
} as const;

const id = z.string().min(1).max(64);
const text = (max: number) => z.string().max(max);
const title = z.string().trim().min(1, 'must not be empty').max(LIMITS.title);
const prompt = z.string().trim().min(1, 'must not be empty').max(LIMITS.prompt);

export const SEND_TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

export const checkInSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('text'), prompt }),
  z.strictObject({
    kind: z.literal('scale'),
    prompt,
    /** The scale is always 1–10; labels name its ends. */
    minLabel: text(LIMITS.option).optional(),
    maxLabel: text(LIMITS.option).optional(),
  }),
  z.strictObject({
    kind: z.literal('choice'),
    prompt,
    options: z.array(z.string().trim().min(1, 'must not be empty').max(LIMITS.option)).max(20),
    multiple: z.boolean().default(false),
  }),
  z.strictObject({ kind: z.literal('yes_no'), prompt }),
]);

export const scheduleSchema = z.strictObject({
  /** Day 0 is the enrolment day, or the day the previous step was completed. */
  anchor: z.enum(['enrolment', 'previous_completion']).default('enrolment'),
  dayOffset: z.number().int().min(0).max(LIMITS.dayOffset).default(0),
  /** Local wall-clock time in the learner's time zone, 24h `HH:MM`. */
  sendTime: z.string().regex(SEND_TIME, 'must be a 24-hour time HH:MM').default('09:00'),
});

export const completionRuleSchema = z.enum(['read', 'answered', 'manual']);

export const linkSchema = z.strictObject({
  documentId: id,
  section: text(LIMITS.title).optional(),
  page: z.number().int().min(1).max(1_000_000).optional(),
  /** The chunk a drafted step was grounded in, when it came from the LLM drafter. */
  chunkId: z.number().int().min(0).optional(),
});

export const stepSchema = z.strictObject({
  id: id.optional(),
  title,
  lesson: text(LIMITS.lesson).default(''),
  links: z.array(linkSchema).max(LIMITS.links).default([]),
  checkIn: checkInSchema.nullable().default(null),
  proactiveMessage: text(LIMITS.message).nullable().default(null),
  schedule: scheduleSchema.default({ anchor: 'enrolment', dayOffset: 0, sendTime: '09:00' }),
  completion: completionRuleSchema.default('read'),
});

export const moduleSchema = z.strictObject({
  id: id.optional(),
  title,
  description: text(LIMITS.description).default(''),
  steps: z.array(stepSchema).max(LIMITS.stepsPerModule).default([]),
});

export const programSchema = z.strictObject({
  id: id.optional(),
  title,
  description: text(LIMITS.description).default(''),
  modules: z.array(moduleSchema).max(LIMITS.modules).default([]),
});

export const PROGRAM_FORMAT = 'creator-hub.program';
export const PROGRAM_FORMAT_VERSION = 1;

/** The published JSON file format: a small envelope around the program document. */
export const programFileSchema = z.strictObject({
  format: z.literal(PROGRAM_FORMAT),
  version: z.literal(PROGRAM_FORMAT_VERSION),
  exportedAt: z.iso.datetime({ offset: true }).optional(),
  program: programSchema,
});

export const programStatusSchema = z.enum(['draft', 'published']);

export type CheckIn = z.infer<typeof checkInSchema>;
export type Schedule = z.infer<typeof scheduleSchema>;
export type Link = z.infer<typeof linkSchema>;
export type StepInput = z.input<typeof stepSchema>;
export type Step = z.infer<typeof stepSchema>;
export type ModuleInput = z.input<typeof moduleSchema>;
export type Module = z.infer<typeof moduleSchema>;
export type ProgramInput = z.input<typeof programSchema>;
export type ProgramDoc = z.infer<typeof programSchema>;
export type ProgramFile = z.infer<typeof programFileSchema>;
export type ProgramStatus = z.infer<typeof programStatusSchema>;
