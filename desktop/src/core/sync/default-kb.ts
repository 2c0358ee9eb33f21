import type { Db } from '../db/open';

const has = (db: Db, table: string) =>
  db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) !==
  undefined;

/** Nothing hangs off a knowledge base: no documents, no eval cases or runs. */
function isEmpty(db: Db, kbId: string): boolean {
  for (const table of ['documents', 'eval_cases', 'eval_runs']) {
    if (has(db, table) && db.prepare(`SELECT 1 FROM ${table} WHERE kb_id = ? LIMIT 1`).get(kbId)) {
      return false;
    }
  }
  return true;
}

/**
 * Every workspace starts with its own empty Default knowledge base, so two desktops of one tenant
 * bring two. When another device's default arrives, the one with the smaller id is kept by both
 * sides: an empty local default with a larger id is deleted (as an ordinary local edit, so the
 * server and the other devices drop it too) to make room. A default that holds anything stays, and
 * the remote one is then refused into a visible conflict.
 */
export function makeRoomForRemoteDefault(db: Db, data: Record<string, unknown>): void {
  if (data.is_default !== 1 && data.is_default !== true) return;
  const remoteId = String(data.id);
  const local = db.prepare('SELECT id FROM knowledge_bases WHERE is_default = 1').get() as
    | { id: string }
    | undefined;
  if (!local || local.id === remoteId || remoteId > local.id || !isEmpty(db, local.id)) return;
  db.prepare('UPDATE sync_apply_guard SET active = 0 WHERE id = 1').run();
  db.prepare('DELETE FROM knowledge_bases WHERE id = ?').run(local.id);
  db.prepare('UPDATE sync_apply_guard SET active = 1 WHERE id = 1').run();
}

/** A remote row refused earlier is settled once that row is deleted: nothing is left to take. */
export function settleRefusedRow(db: Db, table: string, key: string, at: string): void {
  db.prepare(
    `UPDATE sync_conflicts SET resolved_at = ?, resolution = 'deleted'
     WHERE kind = 'apply_failed' AND table_name = ? AND row_key = ? AND resolved_at IS NULL`,
  ).run(at, table, key);
}
