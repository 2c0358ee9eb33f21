import type { Db } from '../db/open';
import { keySql, type LocalTable, localContentTables, q, rowJson } from './tables';

const GUARD = '(SELECT active FROM sync_apply_guard WHERE id = 1) = 0';

function outboxInsert(t: LocalTable, op: 'upsert' | 'delete', alias: 'NEW' | 'OLD'): string {
  const key = t.spec.mode === 'lww' ? keySql(t, alias) : "''";
  const rowid = t.spec.embedded ? `${alias}.rowid` : 'NULL';
  return `INSERT INTO sync_outbox (table_name, op, row_key, data, local_rowid)
    VALUES ('${t.spec.name}', '${op}', ${key}, ${rowJson(t, alias)}, ${rowid});`;
}

function triggersFor(t: LocalTable): string[] {
  const name = (suffix: string) => q(`sync_out_${t.spec.name}_${suffix}`);
  const table = q(t.spec.name);
  // Insert-only rows are identified by content: a change is the old row gone and a new one added.
  const onUpdate =
    t.spec.mode === 'insert_only'
      ? `${outboxInsert(t, 'delete', 'OLD')} ${outboxInsert(t, 'upsert', 'NEW')}`
      : outboxInsert(t, 'upsert', 'NEW');
  return [
    `CREATE TRIGGER IF NOT EXISTS ${name('ins')} AFTER INSERT ON ${table} WHEN ${GUARD}
      BEGIN ${outboxInsert(t, 'upsert', 'NEW')} END`,
    `CREATE TRIGGER IF NOT EXISTS ${name('upd')} AFTER UPDATE ON ${table} WHEN ${GUARD}
      BEGIN ${onUpdate} END`,
    `CREATE TRIGGER IF NOT EXISTS ${name('del')} AFTER DELETE ON ${table} WHEN ${GUARD}
      BEGIN ${outboxInsert(t, 'delete', 'OLD')} END`,
  ];
}

/** A vector stored for a chunk is sent as that chunk's embedding. */
const VECTOR_TRIGGER = `CREATE TRIGGER IF NOT EXISTS sync_out_chunk_vectors_ins
  AFTER INSERT ON chunk_vectors WHEN ${GUARD}
  BEGIN INSERT INTO sync_outbox (table_name, op, row_key, data, local_rowid)
    VALUES ('chunks', 'embedding', '', NULL, NEW.chunk_id); END`;

const tableExists = (db: Db, name: string) =>
  db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !==
  undefined;

/**
 * Rows of an editable table that sync knows already are not queued again: it sent or pulled them
 * (their version is recorded) or they wait in the outbox. That only happens when a migration rebuilt
 * a covered table and cleared its `covered:` key (007): its rows are on the server, and sending them
 * again would make concurrent edits of every one with the other desktops doing the same.
 */
function unknownToSync(t: LocalTable): string {
  if (t.spec.mode !== 'lww') return '';
  const key = keySql(t, 't');
  return `WHERE NOT EXISTS (SELECT 1 FROM sync_versions v
      WHERE v.table_name = '${t.spec.name}' AND v.row_key = ${key})
    AND NOT EXISTS (SELECT 1 FROM sync_outbox o
      WHERE o.table_name = '${t.spec.name}' AND o.row_key = ${key})`;
}

/**
 * Creates the outbox triggers of every registry table present in this workspace, and the first
 * time a table is covered, queues its existing rows: whatever was written before sync existed is
 * sent too. Idempotent; runs whenever sync is used, so tables added by later migrations join in,
 * and so do tables a migration rebuilt (dropping their triggers and their `covered:` key).
 */
export function installSync(db: Db): void {
  db.transaction(() => {
    const covered = new Set(
      (
        db.prepare("SELECT key FROM sync_state WHERE key LIKE 'covered:%'").all() as {
          key: string;
        }[]
      ).map((r) => r.key.slice('covered:'.length)),
    );
    for (const t of localContentTables(db)) {
      for (const sql of triggersFor(t)) db.exec(sql);
      if (covered.has(t.spec.name)) continue;
      const key = t.spec.mode === 'lww' ? keySql(t, 't') : "''";
      const rowid = t.spec.embedded ? 't.rowid' : 'NULL';
      db.exec(`INSERT INTO sync_outbox (table_name, op, row_key, data, local_rowid)
        SELECT '${t.spec.name}', 'upsert', ${key}, ${rowJson(t, 't')}, ${rowid} FROM ${q(t.spec.name)} t
        ${unknownToSync(t)} ORDER BY t.rowid`);
      db.prepare('INSERT INTO sync_state (key, value) VALUES (?, ?)').run(
        `covered:${t.spec.name}`,
        '1',
      );
    }
    if (tableExists(db, 'chunk_vectors')) {
      db.exec(VECTOR_TRIGGER);
      if (!covered.has('chunk_vectors')) {
        db.exec(`INSERT INTO sync_outbox (table_name, op, row_key, data, local_rowid)
          SELECT 'chunks', 'embedding', '', NULL, chunk_id FROM chunk_vectors GROUP BY chunk_id`);
        db.prepare(
          "INSERT INTO sync_state (key, value) VALUES ('covered:chunk_vectors', '1')",
        ).run();
      }
    }
  })();
}
