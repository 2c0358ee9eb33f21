import { z } from 'zod';
import { answerSchema } from './chat';
import { empty, method, opId } from './define';

export const personaSchema = z.object({
  name: z.string().trim().min(1).max(80),
  voice: z.string().trim().max(1000),
  rules: z.object({
    do: z.array(z.string().trim().min(1).max(300)).max(20),
    dont: z.array(z.string().trim().min(1).max(300)).max(20),
  }),
  greeting: z.string().trim().max(500),
  refusal: z.string().trim().min(1).max(500),
  language: z.string().trim().min(1).max(40),
  answerLength: z.enum(['short', 'medium', 'long']),
});

export const personaVersionSchema = z.object({
  /** Globally unique (UUIDv7); null for the built-in default. */
  id: z.string().nullable(),
  /** Place in the history, oldest = 1 (0 = the default): the same on every synced device. */
  version: z.number().int(),
  note: z.string(),
  createdAt: z.string(),
  persona: personaSchema,
});

export const personaMethods = {
  'persona.get': method(empty, personaVersionSchema),
  'persona.save': method(
    z.object({ persona: personaSchema, note: z.string().max(200).optional() }),
    personaVersionSchema,
  ),
  'persona.history': method(empty, z.array(personaVersionSchema)),
  /** By id (stable while versions from other devices arrive) or by the number in the history. */
  'persona.rollback': method(
    z.union([
      z.strictObject({ id: z.string().min(1).max(64) }),
      z.strictObject({ version: z.number().int().min(1) }),
    ]),
    personaVersionSchema,
  ),
  /** Answers a question with an unsaved persona, so the editor can show a live preview. */
  'persona.preview': method(
    z.object({ opId, persona: personaSchema, question: z.string().trim().min(1).max(2000) }),
    answerSchema,
  ),
} as const;

export type Persona = z.infer<typeof personaSchema>;
export type PersonaVersion = z.infer<typeof personaVersionSchema>;
