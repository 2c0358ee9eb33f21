import { STREAMS, type Stream, SYNC_LIMITS } from '@creator-hub/shared/sync/index';
import type { Db } from '../db/open';
import { applyPage } from './apply';
import { bodySent } from './body-sent';
import { installSync } from './install';
import { oldestBatch, oldestFirstMid, type SealedBatch, sealBatch } from './seal';
import { getCursor, numberState, setCursor, setState, withClock } from './state';
import { SyncHttpError, type SyncTransport } from './transport';

export interface PushProgress {
  batches: number;
  mutations: number;
  bytes: number;
  duplicates: number;
  rejected: number;
}

export interface SyncEngineOptions {
  now?: () => number;
  pullLimit?: number;
  maxMutations?: number;
  onBatch?: (batch: SealedBatch, progress: PushProgress) => void;
}

const PUSH_PATH = '/v1/sync/push';

const countBatches = (db: Db) =>
  (db.prepare('SELECT count(*) AS n FROM sync_batches').get() as { n: number }).n;

/** The server holds fewer of this device's mutations than the device knows were acknowledged. */
export class ServerBehind extends Error {
  readonly code = 'server_behind';
}

function acknowledge(
  db: Db,
  batch: SealedBatch,
  rejected: { mid: number; code: string; message: string }[],
) {
  db.transaction(() => {
    const reject = db.prepare(
      `INSERT OR REPLACE INTO sync_rejections (mid, table_name, row_key, code, message) VALUES (?, ?, ?, ?, ?)`,
    );
    if (rejected.length > 0) {
      const sent = JSON.parse(batch.body) as {
        mutations: { mid: number; table: string; key: string }[];
      };
      const byMid = new Map(sent.mutations.map((m) => [m.mid, m]));
      for (const r of rejected) {
        const m = byMid.get(r.mid);
        reject.run(r.mid, m?.table ?? '', m?.key ?? '', r.code, r.message);
      }
    }
    db.prepare('DELETE FROM sync_batches WHERE first_mid = ?').run(batch.firstMid);
    setState(db, 'acked_mid', Math.max(numberState(db, 'acked_mid'), batch.lastMid));
  })();
}

/** The oldest unacknowledged batch: `ready` when it is that one (sealed here), else read back. */
function nextBatch(db: Db, ready: SealedBatch | undefined): SealedBatch | undefined {
  if (ready && oldestFirstMid(db) === ready.firstMid) return ready;
  return oldestBatch(db);
}

/**
 * Sends everything pending: the oldest unacknowledged batch first (byte-identical on a retry), then
 * newly sealed ones, until the outbox is empty. Safe to interrupt anywhere.
 */
export async function pushAll(
  db: Db,
  transport: SyncTransport,
  o: SyncEngineOptions = {},
): Promise<PushProgress> {
  installSync(db);
  const progress: PushProgress = { batches: 0, mutations: 0, bytes: 0, duplicates: 0, rejected: 0 };
  const seal = () => sealBatch(db, { now: o.now, maxMutations: o.maxMutations });
  let ready: SealedBatch | undefined;
  for (;;) {
    const batch = nextBatch(db, ready) ?? seal();
    ready = undefined;
    if (!batch) return progress;
    try {
      const sending = transport.push(batch.body);
      // Seal the next batch while this one is with the server: one batch in flight, one ready
      // behind it. Sealing blocks the event loop, so only once the request body is out.
      if (countBatches(db) < 2) {
        await bodySent(PUSH_PATH, sending);
        ready = seal();
      }
      const res = await sending;
      const rejected = res.results.flatMap((r) =>
        r.status === 'rejected'
          ? [{ mid: r.mid, code: r.code ?? 'rejected', message: r.message ?? '' }]
          : [],
      );
      progress.duplicates += res.results.filter((r) => r.status === 'duplicate').length;
      progress.rejected += rejected.length;
      acknowledge(db, batch, rejected);
      withClock(db, o.now ?? Date.now, (clock) => clock.receive(res.serverHlc));
    } catch (error) {
      if (!(error instanceof SyncHttpError) || error.code !== 'mutation_gap') throw error;
      // Batches are acknowledged only after the server committed them, so a gap means the server
      // lost what it had acknowledged (restored from an older backup): nothing to resend from here.
      throw new ServerBehind(
        `the server expects mutation ${error.expectedMid ?? '?'} but acknowledged up to ${batch.firstMid - 1}; its data was restored from an older backup`,
      );
    }
    progress.batches += 1;
    progress.mutations += batch.mutations;
    progress.bytes += batch.bytes;
    o.onBatch?.(batch, progress);
  }
}

export interface PullProgress {
  pages: number;
  changes: number;
  snapshots: number;
}

/** Pulls a stream page by page; each page is applied together with its cursor. */
export async function pullStream(
  db: Db,
  transport: SyncTransport,
  stream: Stream,
  o: SyncEngineOptions = {},
): Promise<PullProgress> {
  const progress: PullProgress = { pages: 0, changes: 0, snapshots: 0 };
  const limit = o.pullLimit ?? 500;
  for (;;) {
    let page: Awaited<ReturnType<SyncTransport['pull']>>;
    try {
      page = await transport.pull(stream, getCursor(db, stream), limit);
    } catch (error) {
      if (!(error instanceof SyncHttpError) || error.code !== 'resync_required') throw error;
      // A cursor straight from a snapshot must be servable; if not, stop rather than loop.
      if (progress.snapshots > 0 && progress.pages === 0) throw error;
      await snapshot(db, transport, stream, o);
      progress.snapshots += 1;
      continue;
    }
    applyPage(db, stream, page.changes, page.cursor, o.now);
    progress.pages += 1;
    progress.changes += page.changes.length;
    if (!page.hasMore) return progress;
  }
}

/** Rebuilds a stream from the server's current rows; the cursor moves only after the last page. */
async function snapshot(db: Db, transport: SyncTransport, stream: Stream, o: SyncEngineOptions) {
  let next: string | undefined;
  do {
    const page = await transport.snapshot(stream, next, SYNC_LIMITS.snapshotLimit);
    next = page.nextPage;
    applyPage(db, stream, page.rows, undefined, o.now);
    if (!next) setCursor(db, stream, page.cursor);
  } while (next);
}

export interface SyncResult {
  push: PushProgress;
  pull: Record<Stream, PullProgress>;
}

/** One full round: push everything pending, then pull every stream. */
export async function syncOnce(
  db: Db,
  transport: SyncTransport,
  o: SyncEngineOptions = {},
): Promise<SyncResult> {
  const push = await pushAll(db, transport, o);
  const pull = {} as Record<Stream, PullProgress>;
  for (const stream of STREAMS) pull[stream] = await pullStream(db, transport, stream, o);
  setState(db, 'last_sync_at', new Date((o.now ?? Date.now)()).toISOString());
  return { push, pull };
}
