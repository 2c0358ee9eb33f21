import { SYNC_TABLES, type SyncTable } from '@creator-hub/shared/sync/index';
import type { Db } from '../db/open';

/** A registry table as this workspace has it: only columns that exist here are synced. */
export interface LocalTable {
  spec: SyncTable;
  /** Synced columns (the table's columns minus device-local ones), from the schema itself. */
  columns: string[];
}

const IDENT = /^[a-z_][a-z0-9_]*$/;

/** Identifiers come from the registry and the schema, never from a message; quoted anyway. */
export const q = (name: string): string => {
  if (!IDENT.test(name)) throw new Error(`unexpected identifier ${name}`);
  return `"${name}"`;
};

export function localTable(db: Db, spec: SyncTable): LocalTable | undefined {
  const cols = db.prepare(`SELECT name FROM pragma_table_info(?)`).all(spec.name) as {
    name: string;
  }[];
  if (cols.length === 0) return undefined;
  const local = new Set(spec.local ?? []);
  return { spec, columns: cols.map((c) => c.name).filter((c) => !local.has(c)) };
}

/** The content tables that exist in this workspace, in registry order (parents before children). */
export function localContentTables(db: Db): LocalTable[] {
  return SYNC_TABLES.filter((t) => t.writer === 'desktop')
    .map((t) => localTable(db, t))
    .filter((t): t is LocalTable => t !== undefined);
}

/** SQL for the row as JSON, e.g. json_object('id', NEW."id", ...). */
export const rowJson = (t: LocalTable, alias: string): string =>
  `json_object(${t.columns.map((c) => `'${c}', ${alias}.${q(c)}`).join(', ')})`;

/** SQL for the wire key of an editable row (its key, or a JSON array of a composite key). */
export const keySql = (t: LocalTable, alias: string): string =>
  t.spec.key.length === 1
    ? `CAST(${alias}.${q(t.spec.key[0] ?? '')} AS TEXT)`
    : `json_array(${t.spec.key.map((k) => `${alias}.${q(k)}`).join(', ')})`;
