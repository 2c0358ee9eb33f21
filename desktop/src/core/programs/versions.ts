import {
  type ProgramDoc,
  programSchema,
  validateProgram,
} from '@creator-hub/shared/programs/index';
import type { Db } from '../db/open';
import { newId } from '../ids';
import { withClock } from '../sync/state';
import { edit } from './edits';
import { ProgramError } from './errors';
import { documentExists, getProgram, type StoredProgram, toDoc } from './read';
import { writeContent } from './repository';
import type { ProgramVersionRow } from './version-rows';

export type VersionKind = 'save' | 'publish' | 'rollback';

/**
 * Versions are keyed by a UUIDv7 made on the device that saved them, so two desktops never take the
 * same key. The number shown is the version's place in its program's (hlc, id) order, oldest = 1:
 * the same on every device once they have synced. A version saved concurrently on another device
 * can slot in before a local one and shift its number; the id never changes.
 */
export interface ProgramVersion {
  id: string;
  version: number;
  kind: VersionKind;
  note: string;
  createdAt: string;
}

/** Notes are short text; the sync registry refuses longer ones. */
const MAX_NOTE = 2000;

const toVersion = (row: ProgramVersionRow, version: number): ProgramVersion => ({
  id: row.id,
  version,
  kind: row.kind,
  note: row.note,
  createdAt: row.created_at,
});

/** The display number of a stored version: how many versions of its program sort at or before it. */
function numberOf(db: Db, row: ProgramVersionRow): number {
  const { n } = db
    .prepare(
      'SELECT count(*) AS n FROM program_versions WHERE program_id = ? AND (hlc, id) <= (?, ?)',
    )
    .get(row.program_id, row.hlc, row.id) as { n: number };
  return n;
}

/** Stores a snapshot of the program as its newest version, stamped with this device's clock. */
export function saveVersion(
  db: Db,
  programId: string,
  kind: VersionKind = 'save',
  note = '',
  now: () => number = Date.now,
): ProgramVersion {
  return db.transaction(() => {
    const doc = toDoc(getProgram(db, programId));
    const id = newId();
    const hlc = withClock(db, now, (clock) => clock.tick());
    db.prepare(
      'INSERT INTO program_versions (id, program_id, hlc, kind, note, snapshot) VALUES (?, ?, ?, ?, ?, ?)',
    ).run(id, programId, hlc, kind, note.slice(0, MAX_NOTE), JSON.stringify(doc));
    return versionRecord(db, programId, id);
  })();
}

/** The rules a program must pass to be published, against this workspace's documents. */
export function checkProgram(db: Db, program: StoredProgram) {
  return validateProgram(toDoc(program), { documentExists: documentExists(db) });
}

/** Publishes the program when it passes validation: status published plus a publish snapshot. */
export function publishProgram(
  db: Db,
  programId: string,
  note = '',
  now: () => number = Date.now,
): ProgramVersion {
  return db.transaction(() => {
    const program = getProgram(db, programId);
    const issues = checkProgram(db, program);
    if (issues.length > 0) {
      throw new ProgramError(
        'invalid_program',
        `"${program.title}" cannot be published yet:`,
        issues,
      );
    }
    // Only a real change is written: a no-op write would still sync, and a publish of the same
    // program on another desktop would then conflict with it.
    db.prepare(
      "UPDATE programs SET status = 'published' WHERE id = ? AND status <> 'published'",
    ).run(programId);
    return saveVersion(db, programId, 'publish', note, now);
  })();
}

/**
 * Whether a published program was edited since its latest publish (the last in clock order, so
 * every synced device agrees). Derived from the snapshot rather than stored, so a step edit never
 * has to write the program row.
 */
export function hasUnpublishedChanges(db: Db, program: StoredProgram): boolean {
  const row = db
    .prepare(
      `SELECT snapshot FROM program_versions WHERE program_id = ? AND kind = 'publish'
       ORDER BY hlc DESC, id DESC LIMIT 1`,
    )
    .get(program.id) as { snapshot: string } | undefined;
  return row !== undefined && row.snapshot !== JSON.stringify(toDoc(program));
}

/** Every version of the program, oldest (version 1) first. */
export function listVersions(db: Db, programId: string): ProgramVersion[] {
  getProgram(db, programId);
  const rows = db
    .prepare('SELECT * FROM program_versions WHERE program_id = ? ORDER BY hlc, id')
    .all(programId) as ProgramVersionRow[];
  return rows.map((row, i) => toVersion(row, i + 1));
}

function findRow(db: Db, programId: string, version: number | string): ProgramVersionRow {
  const row =
    typeof version === 'string'
      ? db
          .prepare('SELECT * FROM program_versions WHERE program_id = ? AND id = ?')
          .get(programId, version)
      : Number.isSafeInteger(version) && version > 0
        ? db
            .prepare(
              'SELECT * FROM program_versions WHERE program_id = ? ORDER BY hlc, id LIMIT 1 OFFSET ?',
            )
            .get(programId, version - 1)
        : undefined;
  if (!row) {
    throw new ProgramError('version_not_found', `program ${programId} has no version ${version}`);
  }
  return row as ProgramVersionRow;
}

/** A version's record by its number in the history or by its id. */
export function versionRecord(db: Db, programId: string, version: number | string): ProgramVersion {
  const row = findRow(db, programId, version);
  return toVersion(row, typeof version === 'number' ? version : numberOf(db, row));
}

/** The program as a version (by number or id) holds it. */
export function getVersion(db: Db, programId: string, version: number | string): ProgramDoc {
  return programSchema.parse(JSON.parse(findRow(db, programId, version).snapshot));
}

/**
 * Restores the program's content to a version, by number or id (same row ids, so a synced copy
 * sees edits, not a new program), as an undoable edit, and records the rollback as a new version.
 */
export function rollbackProgram(
  db: Db,
  programId: string,
  version: number | string,
  now: () => number = Date.now,
): ProgramVersion {
  const target = versionRecord(db, programId, version);
  const doc = getVersion(db, programId, target.id);
  const current = getProgram(db, programId);
  return db.transaction(() => {
    edit(db, programId, `roll back to version ${target.version}`, (e) => {
      for (const m of current.modules) {
        for (const s of m.steps) e.remove('program_steps', s.id);
        e.remove('program_modules', m.id);
      }
      e.put('programs', programId, { title: doc.title, description: doc.description });
      writeContent(e, programId, doc.modules, true);
    });
    return saveVersion(db, programId, 'rollback', `rolled back to version ${target.version}`, now);
  })();
}
