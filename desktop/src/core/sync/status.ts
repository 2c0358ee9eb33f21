import type { Db } from '../db/open';
import { installSync } from './install';
import { pendingMutations } from './publish';
import { getCursor, getState } from './state';

export interface SyncStatus {
  serverUrl: string | null;
  account: string | null;
  tenantId: string | null;
  deviceId: string | null;
  loggedIn: boolean;
  /** Local changes not yet acknowledged by the server. */
  pending: number;
  /** Sealed batches waiting to be (re)sent. */
  unsentBatches: number;
  conflicts: number;
  /** Mutations the server refused (see `sync status --json` for each one). */
  rejected: { mid: number; table: string; key: string; code: string; message: string }[];
  lastSyncAt: string | null;
  pulledContent: boolean;
  pulledActivity: boolean;
}

const count = (db: Db, sql: string) => (db.prepare(sql).get() as { n: number }).n;

export function syncStatus(db: Db): SyncStatus {
  installSync(db);
  const rejected = db
    .prepare(
      'SELECT mid, table_name AS "table", row_key AS key, code, message FROM sync_rejections ORDER BY mid',
    )
    .all() as SyncStatus['rejected'];
  return {
    serverUrl: getState(db, 'server_url') ?? null,
    account: getState(db, 'account') ?? null,
    tenantId: getState(db, 'tenant_id') ?? null,
    deviceId: getState(db, 'device_token') ? (getState(db, 'device_id') ?? null) : null,
    loggedIn: getState(db, 'device_token') !== undefined,
    pending: pendingMutations(db),
    unsentBatches: count(db, 'SELECT count(*) AS n FROM sync_batches'),
    conflicts: count(db, 'SELECT count(*) AS n FROM sync_conflicts WHERE resolved_at IS NULL'),
    rejected,
    lastSyncAt: getState(db, 'last_sync_at') ?? null,
    pulledContent: getCursor(db, 'content') !== undefined,
    pulledActivity: getCursor(db, 'activity') !== undefined,
  };
}
