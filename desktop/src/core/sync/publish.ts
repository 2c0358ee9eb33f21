import { randomUUID } from 'node:crypto';
import {
  fingerprintOf,
  type ReleaseInfo,
  type ReleaseManifest,
} from '@creator-hub/shared/sync/index';
import type { Db } from '../db/open';
import { savedPersona } from '../persona/store';
import { type PushProgress, pushAll } from './engine';
import { installSync } from './install';
import { clearState, getState, setState } from './state';
import type { SyncTransport } from './transport';

export interface PublishProgress {
  phase: 'checking' | 'sending' | 'releasing' | 'done';
  /** Mutations and bytes acknowledged by the server in this run. */
  sentMutations: number;
  sentBytes: number;
  /** What was pending when the publish started (changes to the same row are sent once). */
  totalMutations: number;
  /** Mutations the server already had (a batch resent after its answer was lost). */
  duplicates: number;
}

export interface PublishOptions {
  note?: string;
  signal?: AbortSignal;
  /** Make this workspace's embedding model the tenant's (the server drops the other embeddings). */
  replaceModel?: boolean;
  onProgress?: (p: PublishProgress) => void;
  now?: () => number;
  maxMutations?: number;
}

export class PublishError extends Error {
  constructor(
    readonly code: 'model_mismatch' | 'mixed_models',
    message: string,
  ) {
    super(message);
  }
}

function localFingerprints(db: Db): string[] {
  const rows = db
    .prepare(
      `SELECT DISTINCT s.provider, s.model, s.dims FROM embedding_spaces s
       WHERE s.id = (SELECT max(id) FROM embedding_spaces t WHERE t.kb_id = s.kb_id)`,
    )
    .all() as { provider: string; model: string; dims: number }[];
  return rows.map(fingerprintOf);
}

/** Refuses to publish vectors of another model than the tenant's, unless told to switch. */
async function checkModel(db: Db, transport: SyncTransport, replace: boolean): Promise<void> {
  const local = localFingerprints(db);
  if (local.length > 1) {
    throw new PublishError(
      'mixed_models',
      `Knowledge bases here use different embedding models (${local.join(', ')}); re-embed them with one model before publishing.`,
    );
  }
  const mine = local[0];
  const server = await transport.model();
  if (!mine || !server || server === mine) return;
  if (!replace) {
    throw new PublishError(
      'model_mismatch',
      `The server holds embeddings from ${server}, this workspace embeds with ${mine}. Switch the workspace back to ${server} and re-embed, or publish with --replace-model to make ${mine} the tenant's model (the server then drops the ${server} embeddings).`,
    );
  }
  await transport.replaceModel(mine);
  // The server dropped the previous model's vectors: send every vector of the new one.
  db.prepare(
    `INSERT INTO sync_outbox (table_name, op, row_key, data, local_rowid)
     SELECT 'chunks', 'embedding', '', NULL, chunk_id FROM chunk_vectors GROUP BY chunk_id`,
  ).run();
}

function manifest(db: Db): ReleaseManifest {
  const has = (t: string) =>
    db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(t) !==
    undefined;
  const persona = has('persona_active') ? savedPersona(db) : undefined;
  const programs = has('programs')
    ? (db.prepare('SELECT id, title FROM programs ORDER BY id').all() as {
        id: string;
        title: string;
      }[])
    : [];
  const evals = has('eval_runs')
    ? (
        db
          .prepare(
            `SELECT r.id, r.kb_id, r.created_at, r.metrics FROM eval_runs r
             WHERE r.created_at = (SELECT max(created_at) FROM eval_runs x WHERE x.kb_id = r.kb_id)
             ORDER BY r.kb_id`,
          )
          .all() as { id: string; kb_id: string; created_at: string; metrics: string }[]
      ).map((r) => ({
        kbId: r.kb_id,
        runId: r.id,
        createdAt: r.created_at,
        metrics: JSON.parse(r.metrics),
      }))
    : [];
  return {
    persona: persona ? { ...persona.persona } : null,
    programs,
    evals,
  };
}

export function pendingMutations(db: Db): number {
  const row = db
    .prepare(
      `SELECT (SELECT count(*) FROM sync_outbox) + (SELECT coalesce(sum(mutations), 0) FROM sync_batches) AS n`,
    )
    .get() as { n: number };
  return row.n;
}

/**
 * Publishes a release: sends every pending change (progress in mutations and bytes), then asks
 * the server for a new release version. Interrupting (the signal) loses nothing: a later publish
 * resumes with what was not acknowledged and reuses the same release id, so a release whose answer
 * was lost is found rather than made twice.
 */
export async function publish(
  db: Db,
  transport: SyncTransport,
  o: PublishOptions = {},
): Promise<ReleaseInfo> {
  installSync(db);
  const report = (p: PublishProgress) => o.onProgress?.(p);
  const progress: PublishProgress = {
    phase: 'checking',
    sentMutations: 0,
    sentBytes: 0,
    totalMutations: 0,
    duplicates: 0,
  };
  report(progress);
  await checkModel(db, transport, o.replaceModel ?? false);
  progress.totalMutations = pendingMutations(db);
  const releaseId = getState(db, 'publish_release_id') ?? randomUUID();
  setState(db, 'publish_release_id', releaseId);
  if (o.note !== undefined) setState(db, 'publish_note', o.note);
  progress.phase = 'sending';
  report(progress);
  await pushAll(db, transport.withSignal(o.signal), {
    now: o.now,
    maxMutations: o.maxMutations,
    onBatch: (_batch, p: PushProgress) => {
      progress.sentMutations = p.mutations;
      progress.sentBytes = p.bytes;
      progress.duplicates = p.duplicates;
      progress.totalMutations = Math.max(
        progress.totalMutations,
        p.mutations + pendingMutations(db),
      );
      report(progress);
    },
  });
  progress.phase = 'releasing';
  report(progress);
  const release = await transport.withSignal(o.signal).createRelease({
    clientReleaseId: releaseId,
    note: getState(db, 'publish_note') ?? '',
    manifest: manifest(db),
  });
  clearState(db, 'publish_release_id');
  clearState(db, 'publish_note');
  progress.phase = 'done';
  report(progress);
  return release;
}
