import { expect } from 'vitest';
import { REPLAY_WINDOW } from '../../../sync-server/src/sync/replays';
import { adminQuery } from '../../../sync-server/test/helpers/test-db';
import { listConflicts } from '../../src/core/sync/conflicts';
import { getState, numberState } from '../../src/core/sync/state';
import type { Workspace } from '../../src/core/workspace';
import { addStep, renameStep, steps } from './steps';

/** What the soak's edits wrote: every title each step ever had, and the steps deleted. */
export interface Ledger {
  titles: Map<string, Set<string>>;
  deleted: Set<string>;
}

export const newLedger = (): Ledger => ({ titles: new Map(), deleted: new Set() });

/** 1 to 4 seeded edits on one desktop: add, rename or delete a step; recorded in the ledger. */
export function randomEdits(
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

/**
 * After a soak and a quiet sync of both desktops: 0 lost and 0 duplicated mutations, replicas
 * converged with each other and the server, nothing invented, the same conflicts on both.
 */
export async function expectLosslessConvergence(
  a: Workspace,
  b: Workspace,
  ledger: Ledger,
  adminUrl: string,
): Promise<void> {
  // 0 lost, 0 duplicated: each device's ids 1..n reached the server exactly once, all applied (the
  // server's last contiguous id is n; it keeps the hashes of the last REPLAY_WINDOW ids).
  for (const ws of [a, b]) {
    expect(ws.db.prepare('SELECT count(*) AS n FROM sync_outbox').get()).toEqual({ n: 0 });
    expect(ws.db.prepare('SELECT count(*) AS n FROM sync_batches').get()).toEqual({ n: 0 });
    expect(ws.db.prepare('SELECT count(*) AS n FROM sync_rejections').get()).toEqual({ n: 0 });
    const sent = numberState(ws.db, 'next_mid') - 1;
    const server = await adminQuery(
      `SELECT count(*)::int AS n, min(mid)::int AS lo, max(mid)::int AS hi,
              count(*) FILTER (WHERE status <> 'applied')::int AS bad,
              (SELECT last_mid::int FROM sync_device_state WHERE id = $1) AS last
       FROM sync_mutations WHERE device_id = $1`,
      [getState(ws.db, 'device_id')],
      adminUrl,
    );
    const kept = Math.min(sent, REPLAY_WINDOW);
    expect(server.rows[0]).toEqual({ n: kept, lo: sent - kept + 1, hi: sent, bad: 0, last: sent });
  }

  // Converged: both replicas equal each other and the server's rows.
  const final = steps(a.db);
  expect(steps(b.db)).toEqual(final);
  const onServer = await adminQuery(
    `SELECT row_key AS id, data->>'title' AS title FROM sync_rows
     WHERE table_name = 'program_steps' AND NOT deleted ORDER BY row_key`,
    [],
    adminUrl,
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
}
