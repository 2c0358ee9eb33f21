import {
  formatHlc,
  type Mutation,
  type PushResponse,
  type PushResult,
} from '@creator-hub/shared/sync/index';
import { z } from 'zod';
import type { TenantTx } from '../db/db';
import { advanceCounter, type Counter, lockCounter } from './counters';
import { type Checked, decide } from './decide';
import { badBatch, mutationGap } from './errors';
import { mutationHash, recordMutations, replayResults } from './replays';
import { loadRows, writeChanges, writeEmbeddings } from './rows';
import { checkMutation } from './validate';

const LastMid = z.object({ last_mid: z.coerce.number() });

/**
 * Applies one device batch inside the caller's tenant transaction: mutation ids already seen are
 * acknowledged as duplicates (or refused when their content differs), a gap is a 409, and every
 * fresh mutation is applied or rejected on its own. Each table is written with one statement for
 * the whole batch.
 */
export async function pushBatch(
  tx: TenantTx,
  deviceId: string,
  mutations: Mutation[],
  now: Date,
): Promise<PushResponse> {
  const first = mutations[0]?.mid ?? 0;
  if (mutations.some((m, i) => m.mid !== first + i)) {
    throw badBatch('mutation ids in a batch must be consecutive');
  }
  // Lock order everywhere: stream counter, then device state.
  const counter = await lockCounter(tx, 'content');
  const lastMid = await lockDevice(tx, deviceId);
  if (first > lastMid + 1) throw mutationGap(lastMid + 1);

  const replayed = mutations.filter((m) => m.mid <= lastMid);
  const results = await replayResults(tx, deviceId, replayed);
  const fresh = mutations.filter((m) => m.mid > lastMid);
  if (fresh.length > 0) results.push(...(await applyFresh(tx, deviceId, fresh, counter, now)));
  return {
    lastMid: Math.max(lastMid, mutations.at(-1)?.mid ?? 0),
    results,
    serverHlc: formatHlc({ ms: now.getTime(), counter: 0 }),
  };
}

/** Locks the device's row (made on its first push) and returns its last contiguous mutation id. */
async function lockDevice(tx: TenantTx, deviceId: string): Promise<number> {
  const locked = () =>
    tx.row(LastMid, 'SELECT last_mid FROM sync_device_state WHERE id = $1 FOR UPDATE', [deviceId]);
  const existing = await locked();
  if (existing) return existing.last_mid;
  await tx.exec(
    'INSERT INTO sync_device_state (tenant_id, id) VALUES ($1, $2) ON CONFLICT DO NOTHING',
    [tx.tenantId, deviceId],
  );
  return (await locked())?.last_mid ?? 0;
}

async function applyFresh(
  tx: TenantTx,
  deviceId: string,
  fresh: Mutation[],
  counter: Counter,
  now: Date,
): Promise<PushResult[]> {
  // The first embedding a tenant ever receives fixes its model, for the rest of this batch too.
  let activeModel = counter.model_fingerprint ?? undefined;
  const checked: Checked[] = fresh.map((m) => {
    const verdict = checkMutation(m, { now, activeModel });
    if (typeof verdict === 'object' && !('code' in verdict) && m.embedding)
      activeModel ??= m.embedding.fingerprint;
    return { m, verdict };
  });
  const d = decide(checked, await loadRows(tx, fresh), deviceId, now);
  await writeChanges(tx, d.changes, counter.last_seq + 1);
  await writeEmbeddings(tx, d.embeddings);
  await recordMutations(
    tx,
    deviceId,
    fresh.map((m, i) => {
      const r = d.results[i];
      return {
        mid: m.mid,
        hash: mutationHash(m),
        rejected: r?.status === 'rejected',
        code: r?.code,
      };
    }),
  );
  // A new model always comes with a change (its first embedding), so it rides with the counter.
  if (d.changes.length > 0)
    await advanceCounter(tx, 'content', counter.last_seq + d.changes.length, d.newModel);
  return d.results;
}
