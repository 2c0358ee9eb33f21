import {
  canonicalJson,
  type Mutation,
  type PushResult,
  SYNC_LIMITS,
  sha256Hex,
} from '@creator-hub/shared/sync/index';
import { z } from 'zod';
import type { TenantTx } from '../db/db';

/**
 * How many of a device's most recent mutation ids keep their hash. A device sends its oldest
 * unacknowledged batch again and again until it is acknowledged, and nothing newer before that,
 * so a replay is of its last batch, or at worst an older request the network delivered late: ten
 * full batches cover that with room to spare, and bound the table (devices × window rows).
 */
export const REPLAY_WINDOW = 10 * SYNC_LIMITS.batchMutations;

const Stored = z.object({ mid: z.coerce.number(), hash: z.string() });

export const mutationHash = (m: Mutation): string => sha256Hex(canonicalJson(m));

/**
 * Answers for ids at or below the device's last one: `duplicate` when the stored hash matches,
 * `mid_collision` when the content differs or when the id is older than the window (it can no
 * longer be checked, and taking it for a duplicate could silently drop a reused id's content).
 */
export async function replayResults(
  tx: TenantTx,
  deviceId: string,
  replayed: Mutation[],
): Promise<PushResult[]> {
  if (replayed.length === 0) return [];
  const stored = new Map(
    (
      await tx.rows(
        Stored,
        'SELECT mid, hash FROM sync_mutations WHERE device_id = $1 AND mid = ANY($2::bigint[])',
        [deviceId, replayed.map((m) => m.mid)],
      )
    ).map((s) => [s.mid, s.hash]),
  );
  return replayed.map((m) => {
    const hash = stored.get(m.mid);
    if (hash === mutationHash(m)) return { mid: m.mid, status: 'duplicate' as const };
    return {
      mid: m.mid,
      status: 'rejected' as const,
      code: 'mid_collision',
      message:
        hash === undefined
          ? `Mutation ${m.mid} is older than the last ${REPLAY_WINDOW} ids this server remembers for the device, so it cannot be told from an id reused with other content.`
          : `Mutation ${m.mid} was already received with different content.`,
    };
  });
}

/**
 * Stores the hashes of freshly received mutations, forgets those that fell out of the window and
 * moves the device's last contiguous id, in one statement. That id (sync_device_state.last_mid)
 * is what detects gaps; the hashes only tell recent replays from reused ids.
 */
export async function recordMutations(
  tx: TenantTx,
  deviceId: string,
  fresh: { mid: number; hash: string; rejected: boolean; code?: string }[],
): Promise<void> {
  const last = fresh.at(-1)?.mid;
  if (last === undefined) return;
  // The ids deleted are all below the ones inserted (a batch is far smaller than the window).
  await tx.exec(
    `WITH kept AS (
       INSERT INTO sync_mutations (tenant_id, device_id, mid, hash, status, code)
       SELECT $1, $2, x.mid, x.hash, CASE WHEN x.code IS NULL THEN 'applied' ELSE 'rejected' END, x.code
       FROM unnest($3::bigint[], $4::text[], $5::text[]) AS x(mid, hash, code)
     ), forgotten AS (
       DELETE FROM sync_mutations WHERE device_id = $2 AND mid <= $6::bigint - $7::bigint
     )
     UPDATE sync_device_state SET last_mid = $6 WHERE id = $2`,
    [
      tx.tenantId,
      deviceId,
      fresh.map((f) => f.mid),
      fresh.map((f) => f.hash),
      fresh.map((f) => (f.rejected ? (f.code ?? 'rejected') : null)),
      last,
      REPLAY_WINDOW,
    ],
  );
}
