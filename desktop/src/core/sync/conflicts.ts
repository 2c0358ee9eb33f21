import {
  type Change,
  CONFLICTS_TABLE,
  canonicalJson,
  sha256Hex,
  syncTable,
} from '@creator-hub/shared/sync/index';
import { z } from 'zod';
import type { Db } from '../db/open';
import { deleteEditable, upsertEditable } from './apply-row';
import { withMergedIds } from './default-kb';
import { localTable } from './tables';

export interface SyncConflict {
  id: string;
  kind: 'concurrent_edit' | 'apply_failed';
  table: string;
  key: string;
  /** The version that did not win (concurrent edit) or could not be applied here (apply failed). */
  loser: Record<string, unknown> | null;
  loserDevice: string | null;
  /** The version in place. */
  winner: Record<string, unknown> | null;
  winnerDevice: string | null;
  reason: string;
  createdAt: string;
}

const Record_ = z.record(z.string(), z.unknown()).nullable();
const ConflictData = z.object({
  id: z.string().max(64),
  table: z.string().max(64),
  key: z.string().max(600),
  loser: Record_,
  loserHlc: z.string(),
  loserDevice: z.string(),
  winner: Record_,
  winnerHlc: z.string(),
  winnerDevice: z.string(),
  createdAt: z.string(),
});

const iso = (now: () => number) => new Date(now()).toISOString();

/** A conflict record from the server: kept until resolved here or on another device. */
export function applyConflictRecord(db: Db, change: Change, now: () => number): void {
  if (change.op === 'delete') {
    db.prepare(
      `UPDATE sync_conflicts SET resolved_at = ?, resolution = coalesce(resolution, 'elsewhere')
       WHERE id = ? AND resolved_at IS NULL`,
    ).run(iso(now), change.key);
    return;
  }
  const c = ConflictData.parse(change.data);
  // Recorded by servers from before they compared the two: nothing would be lost either way.
  if (canonicalJson(c.loser) === canonicalJson(c.winner)) return;
  db.prepare(
    `INSERT INTO sync_conflicts (id, kind, table_name, row_key, loser, loser_hlc, loser_device,
       winner, winner_hlc, winner_device, created_at)
     VALUES (?, 'concurrent_edit', ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
  ).run(
    change.key,
    c.table,
    c.key,
    JSON.stringify(c.loser),
    c.loserHlc,
    c.loserDevice,
    JSON.stringify(c.winner),
    c.winnerHlc,
    c.winnerDevice,
    c.createdAt,
  );
}

/** A remote row this workspace refused (a local constraint): shown to the creator, never lost. */
export function recordApplyFailure(
  db: Db,
  change: Change,
  reason: string,
  now: () => number,
): void {
  const id = sha256Hex(
    `${change.table}\u0000${change.key}\u0000${change.hlc}\u0000${change.device}`,
  ).slice(0, 32);
  db.prepare(
    `INSERT INTO sync_conflicts (id, kind, table_name, row_key, loser, loser_hlc, loser_device, reason, created_at)
     VALUES (?, 'apply_failed', ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
  ).run(
    id,
    change.table,
    change.key,
    JSON.stringify(change.data),
    change.hlc,
    change.device,
    reason,
    iso(now),
  );
}

interface ConflictRow {
  id: string;
  kind: SyncConflict['kind'];
  table_name: string;
  row_key: string;
  loser: string | null;
  loser_device: string | null;
  winner: string | null;
  winner_device: string | null;
  reason: string;
  created_at: string;
}

/** A row kept in a conflict record; throws when it is not a JSON object (a damaged record). */
export const storedRow = (s: string | null) => (s === null ? null : Record_.parse(JSON.parse(s)));

/** A damaged row is listed as null; its reason says why it could not be taken. */
function shownRow(s: string | null): Record<string, unknown> | null {
  try {
    return storedRow(s);
  } catch {
    return null;
  }
}

export function listConflicts(db: Db): SyncConflict[] {
  const rows = db
    .prepare('SELECT * FROM sync_conflicts WHERE resolved_at IS NULL ORDER BY created_at, id')
    .all() as ConflictRow[];
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    table: r.table_name,
    key: r.row_key,
    loser: shownRow(r.loser),
    loserDevice: r.loser_device,
    winner: shownRow(r.winner),
    winnerDevice: r.winner_device,
    reason: r.reason,
    createdAt: r.created_at,
  }));
}

export class ConflictNotFound extends Error {
  readonly code = 'not_found';
}

export class ConflictUnreadable extends Error {
  readonly code = 'unreadable_conflict';
}

/**
 * Resolves a conflict by keeping the version in place ('winner') or by making the other one current
 * ('loser'), written as an ordinary local edit so it syncs like any other. Concurrent-edit records
 * are also resolved on the server, so other devices stop showing them.
 */
export function resolveConflict(
  db: Db,
  id: string,
  keep: 'winner' | 'loser',
  now = Date.now,
): void {
  db.transaction(() => {
    const row = db
      .prepare('SELECT * FROM sync_conflicts WHERE id = ? AND resolved_at IS NULL')
      .get(id) as ConflictRow | undefined;
    if (!row) throw new ConflictNotFound(`no open conflict ${id}`);
    if (keep === 'loser') {
      const spec = syncTable(row.table_name);
      const t = spec && localTable(db, spec);
      if (!t) throw new ConflictNotFound(`table ${row.table_name} is not in this workspace`);
      const loser = readLoser(row);
      if (loser) upsertEditable(db, t, withMergedIds(db, loser));
      else deleteEditable(db, t, row.row_key);
    }
    db.prepare('UPDATE sync_conflicts SET resolved_at = ?, resolution = ? WHERE id = ?').run(
      new Date(now()).toISOString(),
      keep,
      id,
    );
    if (row.kind === 'concurrent_edit') {
      db.prepare(
        "INSERT INTO sync_outbox (table_name, op, row_key, data) VALUES (?, 'delete', ?, '{}')",
      ).run(CONFLICTS_TABLE, id);
    }
  })();
}

/** The losing row to make current; a damaged one is refused rather than taken as a deletion. */
function readLoser(row: ConflictRow): Record<string, unknown> | null {
  try {
    return storedRow(row.loser);
  } catch {
    throw new ConflictUnreadable(`conflict ${row.id} holds no readable row: keep the winner`);
  }
}
