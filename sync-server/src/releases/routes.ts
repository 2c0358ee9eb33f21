import type { AppDeps } from '../http/deps';
import { deviceRoute, type RouteDef } from '../http/route';
import {
  CreateRelease,
  ReleaseInfo,
  ReleaseList,
  ReleaseParams,
  RollbackBody,
} from '../sync/schemas';
import { createRelease, listReleases, rollbackTo } from './store';

/** Release history: publish appends a version, rollback appends a copy of an earlier one. */
export function releaseRoutes(_deps: AppDeps): RouteDef[] {
  const tag = 'releases';
  return [
    deviceRoute({
      method: 'get',
      path: '/v1/releases',
      summary: 'Release history, newest (the one served) first',
      tag,
      response: ReleaseList,
      run: async ({ tx }) => ({ releases: await listReleases(tx) }),
    }),
    deviceRoute({
      method: 'post',
      path: '/v1/releases',
      summary:
        'Publish: a new release covering everything synced so far (idempotent by clientReleaseId)',
      tag,
      status: 201,
      body: CreateRelease,
      response: ReleaseInfo,
      run: ({ tx, body }) => createRelease(tx, body),
    }),
    deviceRoute({
      method: 'post',
      path: '/v1/releases/{version}/rollback',
      summary: 'Serve an earlier release again (appends a rollback version)',
      tag,
      status: 201,
      params: ReleaseParams,
      body: RollbackBody,
      response: ReleaseInfo,
      run: ({ tx, params, body }) => rollbackTo(tx, params.version, body.note),
    }),
  ];
}
