import { type Stream, syncTable } from '@creator-hub/shared/sync/index';
import { z } from 'zod';
import type { TenantTx } from '../db/db';

/** The current version of a synced row on the server. */
export interface RowState {
  table: string;
  key: string;
  stream: Stream;
  hlc: string;
  device: string;
  data: Record<string, unknown> | null;
  deleted: boolean;
  fingerprint: string | null;
}

export interface ChangeWrite {
  stream: Stream;
  table: string;
  key: string;
  op: 'upsert' | 'delete';
  hlc: string;
  device: string;
  data: Record<string, unknown> | null;
}

export interface EmbeddingWrite {
  key: string;
  fingerprint: string;
  dims: number;
  vector: string;
}

const RowStateRow = z.object({
  table_name: z.string(),
  row_key: z.string(),
  stream: z.enum(['content', 'activity']),
  hlc: z.string(),
  device_id: z.string(),
  data: z.record(z.string(), z.unknown()).nullable(),
  deleted: z.boolean(),
  fingerprint: z.string().nullable(),
});

const rowId = (table: string, key: string) => `${table}\u0000${key}`;

export { rowId };

/** Current rows for the given (table, key) pairs, keyed by rowId. */
export async function loadRows(
  tx: TenantTx,
  ids: { table: string; key: string }[],
): Promise<Map<string, RowState>> {
  const out = new Map<string, RowState>();
  if (ids.length === 0) return out;
  const rows = await tx.rows(
    RowStateRow,
    `SELECT r.table_name, r.row_key, r.stream, r.hlc, r.device_id, r.data, r.deleted, e.fingerprint
     FROM unnest($1::text[], $2::text[]) AS w(t, k)
     JOIN sync_rows r ON r.table_name = w.t AND r.row_key = w.k
     LEFT JOIN chunk_embeddings e ON r.table_name = 'chunks' AND e.id = r.row_key`,
    [ids.map((i) => i.table), ids.map((i) => i.key)],
  );
  for (const r of rows) {
    out.set(rowId(r.table_name, r.row_key), {
      table: r.table_name,
      key: r.row_key,
      stream: r.stream,
      hlc: r.hlc,
      device: r.device_id,
      data: r.data,
      deleted: r.deleted,
      fingerprint: r.fingerprint,
    });
  }
  return out;
}

/**
 * Appends changes with consecutive sequence numbers from `firstSeq` and sets the rows they touch,
 * in one statement: the batch travels once, as one JSON document, and PostgreSQL parses it once.
 */
export async function writeChanges(
  tx: TenantTx,
  changes: ChangeWrite[],
  firstSeq: number,
): Promise<void> {
  if (changes.length === 0) return;
  // One write per row (the last change wins): ON CONFLICT may not touch a row twice.
  const lastOf = new Map(changes.map((c, i) => [rowId(c.table, c.key), i]));
  const log = changes.map((c, i) => ({
    s: c.stream,
    q: firstSeq + i,
    t: c.table,
    k: c.key,
    op: c.op,
    h: c.hlc,
    d: c.device,
    data: c.data,
    // An insert-only row is keyed by its content: the row keeps it, the log entry points to it.
    by_row: c.op === 'upsert' && syncTable(c.table)?.mode === 'insert_only',
    last: lastOf.get(rowId(c.table, c.key)) === i,
  }));
  await tx.exec(
    `WITH x AS MATERIALIZED (
       SELECT * FROM jsonb_to_recordset($2::jsonb)
         AS x(s text, q bigint, t text, k text, op text, h text, d text, data jsonb, by_row boolean, last boolean)
     ), logged AS (
       INSERT INTO sync_changes (tenant_id, stream, seq, table_name, row_key, op, hlc, device_id, data)
       SELECT $1, x.s, x.q, x.t, x.k, x.op, x.h, x.d, CASE WHEN x.by_row THEN NULL ELSE x.data END
       FROM x
     )
     INSERT INTO sync_rows (tenant_id, table_name, row_key, stream, hlc, device_id, data, deleted, seq)
     SELECT $1, x.t, x.k, x.s, x.h, x.d, x.data, x.op = 'delete', x.q FROM x WHERE x.last
     ON CONFLICT (tenant_id, id) DO UPDATE SET
       stream = EXCLUDED.stream, hlc = EXCLUDED.hlc, device_id = EXCLUDED.device_id,
       data = EXCLUDED.data, deleted = EXCLUDED.deleted, seq = EXCLUDED.seq`,
    [tx.tenantId, JSON.stringify(log)],
  );
}

/** Sets chunk embeddings (the last one per key wins), all in one statement. */
export async function writeEmbeddings(tx: TenantTx, embeddings: EmbeddingWrite[]): Promise<void> {
  if (embeddings.length === 0) return;
  const last = [...new Map(embeddings.map((e) => [e.key, e])).values()];
  // All vectors of the batch as one binary parameter (pg sends a Buffer as binary, an array of
  // them as hex text), decoded straight into it and cut apart in PostgreSQL by offset. The
  // vectors were checked as canonical base64 of dims * 4 bytes before getting here.
  const offsets: number[] = [];
  let size = 0;
  for (const e of last) {
    offsets.push(size);
    size += e.dims * 4;
  }
  const vectors = Buffer.allocUnsafe(size);
  for (const [i, e] of last.entries()) vectors.write(e.vector, offsets[i] ?? 0, 'base64');
  await tx.exec(
    `INSERT INTO chunk_embeddings (tenant_id, id, fingerprint, dims, vector)
     SELECT $1, x.key, x.fingerprint, x.dims, substring($5::bytea FROM x.off + 1 FOR x.dims * 4)
     FROM unnest($2::text[], $3::text[], $4::int[], $6::int[]) AS x(key, fingerprint, dims, off)
     ON CONFLICT (tenant_id, id) DO UPDATE SET
       fingerprint = EXCLUDED.fingerprint, dims = EXCLUDED.dims, vector = EXCLUDED.vector`,
    [
      tx.tenantId,
      last.map((e) => e.key),
      last.map((e) => e.fingerprint),
      last.map((e) => e.dims),
      vectors,
      offsets,
    ],
  );
}
