import type { Mutation } from '@creator-hub/shared/sync/index';
import { describe, expect, it } from 'vitest';
import {
  type Device,
  hlcAt,
  newTenantDevice,
  registerDevice,
  stepMutation,
  syncHarnessForFile,
  syncPush,
  syncRead,
} from './harness';

const h = syncHarnessForFile();

const push = async (d: Device, mutations: Mutation[]) => {
  const res = await syncPush(h.s, d, mutations);
  expect(res.status, res.text).toBe(200);
  return (res.json.results as { status: string }[]).map((r) => r.status);
};

/** The conflict records a fresh device of the tenant would receive. */
async function conflictsSeenBy(d: Device) {
  const res = await syncRead(h.s, d, 'pull', { stream: 'content' });
  return (res.json.changes as { table: string; op: string; data: Record<string, unknown> }[])
    .filter((c) => c.table === 'sync_conflicts' && c.op === 'upsert')
    .map((c) => ({ loser: c.data.loser, winner: c.data.winner }));
}

const VERSION = '0192f1c0-0000-7000-8000-000000000001';
const OTHER = '0192f1c0-0000-7000-8000-000000000002';
const pointer = (mid: number, ms: number, versionId: string): Mutation => ({
  mid,
  table: 'persona_active',
  op: 'upsert',
  key: 'active',
  hlc: hlcAt(ms),
  base: null,
  data: { id: 'active', version_id: versionId },
});

describe('push: concurrent versions that say the same are not a conflict', () => {
  it('records none when two desktops send the same pointer, whichever arrives first', async () => {
    const { account, device: a } = await newTenantDevice(h.s, 'same-pointer');
    const b = await registerDevice(h.s, account, 'B');
    const t0 = Date.now();
    // B's later copy wins over A's (apply path), then C's older copy loses (restated winner path).
    expect(await push(a, [pointer(1, t0, VERSION)])).toEqual(['applied']);
    expect(await push(b, [pointer(1, t0 + 1, VERSION)])).toEqual(['applied']);
    const c = await registerDevice(h.s, account, 'C');
    expect(await push(c, [pointer(1, t0 - 1, VERSION)])).toEqual(['applied']);
    expect(await conflictsSeenBy(await registerDevice(h.s, account, 'reader'))).toEqual([]);

    // Control: a different pointer sent without a base version is still kept as a conflict.
    expect(await push(a, [pointer(2, t0 + 2, OTHER)])).toEqual(['applied']);
    expect(await conflictsSeenBy(await registerDevice(h.s, account, 'reader 2'))).toEqual([
      {
        loser: { id: 'active', version_id: VERSION },
        winner: { id: 'active', version_id: OTHER },
      },
    ]);
  });

  it('compares canonical JSON: the same fields in another order are the same row', async () => {
    const { account, device: a } = await newTenantDevice(h.s, 'same-step');
    const b = await registerDevice(h.s, account, 'B');
    const t0 = Date.now();
    await push(a, [stepMutation(1, 's1', 'Title', { hlc: hlcAt(t0) })]);
    await push(b, [
      stepMutation(1, 's1', 'Title', { hlc: hlcAt(t0 + 1), data: { title: 'Title', id: 's1' } }),
    ]);
    // A deletion losing to a deletion loses nothing either.
    const gone = { op: 'delete' as const, data: null };
    await push(a, [
      stepMutation(2, 's1', '', { ...gone, hlc: hlcAt(t0 + 3), base: hlcAt(t0 + 1) }),
    ]);
    await push(b, [stepMutation(2, 's1', '', { ...gone, hlc: hlcAt(t0 + 2) })]);
    expect(await conflictsSeenBy(await registerDevice(h.s, account, 'reader'))).toEqual([]);
  });
});
