import {
  type Change,
  CONFLICTS_TABLE,
  compareVersions,
  rowProblem,
  type Stream,
  SYNC_TABLES,
  syncTable,
} from '@creator-hub/shared/sync/index';
import type { Db } from '../db/open';
import { completeIfDone, listSpaces } from '../embed/spaces';
import { checkRemotePersona } from '../persona/remote';
import { checkRemoteProgramVersion } from '../programs/version-rows';
import {
  ApplyRefused,
  deleteEditable,
  deleteInsertOnly,
  insertInsertOnly,
  storeVector,
  upsertEditable,
} from './apply-row';
import { applyConflictRecord, recordApplyFailure, storedRow } from './conflicts';
import {
  applyRemoteDocument,
  applyRemoteKnowledgeBase,
  isMergedDocument,
  settleRefusedRow,
  withMergedIds,
} from './default-kb';
import { numberState, setCursor, withClock } from './state';
import { type LocalTable, localTable } from './tables';

export interface ApplyStats {
  applied: number;
  /** Remote versions of rows whose own edit is still on its way (the server's answer will follow). */
  deferred: number;
  failed: number;
  mirrored: number;
}

/**
 * Applies one page of remote changes and advances the stream cursor in the same SQLite
 * transaction, with the outbox triggers off: a crash leaves either both or neither, and nothing
 * applied here is sent back. A change this workspace refuses becomes a conflict, not a stuck page.
 */
export function applyPage(
  db: Db,
  stream: Stream,
  changes: Change[],
  cursor: string | undefined,
  now: () => number = Date.now,
): ApplyStats {
  const stats: ApplyStats = { applied: 0, deferred: 0, failed: 0, mirrored: 0 };
  const spaces = new Set<number>();
  const tables = new Map<string, LocalTable | undefined>();
  const tableOf = (name: string) => {
    if (!tables.has(name)) {
      const spec = syncTable(name);
      tables.set(name, spec && spec.stream === stream ? localTable(db, spec) : undefined);
    }
    return tables.get(name);
  };
  db.transaction(() => {
    db.prepare('UPDATE sync_apply_guard SET active = 1 WHERE id = 1').run();
    const acked = numberState(db, 'acked_mid');
    if (stream === 'content') retryRefused(db, tableOf, acked, stats, spaces, now);
    for (const change of changes) {
      const t = change.table === CONFLICTS_TABLE ? undefined : tableOf(change.table);
      try {
        db.transaction(() => {
          if (change.table === CONFLICTS_TABLE && stream === 'content')
            applyConflictRecord(db, change, now);
          else if (!t) mirror(db, stream, change, stats);
          else applyToTable(db, t, change, acked, stats, spaces);
        })();
      } catch (error) {
        if (!(error instanceof ApplyRefused) && !isConstraint(error)) throw error;
        stats.failed += 1;
        recordApplyFailure(db, change, error instanceof Error ? error.message : String(error), now);
      }
    }
    let newest = '';
    for (const c of changes) if (c.hlc > newest) newest = c.hlc;
    if (newest) withClock(db, now, (clock) => clock.receive(newest));
    for (const space of spaces) {
      const s = spaceById(db, space);
      if (s) completeIfDone(db, s);
    }
    if (cursor !== undefined) setCursor(db, stream, cursor);
    db.prepare('UPDATE sync_apply_guard SET active = 0 WHERE id = 1').run();
  })();
  return stats;
}

/** Tables in the order their rows can be taken in: parents before children. */
const RETRY_ORDER = SYNC_TABLES.map((t) => t.name);

interface RefusedRow {
  id: string;
  table_name: string;
  row_key: string;
  loser: string | null;
  loser_hlc: string;
  loser_device: string;
}

/**
 * One more try for refused rows marked 'retry' (migration 008: knowledge rows refused before
 * Default knowledge bases merged), each from its conflict record, oldest first. A row whose newer
 * version is here already is settled as superseded; one that fails again, for whatever reason (a
 * damaged record included), stays an open conflict with that reason and is not tried again, so it
 * cannot hold up every later pull.
 */
function retryRefused(
  db: Db,
  tableOf: (name: string) => LocalTable | undefined,
  acked: number,
  stats: ApplyStats,
  spaces: Set<number>,
  now: () => number,
): void {
  const rows = (
    db
      .prepare(
        `SELECT id, table_name, row_key, loser, loser_hlc, loser_device FROM sync_conflicts
         WHERE kind = 'apply_failed' AND resolved_at IS NULL AND resolution = 'retry'
         ORDER BY created_at, id`,
      )
      .all() as RefusedRow[]
  ).sort((x, y) => RETRY_ORDER.indexOf(x.table_name) - RETRY_ORDER.indexOf(y.table_name));
  const settle = db.prepare(
    'UPDATE sync_conflicts SET resolved_at = ?, resolution = ? WHERE id = ?',
  );
  const keepOpen = db.prepare(
    'UPDATE sync_conflicts SET resolution = NULL, reason = ? WHERE id = ?',
  );
  for (const r of rows) {
    const before = stats.applied;
    try {
      const data = storedRow(r.loser);
      const change: Change = {
        seq: 0,
        table: r.table_name,
        op: data ? 'upsert' : 'delete',
        key: r.row_key,
        hlc: r.loser_hlc,
        device: r.loser_device,
        data,
      };
      const t = tableOf(r.table_name);
      if (t && !hasNewer(db, t, change))
        db.transaction(() => applyToTable(db, t, change, acked, stats, spaces))();
      const applied = stats.applied > before;
      settle.run(new Date(now()).toISOString(), applied ? 'applied' : 'superseded', r.id);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      keepOpen.run(`refused again: ${reason.slice(0, 500)}`, r.id);
    }
  }
}

/** An editable row whose version here is at least as new as `change`. */
function hasNewer(db: Db, t: LocalTable, change: Change): boolean {
  if (t.spec.mode !== 'lww') return false;
  const local = db
    .prepare('SELECT hlc, device FROM sync_versions WHERE table_name = ? AND row_key = ?')
    .get(t.spec.name, change.key) as { hlc: string; device: string } | undefined;
  return local !== undefined && compareVersions(local, change) >= 0;
}

function spaceById(db: Db, id: number) {
  const row = db.prepare('SELECT kb_id FROM embedding_spaces WHERE id = ?').get(id) as
    | { kb_id: string }
    | undefined;
  return row ? listSpaces(db, row.kb_id).find((s) => s.id === id) : undefined;
}

const isConstraint = (error: unknown): boolean =>
  error instanceof Error && 'code' in error && String(error.code).startsWith('SQLITE_CONSTRAINT');

function applyToTable(
  db: Db,
  t: LocalTable,
  remote: Change,
  acked: number,
  stats: ApplyStats,
  spaces: Set<number>,
): void {
  const change =
    t.spec.name === 'persona_versions'
      ? checkRemotePersona(remote)
      : t.spec.name === 'program_versions'
        ? checkRemoteProgramVersion(remote)
        : remote;
  const problem = change.op === 'upsert' && change.data && rowProblem(t.spec.name, change.data);
  if (problem) throw new ApplyRefused(problem);
  if (t.spec.mode === 'insert_only') {
    applyInsertOnly(db, t, change, spaces);
    stats.applied += 1;
    return;
  }
  const local = db
    .prepare(
      'SELECT hlc, device, local_mid FROM sync_versions WHERE table_name = ? AND row_key = ?',
    )
    .get(t.spec.name, change.key) as { hlc: string; device: string; local_mid: number } | undefined;
  const unsent = db
    .prepare('SELECT 1 FROM sync_outbox WHERE table_name = ? AND row_key = ? LIMIT 1')
    .get(t.spec.name, change.key);
  if (unsent || (local && local.local_mid > acked)) {
    stats.deferred += 1;
    return;
  }
  if (local && local.hlc === change.hlc && local.device === change.device) return;
  if (change.op === 'delete' || !change.data) {
    deleteEditable(db, t, change.key);
    settleRefusedRow(db, t.spec.name, change.key, new Date().toISOString());
  } else {
    if (t.spec.name === 'knowledge_bases') applyRemoteKnowledgeBase(db, t, change.data);
    else if (t.spec.name === 'documents') applyRemoteDocument(db, t, change.data);
    else upsertEditable(db, t, withMergedIds(db, change.data));
  }
  db.prepare(
    `INSERT INTO sync_versions (table_name, row_key, hlc, device) VALUES (?, ?, ?, ?)
     ON CONFLICT (table_name, row_key) DO UPDATE SET hlc = excluded.hlc, device = excluded.device`,
  ).run(t.spec.name, change.key, change.hlc, change.device);
  stats.applied += 1;
}

function applyInsertOnly(db: Db, t: LocalTable, change: Change, spaces: Set<number>): void {
  // The chunks of a document merged into its twin here: the twin's own chunks stand for them.
  if (t.spec.name === 'chunks' && isMergedDocument(db, change.data?.document_id)) return;
  if (change.op === 'delete') {
    deleteInsertOnly(db, t, change);
    return;
  }
  const rowid = insertInsertOnly(db, t, change);
  if (t.spec.embedded && change.embedding) {
    const space = storeVector(db, rowid, change.embedding);
    if (space !== undefined) spaces.add(space);
  }
}

function mirror(db: Db, stream: Stream, change: Change, stats: ApplyStats): void {
  if (change.op === 'delete') {
    db.prepare('DELETE FROM sync_mirror WHERE table_name = ? AND row_key = ?').run(
      change.table,
      change.key,
    );
  } else {
    db.prepare(
      `INSERT INTO sync_mirror (stream, table_name, row_key, data, hlc, device, seq) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (table_name, row_key) DO UPDATE SET stream = excluded.stream, data = excluded.data,
         hlc = excluded.hlc, device = excluded.device, seq = excluded.seq`,
    ).run(
      stream,
      change.table,
      change.key,
      JSON.stringify(change.data),
      change.hlc,
      change.device,
      change.seq,
    );
  }
  stats.mirrored += 1;
}
