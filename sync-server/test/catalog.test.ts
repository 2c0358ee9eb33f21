import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, createPool } from '../src/db/db';
import { migrate } from '../src/db/migrate';
import { loadMigrations } from '../src/db/migrations';
import {
  APP_ROLE,
  adminQuery,
  createTestDatabase,
  OWNER_ROLE,
  type TestDatabase,
  urlFor,
} from './helpers/test-db';

const LATEST = loadMigrations().at(-1)?.version ?? 0;
const PREVIOUS = loadMigrations().at(-2)?.version ?? 0;

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.drop();
});

const q = (sql: string, params: unknown[] = []) => adminQuery(sql, params, t.adminUrl);

describe('catalog: row level security', () => {
  it('every table with tenant_id has RLS enabled and forced, key (tenant_id, id), and a USING + WITH CHECK policy on app.tenant_id', async () => {
    const tables = await q(`
      SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity
      FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
      WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p')
        AND a.attname = 'tenant_id' AND NOT a.attisdropped ORDER BY 1`);
    // Other modules add tenant tables; every one of them is held to the same rules below.
    expect(tables.rows.map((r) => r.relname)).toEqual(
      expect.arrayContaining(['devices', 'memberships']),
    );
    for (const table of tables.rows) {
      expect({
        table: table.relname,
        enabled: table.relrowsecurity,
        forced: table.relforcerowsecurity,
      }).toEqual({
        table: table.relname,
        enabled: true,
        forced: true,
      });
      const pk = await q(
        `SELECT array_agg(a.attname ORDER BY k.ord)::text[] AS cols
         FROM pg_index i CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
         JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
         WHERE i.indrelid = $1::regclass AND i.indisprimary`,
        [table.relname],
      );
      expect(pk.rows[0]?.cols, `${table.relname} primary key`).toEqual(['tenant_id', 'id']);
      const policies = await q(
        'SELECT policyname, cmd, permissive, qual, with_check FROM pg_policies WHERE tablename = $1',
        [table.relname],
      );
      const guard = "nullif(current_setting('app.tenant_id'::text, true), ''::text)";
      const isolation = policies.rows.filter(
        (p) =>
          p.cmd === 'ALL' &&
          p.permissive === 'PERMISSIVE' &&
          String(p.qual).toLowerCase().includes(`tenant_id = (${guard})::uuid`) &&
          String(p.with_check).toLowerCase().includes(`tenant_id = (${guard})::uuid`),
      );
      expect(isolation, `${table.relname} tenant policy`).toHaveLength(1);
      // Any other policy may only widen reads, never writes.
      for (const p of policies.rows.filter((x) => x !== isolation[0])) {
        expect(p.cmd, `${table.relname}.${p.policyname}`).toBe('SELECT');
      }
    }
  });

  it('the app role is not superuser, not BYPASSRLS, owns nothing; the owner role is not superuser', async () => {
    const roles = await q(
      `SELECT rolname, rolsuper, rolbypassrls, rolcreaterole, rolcreatedb,
         (SELECT count(*)::int FROM pg_class c WHERE c.relowner = r.oid AND c.relnamespace = 'public'::regnamespace) AS owned
       FROM pg_roles r WHERE rolname = ANY($1) ORDER BY rolname`,
      [[APP_ROLE, OWNER_ROLE]],
    );
    const app = roles.rows.find((r) => r.rolname === APP_ROLE);
    const owner = roles.rows.find((r) => r.rolname === OWNER_ROLE);
    expect(app).toMatchObject({
      rolsuper: false,
      rolbypassrls: false,
      rolcreaterole: false,
      owned: 0,
    });
    expect(owner).toMatchObject({ rolsuper: false, rolbypassrls: false });
    expect(owner?.owned).toBeGreaterThan(0);
    const tableOwners = await q(
      `SELECT DISTINCT pg_get_userbyid(relowner) AS owner FROM pg_class
       WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'v', 'S')`,
    );
    expect(tableOwners.rows.map((r) => r.owner)).toEqual([OWNER_ROLE]);
  });

  it('every view is security_invoker', async () => {
    const views = await q(
      `SELECT c.relname, coalesce(c.reloptions, '{}') AS options FROM pg_class c
       WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'v'`,
    );
    expect(views.rows.length).toBeGreaterThan(0);
    for (const v of views.rows) expect(v.options, v.relname).toContain('security_invoker=true');
  });

  it('the app role sees no tenant rows without a tenant context and cannot write across tenants', async () => {
    const pool = createPool(t.appUrl, 2);
    const db = createDb(pool);
    try {
      const a = crypto.randomUUID();
      const user = crypto.randomUUID();
      await db.global.createAccount({
        userId: user,
        email: `catalog-${a}@example.com`,
        passwordHash: 'x',
        tenantId: a,
        tenantName: 'A',
        membershipId: crypto.randomUUID(),
      });
      expect((await pool.query('SELECT * FROM memberships')).rowCount).toBe(0);
      expect((await pool.query('SELECT * FROM tenants')).rowCount).toBe(0);
      const other = crypto.randomUUID();
      await expect(
        db.withTenant(other, (tx) =>
          tx.exec('INSERT INTO devices (tenant_id, id, user_id, name) VALUES ($1, $2, $3, $4)', [
            a,
            crypto.randomUUID(),
            user,
            'x',
          ]),
        ),
      ).rejects.toThrow(/row-level security/);
      await expect(pool.query('ALTER TABLE devices DISABLE ROW LEVEL SECURITY')).rejects.toThrow(
        /owner/,
      );
      await expect(
        pool.query('INSERT INTO schema_migrations VALUES (99, $1, $1)', ['x']),
      ).rejects.toThrow(/permission denied/);
    } finally {
      await db.close();
    }
  });
});

describe('migrations and startup checks', () => {
  it('reports the schema current and the role servable; a second migrate run is a no-op', async () => {
    expect(await migrate({ migratorUrl: t.ownerUrl, appUrl: t.appUrl })).toEqual([]);
    const db = createDb(createPool(t.appUrl, 1));
    try {
      expect(await db.schemaStatus()).toMatchObject({ current: true, version: LATEST });
      await expect(db.assertServable()).resolves.toBeUndefined();
    } finally {
      await db.close();
    }
  });

  it('refuses to serve a database that is not migrated, or with the owner role', async () => {
    const fresh = await createTestDatabase({ migrate: false });
    try {
      const unmigrated = createDb(createPool(fresh.appUrl, 1));
      await expect(unmigrated.assertServable()).rejects.toThrow(/not current/);
      await unmigrated.close();
      await migrate({ migratorUrl: fresh.ownerUrl, appUrl: fresh.appUrl });
      await adminQuery(
        'DELETE FROM schema_migrations WHERE version = $1',
        [LATEST],
        fresh.adminUrl,
      );
      const behind = createDb(createPool(fresh.appUrl, 1));
      await expect(behind.assertServable()).rejects.toThrow(
        `at ${PREVIOUS}, this build needs ${LATEST}`,
      );
      await behind.close();
      const asOwner = createDb(createPool(fresh.ownerUrl, 1));
      await adminQuery(
        "INSERT INTO schema_migrations SELECT $1, 'x', 'edited'",
        [LATEST],
        fresh.adminUrl,
      );
      await expect(asOwner.assertServable()).rejects.toThrow(/edited after it ran/);
      await asOwner.close();
    } finally {
      await fresh.drop();
    }
  });

  it('creates a missing app role without privileges, and refuses a superuser app role or owner = app', async () => {
    const fresh = await createTestDatabase({ migrate: false });
    const role = `chub_app_${randomBytes(4).toString('hex')}`;
    try {
      const appUrl = urlFor(fresh.adminUrl, role, fresh.name, 'secret-pw');
      await migrate({ migratorUrl: fresh.adminUrl, appUrl });
      const created = await adminQuery(
        'SELECT rolsuper, rolbypassrls, rolcanlogin FROM pg_roles WHERE rolname = $1',
        [role],
      );
      expect(created.rows[0]).toEqual({ rolsuper: false, rolbypassrls: false, rolcanlogin: true });
      const db = createDb(createPool(appUrl, 1));
      await expect(db.assertServable()).resolves.toBeUndefined();
      await db.close();
      await expect(
        migrate({ migratorUrl: fresh.adminUrl, appUrl: fresh.adminUrl }),
      ).rejects.toThrow(/is the migration owner/);
      await adminQuery(`ALTER ROLE ${role} BYPASSRLS`);
      await expect(migrate({ migratorUrl: fresh.adminUrl, appUrl })).rejects.toThrow(/BYPASSRLS/);
    } finally {
      await fresh.drop();
      await adminQuery(`DROP ROLE IF EXISTS ${role}`);
    }
  });
});
