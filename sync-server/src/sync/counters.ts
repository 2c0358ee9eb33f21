import type { Stream } from '@creator-hub/shared/sync/index';
import { z } from 'zod';
import type { TenantTx } from '../db/db';

const CounterRow = z.object({
  last_seq: z.coerce.number(),
  floor_seq: z.coerce.number(),
  epoch: z.string(),
  model_fingerprint: z.string().nullable(),
});
export type Counter = z.infer<typeof CounterRow>;

/**
 * Locks the tenant's counter row of a stream for the rest of the transaction. Every writer takes
 * it first, so writers of one tenant and stream commit one after another, in sequence order. The
 * row exists after a tenant's first write, so this is one round trip but for that first time.
 */
export async function lockCounter(tx: TenantTx, stream: Stream): Promise<Counter> {
  const locked = () =>
    tx.row(
      CounterRow,
      'SELECT last_seq, floor_seq, epoch, model_fingerprint FROM sync_counters WHERE id = $1 FOR UPDATE',
      [stream],
    );
  const existing = await locked();
  if (existing) return existing;
  await tx.exec(
    'INSERT INTO sync_counters (tenant_id, id) VALUES ($1, $2) ON CONFLICT DO NOTHING',
    [tx.tenantId, stream],
  );
  const row = await locked();
  if (!row) throw new Error('sync counter row vanished inside its transaction');
  return row;
}

/** Reads without locking: what a reader needs to validate a cursor. */
export async function readCounter(tx: TenantTx, stream: Stream): Promise<Counter> {
  const row = await tx.row(
    CounterRow,
    'SELECT last_seq, floor_seq, epoch, model_fingerprint FROM sync_counters WHERE id = $1',
    [stream],
  );
  if (row) return row;
  return lockCounter(tx, stream);
}

/**
 * Moves the stream to `lastSeq` (and fixes the tenant's embedding model when `model` is given and
 * none is set yet), then pokes listeners: a hint only, delivered on commit; losing it loses nothing.
 */
export async function advanceCounter(
  tx: TenantTx,
  stream: Stream,
  lastSeq: number,
  model?: string,
): Promise<void> {
  await tx.exec(
    `WITH moved AS (
       UPDATE sync_counters SET last_seq = $2, model_fingerprint = coalesce(model_fingerprint, $3)
       WHERE id = $1 RETURNING last_seq
     )
     SELECT pg_notify('sync_poke', $4) FROM moved`,
    [stream, lastSeq, model ?? null, `${tx.tenantId}:${stream}:${lastSeq}`],
  );
}
