import {
  checkInSchema,
  linkSchema,
  type Module,
  type ProgramDoc,
  type ProgramStatus,
  type Step,
} from '@creator-hub/shared/programs/index';
import { z } from 'zod';
import type { Db } from '../db/open';
import { notFound, ProgramError } from './errors';

export interface StoredStep extends Step {
  id: string;
  moduleId: string;
  position: string;
}

export interface StoredModule extends Omit<Module, 'steps'> {
  id: string;
  position: string;
  steps: StoredStep[];
}

export interface StoredProgram {
  id: string;
  title: string;
  description: string;
  status: ProgramStatus;
  createdAt: string;
  updatedAt: string;
  modules: StoredModule[];
}

export interface ProgramSummary {
  id: string;
  title: string;
  status: ProgramStatus;
  modules: number;
  steps: number;
  latestVersion: number;
  updatedAt: string;
}

interface ProgramRow {
  id: string;
  title: string;
  description: string;
  status: ProgramStatus;
  created_at: string;
  updated_at: string;
}

interface ModuleRow {
  id: string;
  position: string;
  title: string;
  description: string;
}

export interface StepRow {
  id: string;
  module_id: string;
  position: string;
  title: string;
  lesson: string;
  links: string;
  check_in: string | null;
  proactive_message: string | null;
  anchor: 'enrolment' | 'previous_completion';
  day_offset: number;
  send_time: string;
  completion: Step['completion'];
}

const linksSchema = z.array(linkSchema);

export function stepFromRow(row: StepRow): StoredStep {
  return {
    id: row.id,
    moduleId: row.module_id,
    position: row.position,
    title: row.title,
    lesson: row.lesson,
    links: linksSchema.parse(JSON.parse(row.links)),
    checkIn: row.check_in === null ? null : checkInSchema.parse(JSON.parse(row.check_in)),
    proactiveMessage: row.proactive_message,
    schedule: { anchor: row.anchor, dayOffset: row.day_offset, sendTime: row.send_time },
    completion: row.completion,
  };
}

/** Rows are ordered by position key, then id: equal keys written on two devices stay stable. */
export function getProgram(db: Db, id: string): StoredProgram {
  const row = db.prepare('SELECT * FROM programs WHERE id = ?').get(id) as ProgramRow | undefined;
  if (!row) throw notFound('program', id);
  const modules = db
    .prepare('SELECT * FROM program_modules WHERE program_id = ? ORDER BY position, id')
    .all(id) as ModuleRow[];
  const steps = db
    .prepare(
      `SELECT s.* FROM program_steps s JOIN program_modules m ON m.id = s.module_id
       WHERE m.program_id = ? ORDER BY s.position, s.id`,
    )
    .all(id) as StepRow[];
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    status: row.status,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    modules: modules.map((m) => ({
      id: m.id,
      position: m.position,
      title: m.title,
      description: m.description,
      steps: steps.filter((s) => s.module_id === m.id).map(stepFromRow),
    })),
  };
}

/** The portable document (what export and version snapshots hold): ids kept, positions dropped. */
export function toDoc(program: StoredProgram): ProgramDoc {
  return {
    id: program.id,
    title: program.title,
    description: program.description,
    modules: program.modules.map((m) => ({
      id: m.id,
      title: m.title,
      description: m.description,
      steps: m.steps.map(({ moduleId: _m, position: _p, ...step }) => step),
    })),
  };
}

export function listPrograms(db: Db): ProgramSummary[] {
  return db
    .prepare(
      `SELECT p.id, p.title, p.status,
         max(p.updated_at,
           coalesce((SELECT max(m.updated_at) FROM program_modules m WHERE m.program_id = p.id), ''),
           coalesce((SELECT max(s.updated_at) FROM program_steps s JOIN program_modules m
             ON m.id = s.module_id WHERE m.program_id = p.id), '')) AS updatedAt,
         (SELECT count(*) FROM program_modules m WHERE m.program_id = p.id) AS modules,
         (SELECT count(*) FROM program_steps s JOIN program_modules m ON m.id = s.module_id
            WHERE m.program_id = p.id) AS steps,
         (SELECT count(*) FROM program_versions v WHERE v.program_id = p.id) AS latestVersion
       FROM programs p ORDER BY p.title COLLATE NOCASE, p.id`,
    )
    .all() as ProgramSummary[];
}

/** Finds a program by id, or by its title (case-insensitive) when that names exactly one. */
export function findProgram(db: Db, ref: string): StoredProgram {
  const byId = db.prepare('SELECT id FROM programs WHERE id = ?').get(ref) as
    | { id: string }
    | undefined;
  if (byId) return getProgram(db, byId.id);
  const byTitle = db
    .prepare('SELECT id FROM programs WHERE title = ? COLLATE NOCASE')
    .all(ref.trim()) as { id: string }[];
  if (byTitle.length > 1) {
    throw new ProgramError(
      'ambiguous_program',
      `${byTitle.length} programs are titled "${ref}"; name one by id (see \`program list\`)`,
    );
  }
  const first = byTitle[0];
  if (!first) throw notFound('program', ref);
  return getProgram(db, first.id);
}

export function programIdOfModule(db: Db, moduleId: string): string {
  const row = db.prepare('SELECT program_id FROM program_modules WHERE id = ?').get(moduleId) as
    | { program_id: string }
    | undefined;
  if (!row) throw notFound('module', moduleId);
  return row.program_id;
}

export function getStepRow(db: Db, stepId: string): StepRow & { program_id: string } {
  const row = db
    .prepare(
      `SELECT s.*, m.program_id FROM program_steps s JOIN program_modules m ON m.id = s.module_id
       WHERE s.id = ?`,
    )
    .get(stepId) as (StepRow & { program_id: string }) | undefined;
  if (!row) throw notFound('step', stepId);
  return row;
}

export function documentExists(db: Db): (documentId: string) => boolean {
  const stmt = db.prepare('SELECT 1 FROM documents WHERE id = ?');
  return (id) => stmt.get(id) !== undefined;
}
