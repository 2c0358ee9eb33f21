import { programSchema } from '@creator-hub/shared/programs/index';
import { type Change, createdAtMs, legacyHlc } from '@creator-hub/shared/sync/index';
import { ApplyRefused } from '../sync/apply-row';

/**
 * A program version as it is stored and synced since migration 007: keyed by a UUIDv7 made on the
 * saving device and ordered by the clock it was saved at, with no per-program number (two desktops
 * numbered their versions alike, and the numbers collided when they synced).
 */
export interface ProgramVersionRow {
  id: string;
  program_id: string;
  hlc: string;
  kind: 'save' | 'publish' | 'rollback';
  note: string;
  snapshot: string;
  created_at: string;
}

/**
 * The clock 007_program_version_ids.sql gives a version that had a number (006's rule for persona
 * versions): its creation time, then the old number as the counter, so old versions keep their order.
 */
export const legacyProgramVersionHlc = legacyHlc;

/**
 * The current form of an old-format row (a `version` number, no `hlc`), as 007 converts this
 * workspace's own rows: the same old version is the same row everywhere. Undefined when the row is
 * not a well-formed old one.
 */
export function upgradeLegacyProgramVersion(
  row: Record<string, unknown>,
): Record<string, unknown> | undefined {
  const { version, created_at: createdAt, ...rest } = row;
  if ('hlc' in row || typeof version !== 'number' || !Number.isSafeInteger(version))
    return undefined;
  if (version < 0 || typeof createdAt !== 'string' || createdAtMs(createdAt) === undefined)
    return undefined;
  return { ...rest, hlc: legacyProgramVersionHlc(version, createdAt), created_at: createdAt };
}

/**
 * A program version pulled from the server, ready to apply: an old-format row is converted, and
 * its snapshot must be a program this workspace can roll back to, or the row is refused (kept as
 * an apply_failed conflict) instead of failing the rollback later.
 */
export function checkRemoteProgramVersion(change: Change): Change {
  if (change.op !== 'upsert' || !change.data) return change;
  const upgraded = upgradeLegacyProgramVersion(change.data);
  const next = upgraded ? { ...change, data: upgraded } : change;
  const snapshot = next.data?.snapshot;
  let problem: string | undefined;
  try {
    if (typeof snapshot !== 'string') problem = 'no snapshot';
    else {
      const parsed = programSchema.safeParse(JSON.parse(snapshot));
      if (!parsed.success) problem = parsed.error.issues[0]?.message ?? 'invalid program';
    }
  } catch (error) {
    problem = error instanceof Error ? error.message : String(error);
  }
  if (problem) throw new ApplyRefused(`program version refused: ${problem.slice(0, 200)}`);
  return next;
}
