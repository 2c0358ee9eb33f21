import { HybridClock, parseHlc, type Stream } from '@creator-hub/shared/sync/index';
import type { Db } from '../db/open';
import { newId } from '../ids';

/** Named values of the sync client, kept in the workspace database (sync_state). */
export type StateKey =
  | 'device_id'
  | 'next_mid'
  | 'acked_mid'
  | 'hlc'
  | 'server_url'
  | 'account'
  | 'tenant_id'
  | 'device_token'
  | 'publish_release_id'
  | 'publish_note'
  | 'last_sync_at';

export function getState(db: Db, key: StateKey): string | undefined {
  const row = db.prepare('SELECT value FROM sync_state WHERE key = ?').get(key) as
    | { value: string }
    | undefined;
  return row?.value;
}

export function setState(db: Db, key: StateKey, value: string | number): void {
  db.prepare(
    'INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  ).run(key, String(value));
}

export function clearState(db: Db, key: StateKey): void {
  db.prepare('DELETE FROM sync_state WHERE key = ?').run(key);
}

export const numberState = (db: Db, key: StateKey): number => Number(getState(db, key) ?? 0);

/**
 * This workspace's device id for HLC tie-breaks and authorship. Before registration it is a local
 * id; registering with a server replaces it with the server's device id (nothing was sent yet).
 */
export function deviceId(db: Db): string {
  const existing = getState(db, 'device_id');
  if (existing) return existing;
  const id = newId();
  setState(db, 'device_id', id);
  return id;
}

/** The device clock, read from and written back to the database around each use. */
export function withClock<T>(db: Db, now: () => number, fn: (clock: HybridClock) => T): T {
  const saved = getState(db, 'hlc');
  const clock = new HybridClock(saved ? parseHlc(saved) : { ms: 0, counter: 0 }, now);
  const result = fn(clock);
  setState(db, 'hlc', clock.current());
  return result;
}

export function getCursor(db: Db, stream: Stream): string | undefined {
  const row = db.prepare('SELECT cursor FROM sync_cursors WHERE stream = ?').get(stream) as
    | { cursor: string }
    | undefined;
  return row?.cursor;
}

export function setCursor(db: Db, stream: Stream, cursor: string): void {
  db.prepare(
    `INSERT INTO sync_cursors (stream, cursor) VALUES (?, ?)
     ON CONFLICT (stream) DO UPDATE SET cursor = excluded.cursor,
       updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')`,
  ).run(stream, cursor);
}
