import { SYNC_LIMITS } from '@creator-hub/shared/sync/index';
import type { AppDeps } from '../http/deps';
import { deviceRoute, type RouteDef } from '../http/route';
import { lockCounter, readCounter } from './counters';
import { pullChanges, snapshotPage } from './pull';
import { pushBatch } from './push';
import {
  ModelState,
  PullQuery,
  PullResponse,
  PushRequest,
  PushResponse,
  ReplaceModel,
  SnapshotQuery,
  SnapshotResponse,
} from './schemas';

/** A full batch (SYNC_LIMITS.batchBytes) plus room for JSON framing; anything larger is a 413. */
export const SYNC_BODY_LIMIT_BYTES = SYNC_LIMITS.batchBytes + 256 * 1024;

/** Device-token routes of the sync protocol (DESIGN.md §4); each runs in one tenant transaction. */
export function syncRoutes(deps: AppDeps): RouteDef[] {
  const { clock } = deps;
  const tag = 'sync';
  return [
    deviceRoute({
      method: 'post',
      path: '/v1/sync/push',
      summary:
        'Push a sealed batch of mutations (duplicates acknowledged; a gap answers 409 mutation_gap)',
      tag,
      body: PushRequest,
      response: PushResponse,
      run: ({ tx, device, body }) => pushBatch(tx, device.deviceId, body.mutations, clock.now()),
    }),
    deviceRoute({
      method: 'get',
      path: '/v1/sync/pull',
      summary:
        'Changes of a stream after an opaque cursor, with hasMore (410 resync_required: take a snapshot)',
      tag,
      query: PullQuery,
      response: PullResponse,
      run: ({ tx, device, query }) =>
        pullChanges(tx, device.deviceId, query.stream, query.cursor, query.limit, clock.now()),
    }),
    deviceRoute({
      method: 'get',
      path: '/v1/sync/snapshot',
      summary: 'The current rows of a stream, paged; the first page fixes the cursor to pull from',
      tag,
      query: SnapshotQuery,
      response: SnapshotResponse,
      run: ({ tx, query }) => snapshotPage(tx, query.stream, query.page, query.limit),
    }),
    deviceRoute({
      method: 'get',
      path: '/v1/sync/model',
      summary: "The tenant's embedding model fingerprint (null before the first embedding)",
      tag,
      response: ModelState,
      run: async ({ tx }) => ({
        fingerprint: (await readCounter(tx, 'content')).model_fingerprint,
      }),
    }),
    deviceRoute({
      method: 'post',
      path: '/v1/sync/model',
      summary: "Make another model the tenant's; embeddings of the previous model are dropped",
      tag,
      body: ReplaceModel,
      response: ModelState,
      run: async ({ tx, body }) => {
        await lockCounter(tx, 'content');
        await tx.exec("UPDATE sync_counters SET model_fingerprint = $1 WHERE id = 'content'", [
          body.fingerprint,
        ]);
        await tx.exec('DELETE FROM chunk_embeddings WHERE fingerprint <> $1', [body.fingerprint]);
        return { fingerprint: body.fingerprint };
      },
    }),
  ];
}
