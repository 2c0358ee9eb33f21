import { hostname } from 'node:os';
import type { ApiHandlers, Release, SyncStatus } from '@creator-hub/shared/api/index';
import type { ReleaseInfo } from '@creator-hub/shared/sync/index';
import { deviceTransport, login, logout } from '../sync/account';
import { listConflicts, resolveConflict } from '../sync/conflicts';
import { syncOnce } from '../sync/engine';
import { publish } from '../sync/publish';
import { syncStatus } from '../sync/status';
import { type ApiContext, withAbort } from './context';

type PublishHandlers = Pick<
  ApiHandlers,
  | 'publish.status'
  | 'publish.login'
  | 'publish.logout'
  | 'publish.publish'
  | 'publish.sync'
  | 'publish.releases'
  | 'publish.rollback'
  | 'publish.conflicts'
  | 'publish.resolveConflict'
>;

const toRelease = (r: ReleaseInfo): Release => ({
  id: r.id,
  version: r.version,
  kind: r.kind,
  createdAt: r.createdAt,
  note: r.note,
  active: r.active,
  counts: r.counts,
  restores: r.restores,
});

export function publishHandlers(ctx: ApiContext): PublishHandlers {
  const { db } = ctx.ws;
  const status = (): SyncStatus => {
    const s = syncStatus(db);
    return {
      serverUrl: s.serverUrl,
      account: s.account,
      loggedIn: s.loggedIn,
      pending: s.pending,
      lastSyncAt: s.lastSyncAt,
      conflicts: s.conflicts,
      unavailable: null,
    };
  };
  const releases = async () => (await deviceTransport(db).releases()).map(toRelease);
  return {
    'publish.status': async () => status(),
    'publish.login': async ({ serverUrl, email, password }) => {
      await login(db, { serverUrl, email, password, deviceName: `Creator Hub on ${hostname()}` });
      return status();
    },
    'publish.logout': async () => {
      logout(db);
      return status();
    },
    'publish.publish': ({ opId, note }) =>
      withAbort(ctx, opId, async (signal) => {
        const release = await publish(db, deviceTransport(db), {
          note: note ?? '',
          signal,
          onProgress: (p) =>
            ctx.events.emit('sync.progress', {
              opId,
              phase: p.phase,
              done: p.sentMutations,
              total: p.totalMutations,
              bytes: p.sentBytes,
            }),
        });
        return toRelease(release);
      }),
    'publish.sync': ({ opId }) =>
      withAbort(ctx, opId, async () => {
        await syncOnce(db, deviceTransport(db));
        return status();
      }),
    'publish.releases': releases,
    'publish.rollback': async ({ version, note }) => {
      await deviceTransport(db).rollback(version, note ?? '');
      return releases();
    },
    'publish.conflicts': async () => listConflicts(db),
    'publish.resolveConflict': async ({ conflictId, keep }) => {
      resolveConflict(db, conflictId, keep);
      return { ok: true };
    },
  };
}
