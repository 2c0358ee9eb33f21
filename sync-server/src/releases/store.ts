import { randomUUID } from 'node:crypto';
import {
  CONFLICTS_TABLE,
  type CreateRelease,
  type ReleaseInfo,
} from '@creator-hub/shared/sync/index';
import { z } from 'zod';
import type { TenantTx } from '../db/db';
import { notFound } from '../http/errors';
import { lockCounter } from '../sync/counters';

const ReleaseRow = z.object({
  id: z.string(),
  version: z.number(),
  kind: z.enum(['publish', 'rollback']),
  note: z.string(),
  created_at: z.date(),
  content_seq: z.coerce.number(),
  counts: z.record(z.string(), z.number()),
  restores: z.number().nullable(),
  manifest: z.record(z.string(), z.unknown()),
});
type ReleaseRow = z.infer<typeof ReleaseRow>;
const COLS = 'id, version, kind, note, created_at, content_seq, counts, restores, manifest';
const Count = z.object({ table_name: z.string(), n: z.coerce.number() });

const toInfo = (r: ReleaseRow, activeVersion: number): ReleaseInfo => ({
  id: r.id,
  version: r.version,
  kind: r.kind,
  note: r.note,
  createdAt: r.created_at.toISOString(),
  active: r.version === activeVersion,
  contentSeq: r.content_seq,
  counts: r.counts,
  restores: r.restores,
});

/** Newest first; the newest is the one served. */
export async function listReleases(tx: TenantTx): Promise<ReleaseInfo[]> {
  const rows = await tx.rows(ReleaseRow, `SELECT ${COLS} FROM releases ORDER BY version DESC`);
  const active = rows[0]?.version ?? 0;
  return rows.map((r) => toInfo(r, active));
}

/**
 * Appends a release covering everything synced so far. Idempotent by the client's release id, so
 * a publish retried after a lost response finds its release instead of making a second one.
 */
export async function createRelease(tx: TenantTx, input: CreateRelease): Promise<ReleaseInfo> {
  const counter = await lockCounter(tx, 'content');
  const existing = await tx.row(
    ReleaseRow,
    `SELECT ${COLS} FROM releases WHERE client_release_id = $1`,
    [input.clientReleaseId],
  );
  if (existing)
    return (await listReleases(tx)).find((r) => r.id === existing.id) ?? toInfo(existing, 0);
  const counts = Object.fromEntries(
    (
      await tx.rows(
        Count,
        `SELECT table_name, count(*) AS n FROM sync_rows
         WHERE stream = 'content' AND NOT deleted AND table_name <> $1 GROUP BY table_name`,
        [CONFLICTS_TABLE],
      )
    ).map((c) => [c.table_name, c.n]),
  );
  return append(tx, {
    kind: 'publish',
    clientReleaseId: input.clientReleaseId,
    note: input.note,
    contentSeq: counter.last_seq,
    counts,
    manifest: input.manifest,
    restores: null,
  });
}

/** Serves an earlier release again by appending a copy of it: history is never rewritten. */
export async function rollbackTo(
  tx: TenantTx,
  version: number,
  note: string,
): Promise<ReleaseInfo> {
  await lockCounter(tx, 'content');
  const target = await tx.row(ReleaseRow, `SELECT ${COLS} FROM releases WHERE version = $1`, [
    version,
  ]);
  if (!target) throw notFound();
  return append(tx, {
    kind: 'rollback',
    clientReleaseId: null,
    note: note || `Rollback to version ${version}`,
    contentSeq: target.content_seq,
    counts: target.counts,
    manifest: target.manifest,
    restores: version,
  });
}

interface NewRelease {
  kind: 'publish' | 'rollback';
  clientReleaseId: string | null;
  note: string;
  contentSeq: number;
  counts: Record<string, number>;
  manifest: Record<string, unknown>;
  restores: number | null;
}

async function append(tx: TenantTx, r: NewRelease): Promise<ReleaseInfo> {
  const row = await tx.row(
    ReleaseRow,
    `INSERT INTO releases (tenant_id, id, version, kind, client_release_id, note, content_seq, counts, manifest, restores)
     SELECT $1, $2, coalesce(max(version), 0) + 1, $3, $4, $5, $6, $7, $8, $9 FROM releases
     RETURNING ${COLS}`,
    [
      tx.tenantId,
      randomUUID(),
      r.kind,
      r.clientReleaseId,
      r.note,
      r.contentSeq,
      JSON.stringify(r.counts),
      JSON.stringify(r.manifest),
      r.restores,
    ],
  );
  if (!row) throw new Error('release insert returned no row');
  return toInfo(row, row.version);
}
