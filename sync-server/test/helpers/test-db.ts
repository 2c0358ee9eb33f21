import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { migrate } from '../../src/db/migrate';

const run = promisify(execFile);
const INIT_SQL = fileURLToPath(new URL('../../docker/init-roles.sql', import.meta.url));

export const ADMIN_URL =
  process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const OWNER_ROLE = 'creator_hub_test_owner';
export const APP_ROLE = 'creator_hub_test_app';

export interface TestDatabase {
  name: string;
  /** Superuser on the test database: for inspection only, bypasses RLS. */
  adminUrl: string;
  /** The migrator role that owns every table. */
  ownerUrl: string;
  /** The app login role: not owner, not superuser, not BYPASSRLS. */
  appUrl: string;
  drop(): Promise<void>;
}

export function urlFor(base: string, user: string, database: string, password = 'test'): string {
  const url = new URL(base);
  url.username = user;
  url.password = password;
  url.pathname = `/${database}`;
  return url.toString();
}

export async function adminQuery(sql: string, params: unknown[] = [], url = ADMIN_URL) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(sql, params);
  } finally {
    await client.end();
  }
}

/** Runs sync-server/docker/init-roles.sql through psql, exactly as the docker init hook does. */
export async function runInitRoles(
  url: string,
  roles: { ownerRole: string; appRole: string },
): Promise<void> {
  const vars = [
    `owner_role=${roles.ownerRole}`,
    'owner_password=test',
    `app_role=${roles.appRole}`,
    'app_password=test',
  ];
  const args = ['-X', '-q', '-v', 'ON_ERROR_STOP=1', ...vars.flatMap((v) => ['-v', v])];
  await run('psql', [...args, '-f', INIT_SQL, url]);
}

/**
 * Creates a uniquely named database, runs the same init-roles.sql the docker image uses (via psql),
 * migrates it as the owner role and returns the connection strings. drop() removes it.
 * `adminUrl` is a superuser on another server (a private cluster); the shared one by default.
 */
export async function createTestDatabase(
  options: { migrate?: boolean; adminUrl?: string } = {},
): Promise<TestDatabase> {
  const base = options.adminUrl ?? ADMIN_URL;
  const name = `chub_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name}`, [], base);
  const adminUrl = urlFor(base, new URL(base).username || 'postgres', name, new URL(base).password);
  await runInitRoles(adminUrl, { ownerRole: OWNER_ROLE, appRole: APP_ROLE });
  const ownerUrl = urlFor(base, OWNER_ROLE, name);
  const appUrl = urlFor(base, APP_ROLE, name);
  if (options.migrate !== false) await migrate({ migratorUrl: ownerUrl, appUrl });
  return {
    name,
    adminUrl,
    ownerUrl,
    appUrl,
    drop: async () => {
      await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`, [], base);
    },
  };
}
