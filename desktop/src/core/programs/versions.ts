import {
  type ProgramDoc,
  programSchema,
  validateProgram,
} from '@creator-hub/shared/programs/index';
import type { Db } from '../db/open';
import { newId } from '../ids';
import { edit } from './edits';
import { ProgramError } from './errors';
import { documentExists, getProgram, type StoredProgram, toDoc } from './read';
import { writeContent } from './repository';

export type VersionKind = 'save' | 'publish' | 'rollback';

export interface ProgramVersion {
  version: number;
  kind: VersionKind;
  note: string;
  createdAt: string;
}

/** Stores a snapshot of the program as its next version number. */
export function saveVersion(
  db: Db,
  programId: string,
  kind: VersionKind = 'save',
  note = '',
): number {
  return db.transaction(() => {
    const doc = toDoc(getProgram(db, programId));
    const row = db
      .prepare(
        'SELECT coalesce(max(version), 0) + 1 AS next FROM program_versions WHERE program_id = ?',
      )
      .get(programId) as { next: number };
    db.prepare(
      'INSERT INTO program_versions (id, program_id, version, kind, note, snapshot) VALUES (?, ?, ?, ?, ?, ?)',
    ).run(newId(), programId, row.next, kind, note, JSON.stringify(doc));
    return row.next;
  })();
}

/** The rules a program must pass to be published, against this workspace's documents. */
export function checkProgram(db: Db, program: StoredProgram) {
  return validateProgram(toDoc(program), { documentExists: documentExists(db) });
}

/** Publishes the program when it passes validation: status published plus a publish snapshot. */
export function publishProgram(db: Db, programId: string, note = ''): number {
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
    db.prepare("UPDATE programs SET status = 'published' WHERE id = ?").run(programId);
    return saveVersion(db, programId, 'publish', note);
  })();
}

/**
 * Whether a published program was edited since its latest publish. Derived from the snapshot rather
 * than stored, so a step edit never has to write the program row.
 */
export function hasUnpublishedChanges(db: Db, program: StoredProgram): boolean {
  const row = db
    .prepare(
      `SELECT snapshot FROM program_versions WHERE program_id = ? AND kind = 'publish'
       ORDER BY version DESC LIMIT 1`,
    )
    .get(program.id) as { snapshot: string } | undefined;
  return row !== undefined && row.snapshot !== JSON.stringify(toDoc(program));
}

export function listVersions(db: Db, programId: string): ProgramVersion[] {
  getProgram(db, programId);
  return db
    .prepare(
      `SELECT version, kind, note, created_at AS createdAt FROM program_versions
       WHERE program_id = ? ORDER BY version`,
    )
    .all(programId) as ProgramVersion[];
}

export function getVersion(db: Db, programId: string, version: number): ProgramDoc {
  const row = db
    .prepare('SELECT snapshot FROM program_versions WHERE program_id = ? AND version = ?')
    .get(programId, version) as { snapshot: string } | undefined;
  if (!row) {
    throw new ProgramError('version_not_found', `program ${programId} has no version ${version}`);
  }
  return programSchema.parse(JSON.parse(row.snapshot));
}

/**
 * Restores the program's content to a version (same row ids, so a synced copy sees edits, not a new
 * program), as an undoable edit, and records the rollback as a new version.
 */
export function rollbackProgram(db: Db, programId: string, version: number): number {
  const doc = getVersion(db, programId, version);
  const current = getProgram(db, programId);
  return db.transaction(() => {
    edit(db, programId, `roll back to version ${version}`, (e) => {
      for (const m of current.modules) {
        for (const s of m.steps) e.remove('program_steps', s.id);
        e.remove('program_modules', m.id);
      }
      e.put('programs', programId, { title: doc.title, description: doc.description });
      writeContent(e, programId, doc.modules, true);
    });
    return saveVersion(db, programId, 'rollback', `rolled back to version ${version}`);
  })();
}
