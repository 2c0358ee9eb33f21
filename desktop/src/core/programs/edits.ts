import type { Db } from '../db/open';
import { ProgramError } from './errors';
import { upgradeLegacyProgramVersion } from './version-rows';

/**
 * Every program edit goes through an Editor, which records the before and after image of each row
 * it writes. The images are the undo log: undo writes the befores back, redo the afters. Writes are
 * upserts (never INSERT OR REPLACE, whose delete would cascade to a program's children).
 */
export type Table = 'programs' | 'program_modules' | 'program_steps' | 'program_versions';
export type Row = Record<string, string | number | null>;

export interface Change {
  table: Table;
  id: string;
  before: Row | null;
  after: Row | null;
}

const COLUMNS: Record<Table, readonly string[]> = {
  programs: ['id', 'title', 'description', 'status', 'created_at', 'updated_at'],
  program_modules: [
    'id',
    'program_id',
    'position',
    'title',
    'description',
    'created_at',
    'updated_at',
  ],
  program_steps: [
    'id',
    'module_id',
    'position',
    'title',
    'lesson',
    'links',
    'check_in',
    'proactive_message',
    'anchor',
    'day_offset',
    'send_time',
    'completion',
    'created_at',
    'updated_at',
  ],
  program_versions: ['id', 'program_id', 'hlc', 'kind', 'note', 'snapshot', 'created_at'],
};

/** How many undo entries a program keeps; older ones are dropped. */
export const UNDO_DEPTH = 200;

const now = () => new Date().toISOString();

function upsertSql(table: Table): string {
  const cols = COLUMNS[table];
  const updates = cols.filter((c) => c !== 'id').map((c) => `${c} = excluded.${c}`);
  return `INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map((c) => `@${c}`).join(', ')})
    ON CONFLICT (id) DO UPDATE SET ${updates.join(', ')}`;
}

/**
 * An image from the undo log in the table's current columns: versions logged before migration 007
 * had a number instead of a clock and get the clock 007 gave them.
 */
function currentForm(table: Table, row: Row): Row {
  if (table !== 'program_versions') return row;
  const upgraded = upgradeLegacyProgramVersion(row) as Row | undefined;
  const next = upgraded ?? row;
  return Object.fromEntries(COLUMNS[table].map((c) => [c, next[c] ?? null]));
}

function writeRow(db: Db, table: Table, id: string, row: Row | null): void {
  if (row === null) db.prepare(`DELETE FROM ${table} WHERE id = ?`).run(id);
  else db.prepare(upsertSql(table)).run(currentForm(table, row));
}

export class Editor {
  readonly changes: Change[] = [];
  readonly timestamp = now();

  constructor(readonly db: Db) {}

  get(table: Table, id: string): Row | undefined {
    return this.db.prepare(`SELECT * FROM ${table} WHERE id = ?`).get(id) as Row | undefined;
  }

  /** Inserts or updates a whole row; `patch` over the current row when it exists. */
  put(table: Table, id: string, patch: Row): Row {
    const before = this.get(table, id) ?? null;
    const after: Row = { ...(before ?? { created_at: this.timestamp }), ...patch, id };
    if (table !== 'program_versions') after.updated_at = this.timestamp;
    for (const col of COLUMNS[table]) if (!(col in after)) after[col] = null;
    writeRow(this.db, table, id, after);
    this.changes.push({ table, id, before, after });
    return after;
  }

  remove(table: Table, id: string): void {
    const before = this.get(table, id);
    if (!before) return;
    writeRow(this.db, table, id, null);
    this.changes.push({ table, id, before, after: null });
  }
}

/**
 * Runs one user-visible edit of a program in a transaction and logs it for undo. An edit writes
 * only the rows it changes (a step edit never touches the program row), so edits of different
 * steps on two devices stay independent when synced.
 */
export function edit<T>(db: Db, programId: string, label: string, fn: (e: Editor) => T): T {
  return db.transaction(() => {
    const editor = new Editor(db);
    const result = fn(editor);
    if (editor.changes.length > 0) logUndo(db, programId, label, editor.changes);
    return result;
  })();
}

export function canUndo(db: Db, programId: string): boolean {
  return (
    db
      .prepare('SELECT 1 FROM program_undo WHERE program_id = ? AND undone = 0 LIMIT 1')
      .get(programId) !== undefined
  );
}

function logUndo(db: Db, programId: string, label: string, changes: Change[]): void {
  // A new edit ends the redo chain, as in every editor.
  db.prepare('DELETE FROM program_undo WHERE program_id = ? AND undone = 1').run(programId);
  db.prepare('INSERT INTO program_undo (program_id, label, changes) VALUES (?, ?, ?)').run(
    programId,
    label,
    JSON.stringify(changes),
  );
  db.prepare(
    `DELETE FROM program_undo WHERE program_id = ? AND seq <= (
       SELECT seq FROM program_undo WHERE program_id = ? ORDER BY seq DESC LIMIT 1 OFFSET ?)`,
  ).run(programId, programId, UNDO_DEPTH);
}

export interface UndoResult {
  programId: string;
  label: string;
}

interface UndoEntry {
  seq: number;
  program_id: string;
  label: string;
  changes: string;
}

/** Undoes the latest edit (of one program, or of any program when none is named). */
export function undo(db: Db, programId?: string): UndoResult {
  return replay(db, programId, 'undo');
}

/** Re-applies the latest undone edit. */
export function redo(db: Db, programId?: string): UndoResult {
  return replay(db, programId, 'redo');
}

function replay(db: Db, programId: string | undefined, direction: 'undo' | 'redo'): UndoResult {
  return db.transaction(() => {
    const undone = direction === 'undo' ? 0 : 1;
    const order = direction === 'undo' ? 'DESC' : 'ASC';
    const filter = programId === undefined ? '' : 'AND program_id = @programId';
    const entry = db
      .prepare(
        `SELECT seq, program_id, label, changes FROM program_undo
         WHERE undone = @undone ${filter} ORDER BY seq ${order} LIMIT 1`,
      )
      .get({ undone, programId }) as UndoEntry | undefined;
    if (!entry) {
      throw new ProgramError('nothing_to_undo', `there is nothing to ${direction}`);
    }
    const changes = JSON.parse(entry.changes) as Change[];
    if (direction === 'undo') {
      for (const c of [...changes].reverse()) writeRow(db, c.table, c.id, c.before);
    } else {
      for (const c of changes) writeRow(db, c.table, c.id, c.after);
    }
    db.prepare('UPDATE program_undo SET undone = ? WHERE seq = ?').run(1 - undone, entry.seq);
    return { programId: entry.program_id, label: entry.label };
  })();
}
