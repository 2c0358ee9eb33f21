import type { Mutation } from '@creator-hub/shared/sync/index';
import { describe, expect, it } from 'vitest';
import { adminQuery } from '../helpers/test-db';
import {
  chunkMutation,
  type Device,
  hlcAt,
  newTenantDevice,
  registerDevice,
  syncHarnessForFile,
  syncPush,
  syncRead,
} from './harness';

const h = syncHarnessForFile();

const push = (d: Device, mutations: Mutation[]) => syncPush(h.s, d, mutations);
const pulled = async (d: Device) =>
  (await syncRead(h.s, d, 'pull', { stream: 'content' })).json.changes as {
    op: string;
    key: string;
    data: { text?: string } | null;
  }[];

describe('push: chunk text is stored once', () => {
  it('keeps the text in the current row only; pulls take it from there, and skip chunks deleted since', async () => {
    const { account, device } = await newTenantDevice(h.s, 'text-once');
    const a = chunkMutation(1, 'doc', 0, 'alpha text');
    const b = chunkMutation(2, 'doc', 1, 'beta text');
    await push(device, [a, b]);
    const stored = await adminQuery(
      `SELECT (SELECT count(*)::int FROM sync_changes WHERE table_name = 'chunks' AND data IS NOT NULL) AS logged,
              (SELECT count(*)::int FROM sync_rows WHERE table_name = 'chunks' AND data->>'text' IS NOT NULL) AS rows`,
      [],
      h.t.adminUrl,
    );
    expect(stored.rows[0]).toEqual({ logged: 0, rows: 2 });

    const reader = await registerDevice(h.s, account, 'reader');
    expect((await pulled(reader)).map((c) => c.data?.text)).toEqual(['alpha text', 'beta text']);

    const del: Mutation = { ...a, mid: 3, op: 'delete', hlc: hlcAt(Date.now()), data: null };
    await push(device, [del]);
    const fresh = await registerDevice(h.s, account, 'fresh');
    expect((await pulled(fresh)).map((c) => [c.op, c.data?.text ?? null])).toEqual([
      ['upsert', 'beta text'],
      ['delete', null],
    ]);
  });
});
