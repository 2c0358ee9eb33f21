import type { Db } from '../db/open';
import type { Fingerprint } from './types';

export const stampKey = (spaceId: number): string => `vectors.version.${Math.trunc(spaceId)}`;

/** In-memory search indexes compare this stamp to know when to reload. */
export function ensureStampTriggers(db: Db, spaceId: number): void {
  const id = Math.trunc(spaceId);
  const bump = `INSERT INTO settings (key, value) VALUES ('${stampKey(id)}', '1')
      ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1`;
  db.exec(`CREATE TRIGGER IF NOT EXISTS ${vecTable(id)}_stamp_insert AFTER INSERT ON chunk_vectors
    WHEN new.space_id = ${id} BEGIN ${bump}; END`);
  db.exec(`CREATE TRIGGER IF NOT EXISTS ${vecTable(id)}_stamp_delete AFTER DELETE ON chunk_vectors
    WHEN old.space_id = ${id} BEGIN ${bump}; END`);
}

/** Vectors of one knowledge base under one fingerprint (see migration 002). */
export interface EmbeddingSpace extends Fingerprint {
  id: number;
  kbId: string;
  status: 'building' | 'ready';
}

interface SpaceRow {
  id: number;
  kb_id: string;
  provider: string;
  model: string;
  dims: number;
  status: 'building' | 'ready';
}

const toSpace = (r: SpaceRow): EmbeddingSpace => ({
  id: r.id,
  kbId: r.kb_id,
  provider: r.provider,
  model: r.model,
  dims: r.dims,
  status: r.status,
});

/** The vec0 table holding a space's binary prefilter; the id is an integer we generated. */
export const vecTable = (spaceId: number): string => `vec_space_${Math.trunc(spaceId)}`;

export function listSpaces(db: Db, kbId: string): EmbeddingSpace[] {
  const rows = db
    .prepare('SELECT * FROM embedding_spaces WHERE kb_id = ? ORDER BY id DESC')
    .all(kbId) as SpaceRow[];
  return rows.map(toSpace);
}

/** The space new vectors go to: the newest one. Undefined before anything was embedded. */
export function targetSpace(db: Db, kbId: string): EmbeddingSpace | undefined {
  return listSpaces(db, kbId)[0];
}

/** The space search uses: the newest complete one, so a model switch never serves a partial space. */
export function servingSpace(db: Db, kbId: string): EmbeddingSpace | undefined {
  return listSpaces(db, kbId).find((s) => s.status === 'ready');
}

export const sameModel = (a: Omit<Fingerprint, 'dims'>, b: Omit<Fingerprint, 'dims'>): boolean =>
  a.provider === b.provider && a.model === b.model;

/**
 * Returns the space for a fingerprint, making it the target. A new fingerprint starts a new
 * 'building' space beside the serving one; going back to an older space abandons the newer
 * unfinished ones.
 */
export function ensureSpace(db: Db, kbId: string, fp: Fingerprint): EmbeddingSpace {
  return db.transaction(() => {
    const spaces = listSpaces(db, kbId);
    const index = spaces.findIndex((s) => sameModel(s, fp) && s.dims === fp.dims);
    const existing = spaces[index];
    if (existing) {
      for (const newer of spaces.slice(0, index)) dropSpace(db, newer);
      return existing;
    }
    const info = db
      .prepare('INSERT INTO embedding_spaces (kb_id, provider, model, dims) VALUES (?, ?, ?, ?)')
      .run(kbId, fp.provider, fp.model, fp.dims);
    const id = Number(info.lastInsertRowid);
    const table = vecTable(id);
    db.exec(`CREATE VIRTUAL TABLE ${table} USING vec0 (embedding bit[${bitWidth(fp.dims)}])`);
    // Triggers keep the prefilter in step with chunk_vectors, including FK cascades from chunks.
    db.exec(`CREATE TRIGGER ${table}_insert AFTER INSERT ON chunk_vectors WHEN new.space_id = ${id}
      BEGIN INSERT INTO ${table} (rowid, embedding) VALUES (new.chunk_id, vec_quantize_binary(new.vector)); END`);
    db.exec(`CREATE TRIGGER ${table}_delete AFTER DELETE ON chunk_vectors WHEN old.space_id = ${id}
      BEGIN DELETE FROM ${table} WHERE rowid = old.chunk_id; END`);
    ensureStampTriggers(db, id);
    return { id, kbId, ...fp, status: 'building' as const };
  })();
}

/** vec0 bit vectors need a multiple of 8 bits; stored vectors are zero-padded up to it. */
export const bitWidth = (dims: number): number => Math.ceil(dims / 8) * 8;

/** Zero padding changes no dot product, and lets any width quantize to whole bytes. */
export function padForStorage(v: Float32Array): Float32Array {
  const width = bitWidth(v.length);
  if (width === v.length) return v;
  const out = new Float32Array(width);
  out.set(v);
  return out;
}

export function dropSpace(db: Db, space: EmbeddingSpace): void {
  const table = vecTable(space.id);
  db.transaction(() => {
    db.exec(`DROP TRIGGER IF EXISTS ${table}_insert`);
    db.exec(`DROP TRIGGER IF EXISTS ${table}_delete`);
    db.exec(`DROP TRIGGER IF EXISTS ${table}_stamp_insert`);
    db.exec(`DROP TRIGGER IF EXISTS ${table}_stamp_delete`);
    db.prepare('DELETE FROM settings WHERE key = ?').run(stampKey(space.id));
    db.exec(`DROP TABLE IF EXISTS ${table}`);
    db.prepare('DELETE FROM chunk_vectors WHERE space_id = ?').run(space.id);
    db.prepare('DELETE FROM embedding_spaces WHERE id = ?').run(space.id);
  })();
}

/** Chunks of a knowledge base with no vector in the space (all of them when there is no space). */
export function countPending(db: Db, kbId: string, spaceId: number | undefined): number {
  const row = db
    .prepare(
      `SELECT count(*) AS n FROM chunks c JOIN documents d ON d.id = c.document_id
        WHERE d.kb_id = @kbId AND NOT EXISTS (
          SELECT 1 FROM chunk_vectors v WHERE v.space_id = @spaceId AND v.chunk_id = c.id)`,
    )
    .get({ kbId, spaceId: spaceId ?? null }) as { n: number };
  return row.n;
}

/** Pending vectors per knowledge base id, counted against each one's target space. */
export function pendingVectors(db: Db): Map<string, number> {
  const kbs = db.prepare('SELECT id FROM knowledge_bases').all() as { id: string }[];
  return new Map(kbs.map(({ id }) => [id, countPending(db, id, targetSpace(db, id)?.id)]));
}

/** Marks a space complete once nothing is pending, and drops the spaces it replaces. */
export function completeIfDone(db: Db, space: EmbeddingSpace): boolean {
  return db.transaction(() => {
    if (countPending(db, space.kbId, space.id) > 0) return false;
    db.prepare(
      `UPDATE embedding_spaces SET status = 'ready',
              ready_at = coalesce(ready_at, strftime('%Y-%m-%dT%H:%M:%fZ','now')) WHERE id = ?`,
    ).run(space.id);
    for (const other of listSpaces(db, space.kbId)) {
      if (other.id !== space.id) dropSpace(db, other);
    }
    return true;
  })();
}
