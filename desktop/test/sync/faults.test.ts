import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceTransport } from '../../src/core/sync/account';
import { syncOnce } from '../../src/core/sync/engine';
import type { Workspace } from '../../src/core/workspace';
import { seededRandom } from '../helpers/seeded-random';
import { tempDir } from '../helpers/tmp';
import { type FaultProxy, startFaultProxy } from './fault-proxy';
import { expectLosslessConvergence, newLedger, randomEdits } from './faults-checks';
import { FAST_RETRIES, liveServerForFile, loggedInWorkspace, signup } from './harness';
import { createProgram } from './steps';

// Seeded: a failure names its seed, and the same seed replays the same faults and edits.
const SEED = Number(process.env.SYNC_FAULT_SEED ?? 20_261_126);
const ROUNDS = 12;

const live = liveServerForFile();
let proxy: FaultProxy;
beforeAll(async () => {
  proxy = await startFaultProxy(live.port(), SEED);
});
afterAll(async () => {
  await proxy?.close();
});

const sync = (ws: Workspace) =>
  syncOnce(ws.db, deviceTransport(ws.db, FAST_RETRIES), { maxMutations: 3 });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe(`sync under network faults and server restarts (seed ${SEED})`, () => {
  it('ends with 0 lost and 0 duplicated mutations and converged replicas', async () => {
    const account = await signup(live.current, 'faults');
    const a = await loggedInWorkspace(tempDir(), proxy.url, account, 'A');
    const b = await loggedInWorkspace(tempDir(), proxy.url, account, 'B');
    try {
      const rnd = seededRandom(SEED + 1);
      const { moduleId } = createProgram(a.db);
      await sync(a);
      await sync(b);
      const ledger = newLedger();
      proxy.setWeights({
        pass: 4,
        drop_request: 1,
        cut_request: 1,
        drop_response: 1.5,
        reset_response: 1,
        delay: 1,
        blackhole: 0.25,
      });
      const kinds = [
        'drop_request',
        'cut_request',
        'drop_response',
        'reset_response',
        'delay',
        'blackhole',
      ] as const;
      // Every kind at least once whatever the seed, then as the seed draws them.
      proxy.forceNext([...kinds]);
      let restarts = 0;
      for (let round = 0; round < ROUNDS; round++) {
        randomEdits(a, moduleId, rnd, ledger, 'A');
        randomEdits(b, moduleId, rnd, ledger, 'B');
        const order = rnd() < 0.5 ? [a, b] : [b, a];
        const restart =
          rnd() < 0.3 || round === 2
            ? sleep(Math.floor(rnd() * 40)).then(async () => {
                await live.restart();
                proxy.setTarget(live.port());
                restarts += 1;
              })
            : Promise.resolve();
        await Promise.all([
          restart,
          (async () => {
            for (const ws of order) await sync(ws);
          })(),
        ]);
      }
      proxy.setWeights({});
      for (let i = 0; i < 2; i++) {
        await sync(a);
        await sync(b);
      }

      // Every fault kind and at least one server restart actually happened.
      for (const kind of kinds) {
        expect(proxy.counts[kind], kind).toBeGreaterThan(0);
      }
      expect(restarts).toBeGreaterThan(0);

      await expectLosslessConvergence(a, b, ledger, live.t.adminUrl);
    } finally {
      a.close();
      b.close();
    }
  }, 90_000);
});
