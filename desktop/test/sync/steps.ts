import type { Db } from '../../src/core/db/open';
import { newId } from '../../src/core/ids';

/** Program rows written the way the editor writes them: plain SQL on the real tables. */
export function createProgram(db: Db, title = 'Course'): { programId: string; moduleId: string } {
  const programId = newId();
  const moduleId = newId();
  db.prepare('INSERT INTO programs (id, title) VALUES (?, ?)').run(programId, title);
  db.prepare(
    'INSERT INTO program_modules (id, program_id, position, title) VALUES (?, ?, ?, ?)',
  ).run(moduleId, programId, 'a0', 'Week 1');
  return { programId, moduleId };
}

export function addStep(db: Db, moduleId: string, title: string): string {
  const id = newId();
  db.prepare('INSERT INTO program_steps (id, module_id, position, title) VALUES (?, ?, ?, ?)').run(
    id,
    moduleId,
    'a0',
    title,
  );
  return id;
}

export function renameStep(db: Db, id: string, title: string): void {
  db.prepare('UPDATE program_steps SET title = ? WHERE id = ?').run(title, id);
}

export function steps(db: Db): { id: string; title: string }[] {
  return db.prepare('SELECT id, title FROM program_steps ORDER BY id').all() as {
    id: string;
    title: string;
  }[];
}
