import type { Request } from 'express';
import type { z } from 'zod';
import { AppError } from './errors';

const SHOWN_NAME_CHARS = 40;

/** A caller-chosen parameter name as an error may repeat it: printable ASCII, and short. */
function shown(name: string): string {
  const clean = name.replace(/[^\x20-\x7e]/g, '?');
  return clean.length > SHOWN_NAME_CHARS ? `${clean.slice(0, SHOWN_NAME_CHARS)}…` : clean;
}

const invalidQuery = (message: string) => new AppError(400, 'invalid_query', message);

/**
 * Validates a route's query string with its schema. Express's simple parser gives a string per
 * name, or an array when a name is repeated: a repeated parameter is refused (which value would
 * count is a guess). Query schemas are strict objects, so unknown names are refused like unknown
 * body fields.
 */
export function parseQuery(schema: z.ZodType, query: Request['query']): unknown {
  for (const [name, value] of Object.entries(query)) {
    if (typeof value !== 'string') {
      throw invalidQuery(`The query parameter ${shown(name)} is given more than once.`);
    }
  }
  const result = schema.safeParse(query);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  if (!issue) throw invalidQuery('The query string is invalid.');
  if (issue.code === 'unrecognized_keys') {
    throw invalidQuery(`Unknown query parameter ${shown(issue.keys[0] ?? '')}.`);
  }
  const name = shown(issue.path.map(String).join('.'));
  if (name !== '' && query[name] === undefined) {
    throw invalidQuery(`The query parameter ${name} is required.`);
  }
  throw invalidQuery(`Invalid query parameter ${name}: ${issue.message}.`);
}
