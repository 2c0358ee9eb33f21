import type { Mutation } from '@creator-hub/shared/sync/index';
import { describe, expect, it } from 'vitest';
import { REPLAY_WINDOW } from '../../src/sync/replays';
import { adminQuery } from '../helpers/test-db';
import {
  type Device,
  newTenantDevice,
  pushStatuses,
  stepMutation,
  syncHarnessForFile,
  syncPush,
} from './harness';

const h = syncHarnessForFile();

const push = (d: Device, mutations: Mutation[]) => syncPush(h.s, d, mutations);
const uniq = (xs: string[]) => [...new Set(xs)];

describe('push: the per-device mutation ids kept', () => {
  it('keeps hashes only for the last REPLAY_WINDOW ids: recent replays are duplicates, older ones are refused', async () => {
    const { device } = await newTenantDevice(h.s, 'window');
    const size = 500;
    const batches: Mutation[][] = [];
    for (let b = 0; b * size < REPLAY_WINDOW + size; b++) {
      const batch = Array.from({ length: size }, (_, i) => {
        const mid = b * size + i + 1;
        return stepMutation(mid, `s${mid}`, `Step ${mid}`);
      });
      batches.push(batch);
      expect(uniq(pushStatuses(await push(device, batch)))).toEqual(['applied']);
    }
    const last = batches.length * size;
    const kept = await adminQuery(
      `SELECT count(*)::int AS n, min(mid)::int AS lo, max(mid)::int AS hi
       FROM sync_mutations WHERE device_id = $1`,
      [device.id],
      h.t.adminUrl,
    );
    expect(kept.rows[0]).toEqual({ n: REPLAY_WINDOW, lo: last - REPLAY_WINDOW + 1, hi: last });
    const state = await adminQuery(
      'SELECT last_mid::int AS last FROM sync_device_state WHERE id = $1',
      [device.id],
      h.t.adminUrl,
    );
    expect(state.rows[0]).toEqual({ last });

    // The last batch again (its answer was lost): duplicates, nothing written.
    const again = await push(device, batches.at(-1) ?? []);
    expect(uniq(pushStatuses(again))).toEqual(['duplicate']);
    // The first batch again: older than the window, so it can no longer be checked and is refused.
    const stale = await push(device, batches[0] ?? []);
    expect(stale.status).toBe(200);
    expect(uniq(pushStatuses(stale))).toEqual(['mid_collision']);
    const message = (stale.json.results as { message: string }[])[0]?.message ?? '';
    expect(message).toMatch(/older than the last 5000 ids/);
    // And the queue goes on from the last contiguous id.
    const next = await push(device, [stepMutation(last + 1, 'next', 'Next')]);
    expect(pushStatuses(next)).toEqual(['applied']);
    expect(next.json.lastMid).toBe(last + 1);
  });
});
