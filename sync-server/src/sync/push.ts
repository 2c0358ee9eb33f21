import {
  canonicalJson,
  formatHlc,
  type Mutation,
  type PushResponse,
  type PushResult,
  sha256Hex,
} from '@creator-hub/shared/sync/index';
import { z } from 'zod';
import type { TenantTx } from '../db/db';
import { advanceCounter, lockCounter } from './counters';
import { type Checked, decide } from './decide';
import { badBatch, mutationGap } from './errors';
import { loadRows, writeChanges, writeEmbeddings } from './rows';
import { checkMutation } from './validate';

const LastMid = z.object({ last_mid: z.coerce.number() });
const Stored = z.object({ mid: z.coerce.number(), hash: z.string() });

export const mutationHash = (m: Mutation): string => sha256Hex(canonicalJson(m));

/**
 * Applies one device batch inside the caller's tenant transaction: mutation ids already seen are
 * acknowledged as duplicates (or refused when their content differs), a gap is a 409, and every
 * fresh mutation is applied or rejected on its own.
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
  await tx.exec(
    'INSERT INTO sync_device_state (tenant_id, id) VALUES ($1, $2) ON CONFLICT DO NOTHING',
    [tx.tenantId, deviceId],
  );
  const state = await tx.row(
    LastMid,
    'SELECT last_mid FROM sync_device_state WHERE id = $1 FOR UPDATE',
    [deviceId],
  );
  const lastMid = state?.last_mid ?? 0;
  if (first > lastMid + 1) throw mutationGap(lastMid + 1);

  const hashes = mutations.map(mutationHash);
  const results: PushResult[] = await replays(tx, deviceId, mutations, hashes, lastMid);
  const fresh = mutations.filter((m) => m.mid > lastMid);
  if (fresh.length > 0) {
    // The first embedding a tenant ever receives fixes its model, for the rest of this batch too.
    let activeModel = counter.model_fingerprint ?? undefined;
    const checked: Checked[] = fresh.map((m) => {
      const verdict = checkMutation(m, { now, activeModel });
      if (typeof verdict === 'object' && !('code' in verdict) && m.embedding)
        activeModel ??= m.embedding.fingerprint;
      return { m, verdict };
    });
    const rows = await loadRows(tx, fresh);
    const d = decide(checked, rows, deviceId, now);
    if (d.newModel && !counter.model_fingerprint) {
      await tx.exec("UPDATE sync_counters SET model_fingerprint = $1 WHERE id = 'content'", [
        d.newModel,
      ]);
    }
    await writeChanges(tx, d.changes, counter.last_seq + 1);
    await writeEmbeddings(tx, d.embeddings);
    await recordMutations(
      tx,
      deviceId,
      fresh,
      hashes.slice(fresh[0] ? fresh[0].mid - first : 0),
      d.results,
    );
    await tx.exec('UPDATE sync_device_state SET last_mid = $2 WHERE id = $1', [
      deviceId,
      fresh.at(-1)?.mid ?? lastMid,
    ]);
    if (d.changes.length > 0)
      await advanceCounter(tx, 'content', counter.last_seq + d.changes.length);
    results.push(...d.results);
  }
  return {
    lastMid: Math.max(lastMid, mutations.at(-1)?.mid ?? 0),
    results,
    serverHlc: formatHlc({ ms: now.getTime(), counter: 0 }),
  };
}

/** Ids at or below the device's last one: duplicates when identical, refused when not. */
async function replays(
  tx: TenantTx,
  deviceId: string,
  mutations: Mutation[],
  hashes: string[],
  lastMid: number,
): Promise<PushResult[]> {
  const old = mutations.filter((m) => m.mid <= lastMid).map((m) => m.mid);
  if (old.length === 0) return [];
  const stored = new Map(
    (
      await tx.rows(
        Stored,
        'SELECT mid, hash FROM sync_mutations WHERE device_id = $1 AND mid = ANY($2::bigint[])',
        [deviceId, old],
      )
    ).map((s) => [s.mid, s.hash]),
  );
  const first = mutations[0]?.mid ?? 0;
  return old.map((mid) =>
    stored.get(mid) === hashes[mid - first]
      ? { mid, status: 'duplicate' as const }
      : {
          mid,
          status: 'rejected' as const,
          code: 'mid_collision',
          message: `Mutation ${mid} was already received with different content.`,
        },
  );
}

async function recordMutations(
  tx: TenantTx,
  deviceId: string,
  fresh: Mutation[],
  hashes: string[],
  results: PushResult[],
): Promise<void> {
  const rows = fresh.map((m, i) => ({
    mid: m.mid,
    hash: hashes[i],
    status: results[i]?.status === 'rejected' ? 'rejected' : 'applied',
    code: results[i]?.code ?? null,
  }));
  await tx.exec(
    `INSERT INTO sync_mutations (tenant_id, device_id, mid, hash, status, code)
     SELECT $1, $2, x.mid, x.hash, x.status, x.code
     FROM jsonb_to_recordset($3::jsonb) AS x(mid bigint, hash text, status text, code text)`,
    [tx.tenantId, deviceId, JSON.stringify(rows)],
  );
}
