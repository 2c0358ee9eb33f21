import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../src/db/db';
import { txFor } from '../src/db/tx';
import type { WithTenant, WithTenantHooks } from '../src/db/with-tenant';
import { type Account, signup, startServer, type TestServer } from './helpers/server';
import { APP_ROLE, adminQuery, createTestDatabase, type TestDatabase } from './helpers/test-db';

const TENANTS = 12;
const REQUESTS = 2000;
const CONCURRENCY = 32;
/** Seconds on an idle 2-core machine; generous for loaded CI machines and coverage runs. */
const TIMEOUT_MS = 180_000;

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.drop();
});

class InjectedFault extends Error {}

/** Fails about one transaction in seven after set_config, and as many again just before COMMIT. */
function faults(): WithTenantHooks {
  let n = 0;
  return {
    afterSetConfig: () => {
      n += 1;
      if (n % 7 === 3) throw new InjectedFault('fault after set_config');
    },
    beforeCommit: () => {
      n += 1;
      if (n % 7 === 5) throw new InjectedFault('fault before commit');
    },
  };
}

/** The deliberately broken variant: session-level set_config (is_local = false). */
function sessionLevelWithTenant(pool: pg.Pool, hooks: WithTenantHooks): WithTenant {
  return async (tenantId, fn) => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query("SELECT set_config('app.tenant_id', $1, false)", [tenantId]);
      await hooks.afterSetConfig?.(tenantId);
      const result = await fn({ ...txFor(client), tenantId });
      await hooks.beforeCommit?.(tenantId);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    } finally {
      client.release();
    }
  };
}

interface StressResult {
  foreignInResponses: number;
  foreignInProbes: number;
  misfiledRows: number;
  rowsFromFailedRequests: number;
  ok: number;
  failed: number;
}

async function stress(s: TestServer, accounts: Account[]): Promise<StressResult> {
  const result: StressResult = {
    foreignInResponses: 0,
    foreignInProbes: 0,
    misfiledRows: 0,
    rowsFromFailedRequests: 0,
    ok: 0,
    failed: 0,
  };
  const failedNames: string[] = [];
  const run = `r${Date.now().toString(36)}`;
  let next = 0;
  const worker = async () => {
    while (next < REQUESTS) {
      const i = next++;
      const k = i % accounts.length;
      const who = accounts[k];
      if (!who) throw new Error('no account');
      if (i % 300 === 150) {
        // A real failure too: kill one of the app role's backends mid-flight.
        await adminQuery(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
           WHERE usename = $1 AND datname = $2 AND state <> 'idle' LIMIT 1`,
          [APP_ROLE, t.name],
          t.adminUrl,
        );
      }
      if (i % 40 === 0) {
        // A pooled connection checked out with no tenant set must see no tenant rows.
        const probe = await s.pool.query('SELECT tenant_id FROM devices');
        result.foreignInProbes += probe.rowCount ?? 0;
      }
      if (i % 2 === 0) {
        const name = `${run}:${k}:${i}`;
        const res = await s.api('post', `/v1/tenants/${who.tenantId}/devices`, {
          token: who.accessToken,
          body: { name },
        });
        if (res.status === 201) result.ok += 1;
        else if (res.status === 500) {
          result.failed += 1;
          failedNames.push(name);
        } else throw new Error(`unexpected ${res.status} ${res.text}`);
      } else {
        const res = await s.api('get', `/v1/tenants/${who.tenantId}/devices`, {
          token: who.accessToken,
        });
        if (res.status === 500) {
          result.failed += 1;
          continue;
        }
        if (res.status !== 200) throw new Error(`unexpected ${res.status} ${res.text}`);
        result.ok += 1;
        const devices = (res.json as { devices: { name: string }[] }).devices;
        result.foreignInResponses += devices.filter(
          (d) => d.name.split(':')[1] !== String(k),
        ).length;
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));

  const rows = await adminQuery(
    'SELECT tenant_id, name FROM devices WHERE name LIKE $1',
    [`${run}:%`],
    t.adminUrl,
  );
  for (const row of rows.rows) {
    const k = Number(String(row.name).split(':')[1]);
    if (accounts[k]?.tenantId !== row.tenant_id) result.misfiledRows += 1;
  }
  const failed = new Set(failedNames);
  result.rowsFromFailedRequests = rows.rows.filter((r) => failed.has(String(r.name))).length;
  return result;
}

async function accountsOn(s: TestServer, label: string): Promise<Account[]> {
  const out: Account[] = [];
  for (let i = 0; i < TENANTS; i += 1) out.push(await signup(s, `${label}${i}`));
  return out;
}

describe('pooled stress across tenants with faults between set_config and COMMIT', () => {
  it(
    'withTenant (transaction-local): 0 foreign rows anywhere',
    async () => {
      const s = await startServer(t.appUrl, { hooks: faults(), env: { DATABASE_POOL_MAX: '8' } });
      try {
        const r = await stress(s, await accountsOn(s, 'good'));
        expect(r.failed).toBeGreaterThan(REQUESTS / 10);
        expect(r.ok).toBeGreaterThan(REQUESTS / 2);
        expect(r).toMatchObject({
          foreignInResponses: 0,
          foreignInProbes: 0,
          misfiledRows: 0,
          rowsFromFailedRequests: 0,
        });
      } finally {
        await s.close();
      }
    },
    TIMEOUT_MS,
  );

  it(
    'negative control: the same harness catches a session-level set_config',
    async () => {
      const hooks = faults();
      const s = await startServer(t.appUrl, {
        env: { DATABASE_POOL_MAX: '8' },
        patchDb: (db: Db, pool: pg.Pool): Db => ({
          ...db,
          withTenant: sessionLevelWithTenant(pool, hooks),
        }),
      });
      try {
        const r = await stress(s, await accountsOn(s, 'bad'));
        expect(r.failed).toBeGreaterThan(REQUESTS / 10);
        expect(
          r.foreignInResponses + r.foreignInProbes + r.misfiledRows + r.rowsFromFailedRequests,
        ).toBeGreaterThan(0);
      } finally {
        await s.close();
      }
    },
    TIMEOUT_MS,
  );
});
