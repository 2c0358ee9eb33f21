import {
  issuesFromZod,
  keyBetween,
  keysBetween,
  type ModuleInput,
  moduleSchema,
  type ProgramInput,
  programSchema,
  type Step,
  type StepInput,
  stepSchema,
} from '@creator-hub/shared/programs/index';
import type { z } from 'zod';
import type { Db } from '../db/open';
import { newId } from '../ids';
import { type Editor, edit, type Row } from './edits';
import { ProgramError } from './errors';
import { getProgram, getStepRow, programIdOfModule, type StoredProgram, stepFromRow } from './read';

export function parse<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) {
    throw new ProgramError(
      'invalid_program',
      `the ${what} is not valid:`,
      issuesFromZod(result.error),
    );
  }
  return result.data;
}

export function stepRow(step: Step, moduleId: string, position: string): Row {
  return {
    module_id: moduleId,
    position,
    title: step.title,
    lesson: step.lesson,
    links: JSON.stringify(step.links),
    check_in: step.checkIn === null ? null : JSON.stringify(step.checkIn),
    proactive_message: step.proactiveMessage,
    anchor: step.schedule.anchor,
    day_offset: step.schedule.dayOffset,
    send_time: step.schedule.sendTime,
    completion: step.completion,
  };
}

function writeSteps(e: Editor, moduleId: string, steps: readonly Step[], keepIds: boolean): void {
  const keys = keysBetween(null, null, steps.length);
  steps.forEach((step, i) => {
    const stepId = keepIds && step.id ? step.id : newId();
    e.put('program_steps', stepId, stepRow(step, moduleId, keys[i] ?? keyBetween(null, null)));
  });
}

/** Writes a whole program's modules and steps. `keepIds` restores a snapshot's own rows. */
export function writeContent(
  e: Editor,
  programId: string,
  modules: ProgramInput['modules'],
  keepIds: boolean,
): void {
  const parsed = modules ?? [];
  const moduleKeys = keysBetween(null, null, parsed.length);
  parsed.forEach((input, m) => {
    const module = moduleSchema.parse(input);
    const moduleId = keepIds && module.id ? module.id : newId();
    e.put('program_modules', moduleId, {
      program_id: programId,
      position: moduleKeys[m] ?? keyBetween(null, null),
      title: module.title,
      description: module.description,
    });
    writeSteps(e, moduleId, module.steps, keepIds);
  });
}

/** Creates a program (with new ids for every row) as a draft. */
export function createProgram(
  db: Db,
  input: ProgramInput,
  label = 'create program',
): StoredProgram {
  const program = parse(programSchema, input, 'program');
  const id = newId();
  edit(db, id, label, (e) => {
    e.put('programs', id, {
      title: program.title,
      description: program.description,
      status: 'draft',
    });
    writeContent(e, id, program.modules, false);
  });
  return getProgram(db, id);
}

export function updateProgram(
  db: Db,
  id: string,
  patch: { title?: string; description?: string },
): StoredProgram {
  const current = getProgram(db, id);
  const next = parse(
    programSchema.pick({ title: true, description: true }),
    { title: current.title, description: current.description, ...patch },
    'program',
  );
  edit(db, id, 'edit program', (e) => e.put('programs', id, next));
  return getProgram(db, id);
}

export function deleteProgram(db: Db, id: string): void {
  const program = getProgram(db, id);
  edit(db, id, `delete program "${program.title}"`, (e) => {
    for (const m of program.modules)
      removeModule(
        e,
        m.id,
        m.steps.map((s) => s.id),
      );
    const versions = db.prepare('SELECT id FROM program_versions WHERE program_id = ?').all(id) as {
      id: string;
    }[];
    for (const v of versions) e.remove('program_versions', v.id);
    e.remove('programs', id);
  });
}

function removeModule(e: Editor, moduleId: string, stepIds: readonly string[]): void {
  for (const stepId of stepIds) e.remove('program_steps', stepId);
  e.remove('program_modules', moduleId);
}

/** The position key that places an item at `index` among `siblings` (ordered keys, item excluded). */
function positionAt(siblings: readonly string[], index: number | undefined): string {
  const at = index === undefined ? siblings.length : Math.max(0, Math.min(index, siblings.length));
  const before = siblings[at - 1] ?? null;
  // Two devices inserting at the same place can write equal keys; go past the tied ones.
  const after = siblings.slice(at).find((key) => before === null || key > before) ?? null;
  return keyBetween(before, after);
}

/** The column that groups each table's rows into siblings ordered by `position`. */
const PARENT = { program_modules: 'program_id', program_steps: 'module_id' } as const;

/** Ordered position keys of the modules of a program or the steps of a module, `except` left out. */
function siblingKeys(
  db: Db,
  table: keyof typeof PARENT,
  parentId: string,
  except?: string,
): string[] {
  return (
    db
      .prepare(
        `SELECT position FROM ${table} WHERE ${PARENT[table]} = ? AND id IS NOT ? ORDER BY position, id`,
      )
      .all(parentId, except ?? null) as { position: string }[]
  ).map((r) => r.position);
}

export function addModule(db: Db, programId: string, input: ModuleInput, index?: number): string {
  const module = parse(moduleSchema, input, 'module');
  getProgram(db, programId);
  const id = newId();
  edit(db, programId, `add module "${module.title}"`, (e) => {
    e.put('program_modules', id, {
      program_id: programId,
      position: positionAt(siblingKeys(db, 'program_modules', programId), index),
      title: module.title,
      description: module.description,
    });
    writeSteps(e, id, module.steps, false);
  });
  return id;
}

export function updateModule(
  db: Db,
  moduleId: string,
  patch: { title?: string; description?: string },
): void {
  const programId = programIdOfModule(db, moduleId);
  const next = parse(
    moduleSchema.pick({ title: true, description: true }).partial(),
    patch,
    'module',
  );
  edit(db, programId, 'edit module', (e) => e.put('program_modules', moduleId, next));
}

export function deleteModule(db: Db, moduleId: string): void {
  const programId = programIdOfModule(db, moduleId);
  const steps = db.prepare('SELECT id FROM program_steps WHERE module_id = ?').all(moduleId) as {
    id: string;
  }[];
  edit(db, programId, 'delete module', (e) =>
    removeModule(
      e,
      moduleId,
      steps.map((s) => s.id),
    ),
  );
}

export function moveModule(db: Db, moduleId: string, index: number): void {
  const programId = programIdOfModule(db, moduleId);
  edit(db, programId, 'move module', (e) =>
    e.put('program_modules', moduleId, {
      position: positionAt(siblingKeys(db, 'program_modules', programId, moduleId), index),
    }),
  );
}

export function addStep(db: Db, moduleId: string, input: StepInput, index?: number): string {
  const step = parse(stepSchema, input, 'step');
  const programId = programIdOfModule(db, moduleId);
  const id = newId();
  edit(db, programId, `add step "${step.title}"`, (e) =>
    e.put(
      'program_steps',
      id,
      stepRow(step, moduleId, positionAt(siblingKeys(db, 'program_steps', moduleId), index)),
    ),
  );
  return id;
}

/** Replaces the given fields of a step; the result must still be a valid step. */
export function updateStep(db: Db, stepId: string, patch: Partial<StepInput>): void {
  const row = getStepRow(db, stepId);
  const { id: _id, moduleId: _m, position: _p, ...current } = stepFromRow(row);
  const step = parse(stepSchema, { ...current, ...patch }, 'step');
  edit(db, row.program_id, `edit step "${step.title}"`, (e) =>
    e.put('program_steps', stepId, stepRow(step, row.module_id, row.position)),
  );
}

export function deleteStep(db: Db, stepId: string): void {
  const row = getStepRow(db, stepId);
  edit(db, row.program_id, `delete step "${row.title}"`, (e) => e.remove('program_steps', stepId));
}

/** Moves a step to `index` in a module of the same program (its own module or another). */
export function moveStep(
  db: Db,
  stepId: string,
  target: { moduleId?: string; index: number },
): void {
  const row = getStepRow(db, stepId);
  const moduleId = target.moduleId ?? row.module_id;
  if (programIdOfModule(db, moduleId) !== row.program_id) {
    throw new ProgramError('bad_move', 'a step can only move between modules of its own program');
  }
  edit(db, row.program_id, `move step "${row.title}"`, (e) =>
    e.put('program_steps', stepId, {
      module_id: moduleId,
      position: positionAt(siblingKeys(db, 'program_steps', moduleId, stepId), target.index),
    }),
  );
}
