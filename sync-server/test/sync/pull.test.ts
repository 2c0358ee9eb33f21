import type { Mutation } from '@creator-hub/shared/sync/index';
import { describe, expect, it } from 'vitest';
import { compactChanges } from '../../src/sync/pull';
import {
  type Device,
  newTenantDevice,
  registerDevice,
  stepMutation,
  syncHarnessForFile,
  syncPush,
  syncRead,
} from './harness';

const h = syncHarnessForFile();

interface Page {
  changes: { seq: number; key: string; op: string }[];
  cursor: string;
  hasMore: boolean;
}

const push = (d: Device, mutations: Mutation[]) => syncPush(h.s, d, mutations);
const pull = async (d: Device, cursor: string | undefined, limit = 3) =>
  syncRead(h.s, d, 'pull', { stream: 'content', cursor, limit });

describe('pull, snapshot and resync', () => {
  it('pages in sequence order with hasMore, and an exhausted cursor stays put', async () => {
    const { device } = await newTenantDevice(h.s, 'paging');
    await push(
      device,
      Array.from({ length: 7 }, (_, i) => stepMutation(i + 1, `s${i}`, `Step ${i}`)),
    );
    const seen: number[] = [];
    let cursor: string | undefined;
    const more: boolean[] = [];
    for (let i = 0; i < 4; i++) {
      const page = (await pull(device, cursor)).json as unknown as Page;
      seen.push(...page.changes.map((c) => c.seq));
      more.push(page.hasMore);
      cursor = page.cursor;
    }
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(more).toEqual([true, true, false, false]);
  });

  it('refuses forged cursors and answers 410 for a cursor of another stream', async () => {
    const { device } = await newTenantDevice(h.s, 'cursor');
    expect((await pull(device, 'not-a-cursor')).status).toBe(400);
    const forged = Buffer.from(
      JSON.stringify({ v: 1, s: 'content', q: 99, e: crypto.randomUUID() }),
    ).toString('base64url');
    const res = await pull(device, forged);
    expect(res.status).toBe(410);
    expect(res.json).toMatchObject({ error: { code: 'resync_required' } });
    const activity = await syncRead(h.s, device, 'pull', { stream: 'activity' });
    const activityCursor = (activity.json as unknown as Page).cursor;
    expect((await pull(device, activityCursor)).status).toBe(410);
  });

  it('after compaction old cursors get 410, and a paged snapshot gives the current rows and a cursor', async () => {
    const { account, device } = await newTenantDevice(h.s, 'snapshot');
    await push(
      device,
      Array.from({ length: 5 }, (_, i) => stepMutation(i + 1, `s${i}`, `Step ${i}`)),
    );
    await push(device, [
      stepMutation(6, 's0', 'Step 0 renamed'),
      { ...stepMutation(7, 's1', ''), op: 'delete', data: null },
    ]);
    await h.s.db.withTenant(account.tenantId, (tx) => compactChanges(tx, 'content', 5));
    const fresh = await registerDevice(h.s, account, 'fresh');
    const stale = await pull(fresh, undefined);
    expect(stale.status).toBe(410);

    const rows: { table: string; key: string; op: string }[] = [];
    let page: string | undefined;
    let cursor = '';
    do {
      const res = await syncRead(h.s, fresh, 'snapshot', { stream: 'content', page, limit: 2 });
      expect(res.status).toBe(200);
      const body = res.json as {
        rows: { table: string; key: string; op: string }[];
        nextPage?: string;
        cursor: string;
      };
      rows.push(...body.rows);
      page = body.nextPage;
      cursor = body.cursor;
    } while (page);
    // The edits were sent without a base version, so each also left a conflict record.
    expect(rows.filter((r) => r.table === 'sync_conflicts')).toHaveLength(2);
    const stepRows = rows.filter((r) => r.table === 'program_steps');
    expect(stepRows.map((r) => `${r.key}:${r.op}`).sort()).toEqual([
      's0:upsert',
      's1:delete',
      's2:upsert',
      's3:upsert',
      's4:upsert',
    ]);
    const after = (await pull(fresh, cursor)).json as unknown as Page;
    expect(after.changes).toEqual([]);
    expect(after.hasMore).toBe(false);
    // A forged snapshot page token is refused.
    const forged = await syncRead(h.s, fresh, 'snapshot', {
      stream: 'content',
      page: Buffer.from('{"t":"x"}').toString('base64url'),
    });
    expect(forged.status).toBe(400);
  });

  it("keeps release history per tenant: another tenant's versions are not found", async () => {
    const a = await newTenantDevice(h.s, 'rel-a');
    const b = await newTenantDevice(h.s, 'rel-b');
    const manifest = { persona: null, programs: [], evals: [] };
    const created = await h.s.api('post', '/v1/releases', {
      token: a.device.token,
      body: { clientReleaseId: crypto.randomUUID(), note: 'v1', manifest },
    });
    expect(created.status).toBe(201);
    expect(
      (await h.s.api('post', '/v1/releases/1/rollback', { token: b.device.token, body: {} }))
        .status,
    ).toBe(404);
    const bList = await h.s.api('get', '/v1/releases', { token: b.device.token });
    expect(bList.json).toEqual({ releases: [] });
    expect(
      (await h.s.api('post', '/v1/releases/abc/rollback', { token: a.device.token, body: {} }))
        .status,
    ).toBe(404);
    const hostile = await h.s.api('post', '/v1/releases', {
      token: a.device.token,
      body: { clientReleaseId: 'not-a-uuid', manifest },
    });
    expect(hostile.status).toBe(400);
  });

  it('documents the sync and release routes in the OpenAPI document', async () => {
    const doc = (await h.s.api('get', '/openapi.json')).json as { paths: Record<string, unknown> };
    for (const path of [
      '/v1/sync/push',
      '/v1/sync/pull',
      '/v1/sync/snapshot',
      '/v1/sync/model',
      '/v1/releases',
      '/v1/releases/{version}/rollback',
    ]) {
      expect(doc.paths, path).toHaveProperty([path]);
    }
  });
});
