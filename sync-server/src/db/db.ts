import pg from 'pg';
import { z } from 'zod';
import type { Logger } from '../logger';
import { type AttemptCounter, type CounterOptions, createAttemptCounter } from './attempt-counter';
import { createGlobalStore, type GlobalStore } from './global-store';
import { compareSchema, loadMigrations, type Migration, type SchemaStatus } from './migrations';
import { txFor } from './tx';
import { createWithTenant, type WithTenant, type WithTenantHooks } from './with-tenant';

export type { AttemptCounter, CounterOptions } from './attempt-counter';
export type { TenantTx, Tx } from './tx';
export type { WithTenant } from './with-tenant';

/** Everything the app may do with the database. */
export interface Db {
  withTenant: WithTenant;
  global: GlobalStore;
  /** Attempt counters (login throttling) shared by all replicas. */
  attemptCounter(options: CounterOptions): AttemptCounter;
  schemaStatus(): Promise<SchemaStatus>;
  /** Throws unless the schema is current and the connected role is subject to RLS. */
  assertServable(): Promise<void>;
  close(): Promise<void>;
}

export function createPool(connectionString: string, max: number, logger?: Logger): pg.Pool {
  const pool = new pg.Pool({ connectionString, max, idleTimeoutMillis: 30_000 });
  const warn = (error: Error) => logger?.warn({ code: 'db_client_error', message: error.message });
  // A client whose connection dies (server restart, terminated backend) emits 'error': idle ones
  // on the pool, checked-out ones on themselves. Unheard, either would crash the process; the
  // query in flight fails on its own and the client is discarded on release.
  pool.on('error', warn);
  pool.on('connect', (client) => client.on('error', warn));
  return pool;
}

const Applied = z.object({ version: z.number(), checksum: z.string() });
const RoleCheck = z.object({
  rolname: z.string(),
  rolsuper: z.boolean(),
  rolbypassrls: z.boolean(),
  owned: z.coerce.number(),
});

export interface DbOptions {
  hooks?: WithTenantHooks;
  migrations?: Migration[];
}

export function createDb(pool: pg.Pool, options: DbOptions = {}): Db {
  const shipped = options.migrations ?? loadMigrations();
  const query = async <S extends z.ZodType>(schema: S, sql: string) => {
    const client = await pool.connect();
    try {
      return await txFor(client).rows(schema, sql);
    } finally {
      client.release();
    }
  };
  const schemaStatus = async (): Promise<SchemaStatus> =>
    compareSchema(await query(Applied, 'SELECT version, checksum FROM schema_migrations'), shipped);

  return {
    withTenant: createWithTenant(pool, options.hooks),
    global: createGlobalStore(pool),
    attemptCounter: (o) => createAttemptCounter(pool, o),
    schemaStatus,
    assertServable: async () => {
      const status = await schemaStatus().catch((error: unknown) => {
        const reason = error instanceof Error ? error.message : String(error);
        return { current: false as const, version: 0, expected: shipped.length, reason };
      });
      if (!status.current) {
        throw new Error(
          `database schema is not current (at ${status.version}, this build needs ${status.expected}): ${status.reason}`,
        );
      }
      const [role] = await query(
        RoleCheck,
        `SELECT r.rolname, r.rolsuper, r.rolbypassrls,
           (SELECT count(*) FROM pg_class c WHERE c.relowner = r.oid
              AND c.relnamespace = 'public'::regnamespace) AS owned
         FROM pg_roles r WHERE r.rolname = current_user`,
      );
      if (!role || role.rolsuper || role.rolbypassrls || role.owned > 0) {
        throw new Error(
          'the database role of DATABASE_URL is superuser, BYPASSRLS or owns tables: row level security would not apply',
        );
      }
    },
    close: () => pool.end(),
  };
}
