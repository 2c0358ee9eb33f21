import {
  type Change,
  contentKey,
  decodeVector,
  type SyncTable,
} from '@creator-hub/shared/sync/index';
import type { Db } from '../db/open';
import { ensureSpace, padForStorage, targetSpace } from '../embed/spaces';
import { toBlob } from '../embed/vectors';
import { type LocalTable, q } from './tables';

type Bindable = string | number | null;

const bindable = (v: unknown): Bindable =>
  typeof v === 'boolean' ? (v ? 1 : 0) : typeof v === 'number' || typeof v === 'string' ? v : null;

/** Values of a key from its wire form (the value, or a JSON array for a composite key). */
export function keyValues(spec: SyncTable, key: string): Bindable[] {
  if (spec.key.length === 1) return [key];
  const parsed: unknown = JSON.parse(key);
  if (!Array.isArray(parsed) || parsed.length !== spec.key.length)
    throw new Error('bad composite key');
  return parsed.map(bindable);
}

const where = (spec: SyncTable) => spec.key.map((k) => `${q(k)} = ?`).join(' AND ');

/** Columns of the change that this workspace has, in a fixed order: never names from the message. */
function columnsOf(t: LocalTable, data: Record<string, unknown>): string[] {
  return t.columns.filter((c) => Object.hasOwn(data, c));
}

export function upsertEditable(db: Db, t: LocalTable, data: Record<string, unknown>): void {
  const cols = columnsOf(t, data);
  const keys = t.spec.key.map(q).join(', ');
  const updates = cols
    .filter((c) => !t.spec.key.includes(c))
    .map((c) => `${q(c)} = excluded.${q(c)}`);
  db.prepare(
    `INSERT INTO ${q(t.spec.name)} (${cols.map(q).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})
     ON CONFLICT (${keys}) DO ${updates.length > 0 ? `UPDATE SET ${updates.join(', ')}` : 'NOTHING'}`,
  ).run(...cols.map((c) => bindable(data[c])));
}

export function deleteEditable(db: Db, t: LocalTable, key: string): void {
  db.prepare(`DELETE FROM ${q(t.spec.name)} WHERE ${where(t.spec)}`).run(...keyValues(t.spec, key));
}

/** The local rows an insert-only change names: same natural key and same content hash. */
function findInsertOnly(db: Db, t: LocalTable, change: Change): { rowid: number }[] {
  const data = change.data ?? {};
  const rows = db
    .prepare(`SELECT rowid AS rowid_, * FROM ${q(t.spec.name)} WHERE ${where(t.spec)}`)
    .all(...t.spec.key.map((k) => bindable(data[k]))) as Record<string, unknown>[];
  return rows
    .filter(
      (r) => contentKey(Object.fromEntries(t.columns.map((c) => [c, r[c] ?? null]))) === change.key,
    )
    .map((r) => ({ rowid: Number(r.rowid_) }));
}

export class ApplyRefused extends Error {
  readonly code = 'apply_failed';
}

/** Inserts an insert-only row unless it is there; returns its local rowid. */
export function insertInsertOnly(db: Db, t: LocalTable, change: Change): number {
  const data = change.data ?? {};
  const found = findInsertOnly(db, t, change)[0];
  if (found) return found.rowid;
  const cols = columnsOf(t, data);
  const info = db
    .prepare(
      `INSERT INTO ${q(t.spec.name)} (${cols.map(q).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})
       ON CONFLICT DO NOTHING`,
    )
    .run(...cols.map((c) => bindable(data[c])));
  if (info.changes === 0) {
    throw new ApplyRefused('another row already holds this place (same key, different content)');
  }
  return Number(info.lastInsertRowid);
}

export function deleteInsertOnly(db: Db, t: LocalTable, change: Change): void {
  const del = db.prepare(`DELETE FROM ${q(t.spec.name)} WHERE rowid = ?`);
  for (const r of findInsertOnly(db, t, change)) del.run(r.rowid);
}

const FINGERPRINT = /^([^/]+)\/(.+)@(\d+)$/;

/**
 * Stores a received chunk vector when it fits the knowledge base's current model; otherwise the
 * local embedder will make one. Returns the space it went to.
 */
export function storeVector(
  db: Db,
  chunkId: number,
  embedding: NonNullable<Change['embedding']>,
): number | undefined {
  const m = FINGERPRINT.exec(embedding.fingerprint);
  const kb = db
    .prepare('SELECT d.kb_id FROM chunks c JOIN documents d ON d.id = c.document_id WHERE c.id = ?')
    .get(chunkId) as { kb_id: string } | undefined;
  if (!m || !kb) return undefined;
  const fp = { provider: m[1] ?? '', model: m[2] ?? '', dims: Number(m[3]) };
  if (fp.dims !== embedding.dims) return undefined;
  const current = targetSpace(db, kb.kb_id);
  const same =
    current &&
    current.provider === fp.provider &&
    current.model === fp.model &&
    current.dims === fp.dims;
  if (current && !same) return undefined;
  const space = current ?? ensureSpace(db, kb.kb_id, fp);
  const vector = padForStorage(decodeVector(embedding.vector, embedding.dims));
  db.prepare(
    'INSERT INTO chunk_vectors (space_id, chunk_id, vector) VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET vector = excluded.vector',
  ).run(space.id, chunkId, toBlob(vector));
  return space.id;
}
