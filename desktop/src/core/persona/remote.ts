import { type Change, contentKey } from '@creator-hub/shared/sync/index';
import { ApplyRefused } from '../sync/apply-row';
import { upgradeLegacyPersonaRow } from './legacy';
import { PersonaError, parsePersona } from './schema';

/**
 * A persona version pulled from the server, ready to apply: an old-format row (integer key) is
 * converted to the form 006 gave it, and the persona it holds must be one this workspace can use,
 * or the row is refused (kept as an apply_failed conflict) instead of breaking every answer later.
 */
export function checkRemotePersona(change: Change): Change {
  if (change.op !== 'upsert' || !change.data) return change;
  const upgraded = upgradeLegacyPersonaRow(change.data);
  const next = upgraded
    ? { ...change, key: contentKey({ ...upgraded }), data: { ...upgraded } }
    : change;
  const text = next.data?.data;
  try {
    if (typeof text !== 'string') throw new PersonaError('invalid_persona', 'no persona data');
    parsePersona(JSON.parse(text));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ApplyRefused(`persona version refused: ${reason.slice(0, 200)}`);
  }
  return next;
}
