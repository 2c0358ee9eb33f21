import {
  type Change,
  CONFLICTS_TABLE,
  formatHlc,
  type PullResponse,
  type SnapshotResponse,
  type Stream,
  SYNC_TABLES,
} from '@creator-hub/shared/sync/index';
import { z } from 'zod';
import type { TenantTx } from '../db/db';
import { lockCounter, readCounter } from './counters';
import { decodeCursor, decodePage, encodeCursor, encodePage } from './cursor';
import { resyncRequired } from './errors';

const ChangeRow = z.object({
  seq: z.coerce.number(),
  table_name: z.string(),
  row_key: z.string(),
  op: z.enum(['upsert', 'delete']),
  hlc: z.string(),
  device_id: z.string(),
  data: z.record(z.string(), z.unknown()).nullable(),
  fingerprint: z.string().nullable(),
  dims: z.number().nullable(),
  vector: z.instanceof(Buffer).nullable(),
});
type ChangeRow = z.infer<typeof ChangeRow>;

function toChange(r: ChangeRow): Change {
  const change: Change = {
    seq: r.seq,
    table: r.table_name,
    op: r.op,
    key: r.row_key,
    hlc: r.hlc,
    device: r.device_id,
    data: r.data,
  };
  if (r.op === 'upsert' && r.fingerprint && r.dims && r.vector) {
    change.embedding = {
      fingerprint: r.fingerprint,
      dims: r.dims,
      vector: r.vector.toString('base64'),
    };
  }
  return change;
}

const EMBEDDING_JOIN = `LEFT JOIN chunk_embeddings e ON c.table_name = 'chunks' AND e.id = c.row_key`;
/**
 * Insert-only rows (chunks…) are keyed by their content, so the log keeps no copy of it: an upsert
 * takes it from the current row. One deleted since has nothing to send, and its delete follows.
 */
const CONTENT_JOIN = `LEFT JOIN sync_rows r ON c.data IS NULL AND c.op = 'upsert'
  AND r.tenant_id = c.tenant_id AND r.table_name = c.table_name AND r.row_key = c.row_key`;
const CONTENT_GONE = `(c.op = 'upsert' AND c.data IS NULL AND r.data IS NULL)`;

/** Changes after an opaque cursor, in sequence order, with the cursor of the last one returned. */
export async function pullChanges(
  tx: TenantTx,
  self: string,
  stream: Stream,
  cursorText: string | undefined,
  limit: number,
  now: Date,
): Promise<PullResponse> {
  const counter = await readCounter(tx, stream);
  let after = 0;
  if (cursorText) {
    const cursor = decodeCursor(cursorText);
    if (cursor.s !== stream) throw resyncRequired('it belongs to another stream');
    if (cursor.e !== counter.epoch) throw resyncRequired('the change log was reset');
    if (cursor.q > counter.last_seq) throw resyncRequired('it is ahead of the server');
    after = cursor.q;
  }
  if (after < counter.floor_seq) throw resyncRequired('older changes were compacted');
  // Every change is sent, the caller's own included: an edit of another device applied meanwhile
  // may have replaced the caller's row, and its own change restores the server's order. Only the
  // vectors of its own chunks are left out (the heavy part, and a missing one is re-embedded).
  const rows = await tx.rows(
    ChangeRow,
    `SELECT c.seq, c.table_name, c.row_key, c.op, c.hlc, c.device_id,
            coalesce(c.data, r.data) AS data, e.fingerprint, e.dims, e.vector
     FROM sync_changes c ${CONTENT_JOIN} ${EMBEDDING_JOIN} AND c.device_id <> $4
     WHERE c.stream = $1 AND c.seq > $2 AND NOT ${CONTENT_GONE} ORDER BY c.seq LIMIT $3`,
    [stream, after, limit + 1, self],
  );
  const scanned = rows.slice(0, limit);
  const page = scanned.map(toChange);
  const lastSeq = scanned.at(-1)?.seq ?? after;
  return {
    changes: page,
    cursor: encodeCursor({ s: stream, q: lastSeq, e: counter.epoch }),
    hasMore: rows.length > limit,
    serverHlc: formatHlc({ ms: now.getTime(), counter: 0 }),
  };
}

const SnapshotRow = ChangeRow.omit({ op: true }).extend({ deleted: z.boolean() });

/** Parents before children (registry order), conflict records last: a page applies in order. */
const snapshotTables = (stream: Stream): string[] => [
  ...SYNC_TABLES.filter((t) => t.stream === stream).map((t) => t.name),
  ...(stream === 'content' ? [CONFLICTS_TABLE] : []),
];

/**
 * The current rows of a stream (tombstones included, as deletes), a page at a time: table by table
 * in registry order, keys in order within a table. The first page fixes the cursor to pull from
 * afterwards; rows changed while paging are seen again by that pull, which is harmless because
 * applying a change twice gives the same row.
 */
export async function snapshotPage(
  tx: TenantTx,
  stream: Stream,
  pageText: string | undefined,
  limit: number,
): Promise<SnapshotResponse> {
  const counter = await readCounter(tx, stream);
  const tables = snapshotTables(stream);
  const page = pageText
    ? decodePage(pageText)
    : { t: 0, k: '', c: encodeCursor({ s: stream, q: counter.last_seq, e: counter.epoch }) };
  const items: Change[] = [];
  let at = { t: page.t, k: page.k };
  let more = false;
  while (at.t < tables.length) {
    const rows = await tx.rows(
      SnapshotRow,
      `SELECT c.seq, c.table_name, c.row_key, c.hlc, c.device_id, c.data, c.deleted,
              e.fingerprint, e.dims, e.vector
       FROM sync_rows c ${EMBEDDING_JOIN}
       WHERE c.table_name = $1 AND c.row_key > $2 ORDER BY c.row_key LIMIT $3`,
      [tables[at.t], at.k, limit - items.length + 1],
    );
    const take = rows.slice(0, limit - items.length);
    items.push(...take.map((r) => toChange({ ...r, op: r.deleted ? 'delete' : 'upsert' })));
    const last = take.at(-1);
    if (rows.length > take.length && last) {
      at = { t: at.t, k: last.row_key };
      more = true;
      break;
    }
    at = { t: at.t + 1, k: '' };
  }
  const response: SnapshotResponse = { rows: items, cursor: page.c };
  if (more) response.nextPage = encodePage({ t: at.t, k: at.k, c: page.c });
  return response;
}

/** Drops changes at or below `seq` (operators keep the log bounded); older cursors then resync. */
export async function compactChanges(tx: TenantTx, stream: Stream, seq: number): Promise<void> {
  // Never past the end of the log: a snapshot's cursor (the last seq) must stay servable.
  const upTo = Math.min(seq, (await lockCounter(tx, stream)).last_seq);
  await tx.exec('DELETE FROM sync_changes WHERE stream = $1 AND seq <= $2', [stream, upTo]);
  await tx.exec('UPDATE sync_counters SET floor_seq = greatest(floor_seq, $2) WHERE id = $1', [
    stream,
    upTo,
  ]);
}
