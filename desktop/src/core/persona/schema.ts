import { z } from 'zod';

export const ANSWER_LENGTHS = ['short', 'medium', 'long'] as const;

const line = (max: number) => z.string().trim().max(max);
const rule = z.string().trim().min(1).max(300);

/**
 * How the companion speaks. Every field is creator-written text that goes into the system prompt,
 * so each is bounded: a persona can shape answers but cannot crowd the retrieved passages out.
 */
export const PersonaSchema = z.strictObject({
  name: line(80).min(1),
  /** Voice and tone, in the creator's words ("warm, direct, no jargon"). */
  voice: line(1000),
  rules: z.strictObject({
    do: z.array(rule).max(20),
    dont: z.array(rule).max(20),
  }),
  greeting: line(500),
  /** Said instead of an answer when the knowledge base does not support one. */
  refusal: line(500).min(1),
  /** Language of the answers, as a name or tag ("English", "fr"). */
  language: line(40).min(1),
  answerLength: z.enum(ANSWER_LENGTHS),
});

export type Persona = z.infer<typeof PersonaSchema>;
export type AnswerLength = Persona['answerLength'];

/** Token caps per answer length: the persona's choice also bounds generation cost. */
export const ANSWER_TOKEN_CAP: Record<AnswerLength, number> = {
  short: 200,
  medium: 450,
  long: 900,
};

export const ANSWER_LENGTH_HINT: Record<AnswerLength, string> = {
  short: 'Answer in one to three sentences.',
  medium: 'Answer in one or two short paragraphs.',
  long: 'Answer thoroughly, in several paragraphs or a short list when it helps.',
};

export class PersonaError extends Error {
  constructor(
    readonly code: 'invalid_persona' | 'version_not_found',
    message: string,
  ) {
    super(message);
    this.name = 'PersonaError';
  }
}

/** Validates a persona, turning zod's report into one readable sentence per problem. */
export function parsePersona(value: unknown): Persona {
  const result = PersonaSchema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `${i.path.join('.') || 'persona'}: ${i.message}`);
  throw new PersonaError('invalid_persona', `invalid persona (${problems.join('; ')})`);
}
