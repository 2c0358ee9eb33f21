import { keyBetween } from '@creator-hub/shared/programs/index';
import type { Db } from '../db/open';
import { newId } from '../ids';
import { edit } from './edits';
import { getProgram, getStepRow, programIdOfModule, type StoredProgram, toDoc } from './read';
import { createProgram, stepRow } from './repository';

/** A copy of the whole program, with new ids, as a new draft. */
export function duplicateProgram(db: Db, id: string, title?: string): StoredProgram {
  const doc = toDoc(getProgram(db, id));
  const copyTitle = title ?? `${doc.title} (copy)`.slice(0, 200);
  return createProgram(db, { ...doc, title: copyTitle }, `duplicate program "${doc.title}"`);
}

/** The key right after `position` among its ordered siblings. */
function keyAfter(siblings: readonly { id: string; position: string }[], id: string): string {
  const at = siblings.findIndex((s) => s.id === id);
  return keyBetween(siblings[at]?.position ?? null, siblings[at + 1]?.position ?? null);
}

/** A copy of a module and its steps, placed right after it. Returns the new module id. */
export function duplicateModule(db: Db, moduleId: string): string {
  const programId = programIdOfModule(db, moduleId);
  const program = getProgram(db, programId);
  const module = program.modules.find((m) => m.id === moduleId);
  if (!module) throw new Error(`module ${moduleId} vanished while duplicating`);
  const copyId = newId();
  edit(db, programId, `duplicate module "${module.title}"`, (e) => {
    e.put('program_modules', copyId, {
      program_id: programId,
      position: keyAfter(program.modules, moduleId),
      title: `${module.title} (copy)`.slice(0, 200),
      description: module.description,
    });
    for (const step of module.steps) {
      e.put('program_steps', newId(), stepRow(step, copyId, step.position));
    }
  });
  return copyId;
}

/** A copy of a step, placed right after it in the same module. Returns the new step id. */
export function duplicateStep(db: Db, stepId: string): string {
  const row = getStepRow(db, stepId);
  const program = getProgram(db, row.program_id);
  const module = program.modules.find((m) => m.id === row.module_id);
  const step = module?.steps.find((s) => s.id === stepId);
  if (!module || !step) throw new Error(`step ${stepId} vanished while duplicating`);
  const copyId = newId();
  edit(db, row.program_id, `duplicate step "${step.title}"`, (e) =>
    e.put('program_steps', copyId, {
      ...stepRow(step, module.id, keyAfter(module.steps, stepId)),
      title: `${step.title} (copy)`.slice(0, 200),
    }),
  );
  return copyId;
}
