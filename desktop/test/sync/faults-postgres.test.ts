import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen } from '../../../sync-server/src/db/notifications';
import {
  type PrivatePostgres,
  startPrivatePostgres,
} from '../../../sync-server/test/helpers/private-postgres';
import { adminQuery } from '../../../sync-server/test/helpers/test-db';
import { deviceTransport } from '../../src/core/sync/account';
import { syncOnce } from '../../src/core/sync/engine';
import { SyncUnreachable } from '../../src/core/sync/transport';
import type { Workspace } from '../../src/core/workspace';
import { seededRandom } from '../helpers/seeded-random';
import { tempDir } from '../helpers/tmp';
import { type FaultProxy, startFaultProxy } from './fault-proxy';
import { expectLosslessConvergence, newLedger, randomEdits } from './faults-checks';
import {
  FAST_RETRIES,
  type LiveServer,
  loggedInWorkspace,
  signup,
  startLiveServer,
} from './harness';
import { createProgram } from './steps';

// The database itself goes away: a private cluster (the shared one on 5432 serves other files) is
// crashed (SIGKILL) or shut down (fast) and started again while both desktops keep syncing, through
// the fault proxy, against one server process that must live through it. Seeded like faults.test.ts.
const SEED = Number(process.env.SYNC_FAULT_SEED ?? 20_261_126);
const ROUNDS = 8;
// crash: SIGKILL to the postmaster and all its children; kill_postmaster: to the postmaster alone;
// stop: a fast shutdown; hang: SIGSTOP, then SIGCONT. Each once whatever the seed, plus one the
// seed may draw.
const KINDS = ['crash', 'kill_postmaster', 'stop', 'hang'] as const;
type Outage = (typeof KINDS)[number];
const FORCED: Record<number, Outage> = { 1: 'crash', 3: 'hang', 4: 'kill_postmaster', 6: 'stop' };
const MAX_OUTAGES = 5; // each costs 2-4 s (crash recovery, the desktops' retries)

let cluster: PrivatePostgres;
let live: LiveServer;
let proxy: FaultProxy;
beforeAll(async () => {
  cluster = await startPrivatePostgres();
  live = await startLiveServer({ adminUrl: cluster.adminUrl, logLevel: 'warn' });
  proxy = await startFaultProxy(live.port(), SEED + 2);
});
afterAll(async () => {
  await proxy?.close();
  await live?.close();
  await cluster?.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** The status of /readyz, or 0 when it does not answer within 5 s. */
const readyz = () =>
  fetch(`${live.current.url}/readyz`, { signal: AbortSignal.timeout(5_000) }).then(
    (res) => res.status,
    () => 0,
  );
/** readyz once it stops answering 200, within 2 s (an orphaned backend may answer a moment longer;
 * a hung database takes readyz's own 2 s). */
const readyzWhileDown = async () => {
  let status = await readyz();
  for (let i = 0; i < 40 && status === 200; i++) {
    await sleep(50);
    status = await readyz();
  }
  return status;
};
const count = (text: string, needle: string) => text.split(needle).length - 1;

describe(`sync while PostgreSQL crashes and restarts (seed ${SEED})`, () => {
  it('loses and duplicates nothing, converges, and the server lives through it', async () => {
    const server = live.current;
    // Set up as on the shared server: current schema, app role neither owner nor exempt from RLS.
    await server.db.assertServable();
    const account = await signup(server, 'pg-faults');
    const a = await loggedInWorkspace(tempDir(), proxy.url, account, 'A');
    const b = await loggedInWorkspace(tempDir(), proxy.url, account, 'B');
    // The LISTEN connection pokes use (db/notifications.ts) must come back after the outages, once.
    const heard: string[] = [];
    const listener = listen(live.t.appUrl, 'sync_poke', (payload) => heard.push(payload));
    const sync = (ws: Workspace) =>
      syncOnce(ws.db, deviceTransport(ws.db, FAST_RETRIES), { maxMutations: 3 });
    let unreachable = 0;
    // While the database is down a sync may give up after its retries; anything else fails the test.
    const trySync = (ws: Workspace) =>
      sync(ws).catch((error: unknown) => {
        if (!(error instanceof SyncUnreachable)) throw error;
        unreachable += 1;
      });
    try {
      const rnd = seededRandom(SEED + 3);
      const { moduleId } = createProgram(a.db);
      await sync(a);
      await sync(b);
      const ledger = newLedger();
      const edit = (ws: Workspace) => randomEdits(ws, moduleId, rnd, ledger, ws === a ? 'A' : 'B');
      proxy.setWeights({ pass: 6, drop_request: 1, cut_request: 1, drop_response: 1, delay: 1 });

      // The outages are drawn from their own generator: how many edits a desktop makes while the
      // database is down depends on timing, the plan does not.
      const plan = seededRandom(SEED + 4);
      const planned: (Outage | undefined)[] = [];
      let extra = MAX_OUTAGES - Object.keys(FORCED).length;
      for (let round = 0; round < ROUNDS; round++) {
        const drawn = plan() < 0.2 ? KINDS[Math.floor(plan() * KINDS.length)] : undefined;
        const take = !FORCED[round] && drawn !== undefined && extra > 0;
        if (take) extra -= 1;
        planned.push(FORCED[round] ?? (take ? drawn : undefined));
      }
      const outages: { kind: Outage; readyWhileDown: number }[] = [];
      const outage = async (kind: Outage) => {
        await sleep(Math.floor(plan() * 60));
        if (kind === 'hang') cluster.pause();
        else if (kind === 'stop') await cluster.stop();
        else await cluster.crash(kind === 'crash' ? 'all' : 'postmaster');
        const readyWhileDown = await readyzWhileDown();
        outages.push({ kind, readyWhileDown });
        await sleep(150 + Math.floor(plan() * 350));
        if (kind === 'hang') cluster.resume();
        else await cluster.start();
      };
      for (let round = 0; round < ROUNDS; round++) {
        edit(a);
        edit(b);
        const order = rnd() < 0.5 ? [a, b] : [b, a];
        const kind = planned[round];
        if (!kind) {
          for (const ws of order) await sync(ws);
          continue;
        }
        // The desktops keep editing, pushing and pulling until the database is back.
        let back = false;
        const down = outage(kind).finally(() => {
          back = true;
        });
        do {
          for (const ws of order) {
            edit(ws);
            await trySync(ws);
          }
        } while (!back);
        await down;
      }
      proxy.setWeights({});
      for (let i = 0; i < 2; i++) {
        await sync(a);
        await sync(b);
      }

      // Every kind of outage happened, each for real: the server answered not-ready while the
      // database was down, and PostgreSQL recovered from each crash / had been shut down cleanly.
      const times = (kind: Outage) => outages.filter((o) => o.kind === kind).length;
      for (const kind of KINDS) expect(times(kind), kind).toBeGreaterThan(0);
      expect(outages.map((o) => o.readyWhileDown)).toEqual(outages.map(() => 503));
      const crashes = times('crash') + times('kill_postmaster');
      const pgLog = cluster.log();
      expect(count(pgLog, 'not properly shut down; automatic recovery in progress')).toBe(crashes);
      expect(count(pgLog, 'received fast shutdown request')).toBe(times('stop'));
      // The same server process is ready again, having seen its pooled connections die.
      expect(live.current).toBe(server);
      expect(await readyz()).toBe(200);
      expect(server.logs.join('')).toContain('db_client_error');
      // LISTEN is back: a notification sent now is heard, and only once (one connection).
      const markers: string[] = [];
      for (let i = 0; i < 50 && !markers.some((m) => heard.includes(m)); i++) {
        markers.push(`after-outages-${i}`);
        await adminQuery("SELECT pg_notify('sync_poke', $1)", [markers[i]], live.t.adminUrl);
        await sleep(100);
      }
      await sleep(200);
      const back = heard.filter((p) => markers.includes(p));
      expect(back.length).toBeGreaterThan(0);
      expect(back).toEqual([...new Set(back)]);

      await expectLosslessConvergence(a, b, ledger, live.t.adminUrl);
      console.info(
        `seed ${SEED}: ${ROUNDS} rounds, outages ${outages.map((o) => o.kind).join(' ')}; ` +
          `${unreachable} syncs gave up while the database was down`,
      );
    } finally {
      await listener.close();
      a.close();
      b.close();
    }
  }, 90_000);
});
