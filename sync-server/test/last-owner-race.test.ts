import { beforeAll, describe, expect, it } from 'vitest';
import { type Account, signup } from './helpers/server';
import { serverForFile } from './helpers/server-for-file';
import { adminQuery } from './helpers/test-db';

let a: Account;
let b: Account;

// The first tenant transaction to reach COMMIT after `pause.armed` is set waits for `release`.
const pause = {
  armed: false,
  reached: () => {},
  release: Promise.resolve(),
};

const { t, s } = serverForFile({
  hooks: {
    beforeCommit: async () => {
      if (!pause.armed) return;
      pause.armed = false;
      pause.reached();
      await pause.release;
    },
  },
});

beforeAll(async () => {
  [a, b] = await Promise.all([signup(s, 'owner-a'), signup(s, 'owner-b')]);
  const add = await s.api('post', `/v1/tenants/${a.tenantId}/members`, {
    token: a.accessToken,
    body: { email: b.email, role: 'owner' },
  });
  expect(add.status).toBe(201);
});

/** True once some session of the test database waits for a row lock. */
async function someoneWaitsOnALock(): Promise<boolean> {
  const res = await adminQuery(
    "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock'",
    [t.name],
  );
  return (res.rows[0] as { n: number }).n > 0;
}

describe('last owner under concurrency', () => {
  it('two owners demoting each other at once leave one owner, not none', async () => {
    let release = () => {};
    const reached = new Promise<void>((resolve) => {
      pause.reached = resolve;
    });
    pause.release = new Promise<void>((resolve) => {
      release = resolve;
    });
    pause.armed = true;
    const demote = (by: Account, who: Account) =>
      s.api('patch', `/v1/tenants/${a.tenantId}/members/${who.userId}`, {
        token: by.accessToken,
        body: { role: 'editor' },
      });

    // A demotes B and stops before COMMIT; meanwhile B demotes A.
    const first = demote(a, b);
    await reached;
    let secondDone = false;
    const second = demote(b, a).finally(() => {
      secondDone = true;
    });
    // Let B's request either finish or block on A's uncommitted change, then let A commit.
    for (let i = 0; i < 250 && !secondDone && !(await someoneWaitsOnALock()); i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    release();
    const statuses = [(await first).status, (await second).status].sort();
    expect(statuses).toEqual([204, 409]);

    const owners = await adminQuery(
      "SELECT count(*)::int AS n FROM memberships WHERE tenant_id = $1 AND role = 'owner'",
      [a.tenantId],
      t.adminUrl,
    );
    expect((owners.rows[0] as { n: number }).n).toBe(1);
  });
});
