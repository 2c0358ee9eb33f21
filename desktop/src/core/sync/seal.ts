import { endianness } from 'node:os';
import {
  CONFLICTS_TABLE,
  contentKey,
  encodeVector,
  fingerprintOf,
  type Mutation,
  type RowData,
  SYNC_LIMITS,
  syncTable,
} from '@creator-hub/shared/sync/index';
import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/open';
import { fromBlob } from '../embed/vectors';
import { deviceId, numberState, setState, withClock } from './state';
import { localTable } from './tables';

export interface SealedBatch {
  firstMid: number;
  lastMid: number;
  mutations: number;
  body: string;
  bytes: number;
}

interface OutboxRow {
  seq: number;
  table_name: string;
  op: 'upsert' | 'delete' | 'embedding';
  row_key: string;
  data: string | null;
  local_rowid: number | null;
}

interface VectorRow {
  vector: Buffer;
  provider: string;
  model: string;
  dims: number;
}

type Draft = Omit<Mutation, 'mid' | 'hlc' | 'base'> & { chunkId?: number };

export interface SealOptions {
  now?: () => number;
  maxMutations?: number;
  maxBytes?: number;
}

const VECTOR_SQL = `SELECT v.vector, s.provider, s.model, s.dims FROM chunk_vectors v
  JOIN embedding_spaces s ON s.id = v.space_id WHERE v.chunk_id = ? ORDER BY s.id DESC LIMIT 1`;

/** Stored vectors are little-endian float32 (see 002_vectors): their bytes are the wire format. */
function encodeStored(blob: Buffer, dims: number): string {
  return IS_LE
    ? blob.subarray(0, dims * 4).toString('base64')
    : encodeVector(fromBlob(blob).subarray(0, dims));
}
const IS_LE = endianness() === 'LE';

/** Reads what a batch needs from the workspace, with statements prepared once per batch. */
class Reader {
  private readonly vector: Statement;
  private readonly chunk: Statement;
  private readonly chunkColumns: string[];

  constructor(db: Db) {
    this.vector = db.prepare(VECTOR_SQL);
    this.chunk = db.prepare('SELECT * FROM chunks WHERE id = ?');
    const spec = syncTable('chunks');
    this.chunkColumns = (spec && localTable(db, spec)?.columns) ?? [];
  }

  /** The newest vector stored for a local chunk, trimmed to its model's dimensions. */
  embeddingOf(chunkId: number): Mutation['embedding'] {
    const row = this.vector.get(chunkId) as VectorRow | undefined;
    if (!row) return undefined;
    return {
      fingerprint: fingerprintOf(row),
      dims: row.dims,
      vector: encodeStored(row.vector, row.dims),
    };
  }

  chunkData(chunkId: number): RowData | undefined {
    const row = this.chunk.get(chunkId) as Record<string, string | number | null> | undefined;
    if (!row || this.chunkColumns.length === 0) return undefined;
    return Object.fromEntries(this.chunkColumns.map((c) => [c, row[c] ?? null]));
  }
}

/** Builds drafts from outbox rows in order, coalescing editable rows (first position, last content). */
class Drafts {
  readonly list: Draft[] = [];
  private readonly sizes: number[] = [];
  private readonly byRow = new Map<string, number>();
  /** Chunks whose vector already rides with them in this batch. */
  private readonly withVector = new Set<number>();
  bytes = 0;

  private readonly read: Reader;

  constructor(db: Db) {
    this.read = new Reader(db);
  }

  /** Adds a row's change; returns false (and adds nothing) when it would pass the limits. */
  add(r: OutboxRow, maxMutations: number, maxBytes: number): boolean {
    const d = this.toDraft(r);
    if (!d) return true;
    // An upper estimate without serialising: the row as captured, the vector, and the envelope.
    const data = r.data?.length ?? JSON.stringify(d.data).length;
    const size = data + (d.embedding?.vector.length ?? 0) + d.key.length + 500;
    const id = `${d.table}\u0000${d.key}`;
    const at = syncTable(d.table)?.mode === 'lww' ? this.byRow.get(id) : undefined;
    const delta = size - (at === undefined ? 0 : (this.sizes[at] ?? 0));
    const full = at === undefined && this.list.length >= maxMutations;
    if (this.list.length > 0 && (full || this.bytes + delta > maxBytes)) return false;
    this.bytes += delta;
    if (at !== undefined) {
      this.list[at] = d;
      this.sizes[at] = size;
    } else {
      this.byRow.set(id, this.list.length);
      this.list.push(d);
      this.sizes.push(size);
    }
    return true;
  }

  private toDraft(r: OutboxRow): Draft | undefined {
    if (r.op === 'embedding') {
      if (r.local_rowid === null || this.withVector.has(r.local_rowid)) return undefined;
      const data = this.read.chunkData(r.local_rowid);
      const embedding = this.read.embeddingOf(r.local_rowid);
      if (!data || !embedding) return undefined;
      return { table: 'chunks', op: 'upsert', key: contentKey(data), data, embedding };
    }
    if (r.table_name === CONFLICTS_TABLE) {
      return { table: CONFLICTS_TABLE, op: 'delete', key: r.row_key, data: null };
    }
    const spec = syncTable(r.table_name);
    if (!spec || r.data === null) return undefined;
    const data = JSON.parse(r.data) as RowData;
    const body = r.op === 'delete' ? null : data;
    if (spec.mode === 'lww') return { table: r.table_name, op: r.op, key: r.row_key, data: body };
    const d: Draft = { table: r.table_name, op: r.op, key: contentKey(data), data: body };
    if (spec.embedded && r.op === 'upsert' && r.local_rowid !== null) {
      const embedding = this.read.embeddingOf(r.local_rowid);
      if (embedding) {
        d.embedding = embedding;
        d.chunkId = r.local_rowid;
        this.withVector.add(r.local_rowid);
      }
    }
    return d;
  }
}

/**
 * Seals the oldest outbox rows into one batch: contiguous mutation ids, clocks and base versions
 * fixed, the exact request body stored. Returns undefined when the outbox is empty.
 */
export function sealBatch(db: Db, options: SealOptions = {}): SealedBatch | undefined {
  const now = options.now ?? Date.now;
  const maxMutations = options.maxMutations ?? SYNC_LIMITS.batchMutations;
  const maxBytes = options.maxBytes ?? SYNC_LIMITS.batchBytes - 64 * 1024;
  return db.transaction(() => {
    // Pages of the outbox in order until the batch is full; rows that yield nothing (a vector whose
    // chunk is gone, or that rides with its chunk) are dropped with the rest.
    const page = db.prepare('SELECT * FROM sync_outbox WHERE seq > ? ORDER BY seq LIMIT ?');
    const drafts = new Drafts(db);
    let lastSeq = 0;
    for (let full = false; !full; ) {
      const rows = page.all(lastSeq, maxMutations * 2) as OutboxRow[];
      if (rows.length === 0) break;
      for (const r of rows) {
        full = !drafts.add(r, maxMutations, maxBytes);
        if (full) break;
        lastSeq = r.seq;
      }
    }
    if (lastSeq === 0) return undefined;
    db.prepare('DELETE FROM sync_outbox WHERE seq <= ?').run(lastSeq);
    // A vector sent with its chunk need not be sent again on its own.
    const carried = drafts.list.flatMap((d) =>
      d.embedding && d.chunkId !== undefined ? [d.chunkId] : [],
    );
    if (carried.length > 0) {
      db.prepare(
        `DELETE FROM sync_outbox WHERE op = 'embedding'
         AND local_rowid IN (SELECT value FROM json_each(?))`,
      ).run(JSON.stringify(carried));
    }
    return drafts.list.length > 0 ? seal(db, drafts.list, now) : undefined;
  })();
}

function seal(db: Db, drafts: Draft[], now: () => number): SealedBatch {
  const device = deviceId(db);
  const firstMid = numberState(db, 'next_mid') || 1;
  const version = db.prepare('SELECT hlc FROM sync_versions WHERE table_name = ? AND row_key = ?');
  const setVersion = db.prepare(
    `INSERT INTO sync_versions (table_name, row_key, hlc, device, local_mid) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (table_name, row_key) DO UPDATE SET hlc = excluded.hlc, device = excluded.device,
       local_mid = excluded.local_mid`,
  );
  const mutations = withClock(db, now, (clock) =>
    drafts.map(({ chunkId: _local, ...d }, i): Mutation => {
      const mid = firstMid + i;
      const editable = syncTable(d.table)?.mode === 'lww';
      const base = editable
        ? ((version.get(d.table, d.key) as { hlc: string } | undefined)?.hlc ?? null)
        : null;
      const m: Mutation = { mid, hlc: clock.tick(), base, ...d };
      if (editable) setVersion.run(d.table, d.key, m.hlc, device, mid);
      return m;
    }),
  );
  const lastMid = firstMid + mutations.length - 1;
  const body = JSON.stringify({ mutations });
  const bytes = Buffer.byteLength(body);
  db.prepare(
    'INSERT INTO sync_batches (first_mid, last_mid, mutations, body, bytes) VALUES (?, ?, ?, ?, ?)',
  ).run(firstMid, lastMid, mutations.length, body, bytes);
  setState(db, 'next_mid', lastMid + 1);
  return { firstMid, lastMid, mutations: mutations.length, body, bytes };
}

/** The first mutation id of the oldest sealed batch not yet acknowledged, without reading it. */
export function oldestFirstMid(db: Db): number | undefined {
  const row = db.prepare('SELECT min(first_mid) AS m FROM sync_batches').get() as {
    m: number | null;
  };
  return row.m ?? undefined;
}

/** The oldest sealed batch not yet acknowledged: it is always sent again before anything newer. */
export function oldestBatch(db: Db): SealedBatch | undefined {
  const row = db
    .prepare(
      'SELECT first_mid, last_mid, mutations, body, bytes FROM sync_batches ORDER BY first_mid LIMIT 1',
    )
    .get() as
    | { first_mid: number; last_mid: number; mutations: number; body: string; bytes: number }
    | undefined;
  return (
    row && {
      firstMid: row.first_mid,
      lastMid: row.last_mid,
      mutations: row.mutations,
      body: row.body,
      bytes: row.bytes,
    }
  );
}
