import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  APP_ROLE,
  adminQuery,
  createTestDatabase,
  OWNER_ROLE,
  runInitRoles,
  type TestDatabase,
} from './helpers/test-db';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase({ migrate: false });
});
afterAll(async () => {
  await t?.drop();
});

describe('docker/init-roles.sql (run through psql as in the postgres image)', () => {
  it('is idempotent and hands the database to the owner role', async () => {
    await runInitRoles(t.adminUrl, { ownerRole: OWNER_ROLE, appRole: APP_ROLE });
    await runInitRoles(t.adminUrl, { ownerRole: OWNER_ROLE, appRole: APP_ROLE });
    const db = await adminQuery(
      'SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = $1',
      [t.name],
    );
    expect(db.rows[0]?.owner).toBe(OWNER_ROLE);
    const roles = await adminQuery(
      'SELECT rolname, rolsuper, rolbypassrls, rolcanlogin FROM pg_roles WHERE rolname = ANY($1) ORDER BY 1',
      [[OWNER_ROLE, APP_ROLE]],
    );
    expect(roles.rows).toEqual([
      { rolname: APP_ROLE, rolsuper: false, rolbypassrls: false, rolcanlogin: true },
      { rolname: OWNER_ROLE, rolsuper: false, rolbypassrls: false, rolcanlogin: true },
    ]);
  });

  it('refuses a superuser in place of the app role', async () => {
    const superuser = new URL(t.adminUrl).username || 'postgres';
    await expect(
      runInitRoles(t.adminUrl, { ownerRole: OWNER_ROLE, appRole: superuser }),
    ).rejects.toThrow(/neither superuser nor BYPASSRLS/);
  });
});
