import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminQuery } from '../../../sync-server/test/helpers/test-db';
import { deviceTransport } from '../../src/core/sync/account';
import { listConflicts } from '../../src/core/sync/conflicts';
import { syncOnce } from '../../src/core/sync/engine';
import { getState, numberState } from '../../src/core/sync/state';
import type { Workspace } from '../../src/core/workspace';
import { seededRandom } from '../helpers/seeded-random';
import { tempDir } from '../helpers/tmp';
import { type FaultProxy, startFaultProxy } from './fault-proxy';
import { FAST_RETRIES, liveServerForFile, loggedInWorkspace, signup } from './harness';
import { addStep, createProgram, renameStep, steps } from './steps';

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

interface Ledger {
  titles: Map<string, Set<string>>;
  deleted: Set<string>;
}

function randomEdits(
  ws: Workspace,
  moduleId: string,
  rnd: () => number,
  ledger: Ledger,
  label: string,
) {
  const n = 1 + Math.floor(rnd() * 4);
  for (let i = 0; i < n; i++) {
    const mine = steps(ws.db);
    const pickStep = mine[Math.floor(rnd() * mine.length)];
    const r = rnd();
    if (r < 0.35 || !pickStep) {
      const title = `${label} new ${ledger.titles.size}`;
      const id = addStep(ws.db, moduleId, title);
      ledger.titles.set(id, new Set([title]));
    } else if (r < 0.92) {
      const title = `${label} edit ${Math.floor(rnd() * 1e6)}`;
      renameStep(ws.db, pickStep.id, title);
      ledger.titles.get(pickStep.id)?.add(title);
    } else {
      ws.db.prepare('DELETE FROM program_steps WHERE id = ?').run(pickStep.id);
      ledger.deleted.add(pickStep.id);
    }
  }
}

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
      const ledger: Ledger = { titles: new Map(), deleted: new Set() };
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

      // 0 lost, 0 duplicated: each device's ids 1..n reached the server exactly once, all applied.
      for (const ws of [a, b]) {
        expect(ws.db.prepare('SELECT count(*) AS n FROM sync_outbox').get()).toEqual({ n: 0 });
        expect(ws.db.prepare('SELECT count(*) AS n FROM sync_batches').get()).toEqual({ n: 0 });
        expect(ws.db.prepare('SELECT count(*) AS n FROM sync_rejections').get()).toEqual({ n: 0 });
        const sent = numberState(ws.db, 'next_mid') - 1;
        const server = await adminQuery(
          `SELECT count(*)::int AS n, min(mid)::int AS lo, max(mid)::int AS hi,
                  count(*) FILTER (WHERE status <> 'applied')::int AS bad
           FROM sync_mutations WHERE device_id = $1`,
          [getState(ws.db, 'device_id')],
          live.t.adminUrl,
        );
        expect(server.rows[0]).toEqual({ n: sent, lo: 1, hi: sent, bad: 0 });
      }

      // Converged: both replicas equal each other and the server's rows.
      const final = steps(a.db);
      expect(steps(b.db)).toEqual(final);
      const onServer = await adminQuery(
        `SELECT row_key AS id, data->>'title' AS title FROM sync_rows
         WHERE table_name = 'program_steps' AND NOT deleted ORDER BY row_key`,
        [],
        live.t.adminUrl,
      );
      expect(onServer.rows).toEqual(final);
      // Nothing invented, nothing created lost: every step is one someone wrote, and every step
      // created and never deleted is still there.
      for (const s of final) expect(ledger.titles.get(s.id)?.has(s.title), s.id).toBe(true);
      const alive = new Set(final.map((s) => s.id));
      for (const id of ledger.titles.keys()) {
        if (!ledger.deleted.has(id)) expect(alive.has(id), id).toBe(true);
      }
      // Both desktops hold the same record of every concurrent edit that lost.
      const edits = (ws: Workspace) =>
        listConflicts(ws.db)
          .filter((c) => c.kind === 'concurrent_edit')
          .map((c) => c.id)
          .sort();
      expect(edits(a)).toEqual(edits(b));
      // Nothing either desktop refused is left open (their two empty Default bases became one).
      for (const ws of [a, b]) {
        expect(listConflicts(ws.db).filter((c) => c.kind === 'apply_failed')).toEqual([]);
      }
    } finally {
      a.close();
      b.close();
    }
  }, 90_000);
});
