import type { Db } from '../db/open';
import { ANSWER_LENGTH_HINT, ANSWER_TOKEN_CAP, type Persona } from './schema';
import { currentPersona } from './store';

/** The persona as system-prompt lines: who is speaking, how, and in which language. */
export function personaInstructions(persona: Persona): string {
  const lines = [
    `You are ${persona.name}, the companion of a creator, answering their audience.`,
    persona.voice ? `Voice and tone: ${persona.voice}` : '',
    `Always answer in ${persona.language}.`,
    ANSWER_LENGTH_HINT[persona.answerLength],
    ...persona.rules.do.map((r) => `Do: ${r}`),
    ...persona.rules.dont.map((r) => `Don't: ${r}`),
  ];
  return lines.filter((l) => l.length > 0).join('\n');
}

/** What program messages (check-ins, reminders) need to speak with the same voice as answers. */
export interface PersonaForMessages {
  version: number;
  name: string;
  language: string;
  greeting: string;
  instructions: string;
  maxTokens: number;
}

export function personaForMessages(db: Db): PersonaForMessages {
  const { version, persona } = currentPersona(db);
  return {
    version,
    name: persona.name,
    language: persona.language,
    greeting: persona.greeting,
    instructions: personaInstructions(persona),
    maxTokens: ANSWER_TOKEN_CAP[persona.answerLength],
  };
}
