import pg from 'pg';
import { z } from 'zod';
import { compareSchema, loadGrantsSql, loadMigrations, type Migration } from './migrations';

export interface MigrateOptions {
  /** Connection of the owner/migrator role: it creates and owns every table. */
  migratorUrl: string;
  /** Connection the server will use; its user is the app role (created here when missing). */
  appUrl: string;
  migrations?: Migration[];
  log?: (message: string) => void;
}

const ROLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
const LOCK_KEY = 7_411_003_259; // arbitrary, constant: one migrator at a time per database

export function appRoleOf(appUrl: string): { role: string; password: string } {
  const url = new URL(appUrl);
  const role = decodeURIComponent(url.username);
  if (!ROLE_NAME.test(role)) {
    throw new Error('DATABASE_URL must name the app role: lower-case letters, digits, underscore');
  }
  return { role, password: decodeURIComponent(url.password) };
}

const RoleRow = z.object({ rolsuper: z.boolean(), rolbypassrls: z.boolean() });

async function ensureAppRole(
  client: pg.Client,
  role: string,
  password: string,
  log: (m: string) => void,
) {
  const me = await client.query('SELECT current_user AS name');
  if (me.rows[0]?.name === role) {
    throw new Error(
      `the app role "${role}" is the migration owner; set MIGRATION_DATABASE_URL to an owner role`,
    );
  }
  const found = await client.query(
    'SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = $1',
    [role],
  );
  if (found.rowCount === 0) {
    const ident = client.escapeIdentifier(role);
    const secret = password ? ` PASSWORD ${client.escapeLiteral(password)}` : '';
    await client.query(
      `CREATE ROLE ${ident} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT${secret}`,
    );
    log(`created app role ${role}`);
    return;
  }
  const flags = RoleRow.parse(found.rows[0]);
  if (flags.rolsuper || flags.rolbypassrls) {
    throw new Error(
      `the app role "${role}" is superuser or BYPASSRLS; row level security would not apply`,
    );
  }
}

const AppliedRow = z.object({ version: z.number(), checksum: z.string() });

/** Applies pending numbered migrations (each in its own transaction), then the app-role grants. */
export async function migrate(options: MigrateOptions): Promise<number[]> {
  const log = options.log ?? (() => {});
  const shipped = options.migrations ?? loadMigrations();
  const { role, password } = appRoleOf(options.appUrl);
  const client = new pg.Client({ connectionString: options.migratorUrl });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
    await ensureAppRole(client, role, password, log);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now())`);
    const applied = (
      await client.query('SELECT version, checksum FROM schema_migrations')
    ).rows.map((r: unknown) => AppliedRow.parse(r));
    const status = compareSchema(applied, shipped);
    if (!status.current && status.reason !== 'database is behind: run the migrate step') {
      throw new Error(`cannot migrate: ${status.reason}`);
    }
    const done = new Set(applied.map((a) => a.version));
    const ran: number[] = [];
    for (const m of shipped.filter((s) => !done.has(s.version))) {
      await client.query('BEGIN');
      try {
        await client.query(m.sql);
        await client.query(
          'INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)',
          [m.version, m.name, m.checksum],
        );
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
      ran.push(m.version);
      log(`applied migration ${m.version} ${m.name}`);
    }
    await client.query(loadGrantsSql().replaceAll('{{app_role}}', client.escapeIdentifier(role)));
    return ran;
  } finally {
    await client.end();
  }
}
