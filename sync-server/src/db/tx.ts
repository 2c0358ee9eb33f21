import type { PoolClient } from 'pg';
import type { z } from 'zod';
import { parseOwnData } from '../own-data';

/**
 * The only handle application code gets on the database: typed, row-validated queries inside a
 * transaction that someone else opened. Application code never sees pg itself.
 */
export interface Tx {
  rows<S extends z.ZodType>(
    schema: S,
    sql: string,
    params?: readonly unknown[],
  ): Promise<z.infer<S>[]>;
  row<S extends z.ZodType>(
    schema: S,
    sql: string,
    params?: readonly unknown[],
  ): Promise<z.infer<S> | undefined>;
  /** Runs a statement and returns the number of affected rows. */
  exec(sql: string, params?: readonly unknown[]): Promise<number>;
}

export interface TenantTx extends Tx {
  readonly tenantId: string;
}

export function txFor(client: PoolClient): Tx {
  const rows = async <S extends z.ZodType>(schema: S, sql: string, params?: readonly unknown[]) => {
    const result = await client.query(sql, params ? [...params] : []);
    return result.rows.map((r: unknown) => parseOwnData(schema, r, 'a database row'));
  };
  return {
    rows,
    row: async (schema, sql, params) => (await rows(schema, sql, params))[0],
    exec: async (sql, params) => (await client.query(sql, params ? [...params] : [])).rowCount ?? 0,
  };
}

/** BEGIN … COMMIT on one pooled client; ROLLBACK on any error; a client that fails to roll back is discarded. */
export async function inTransaction<T>(
  client: PoolClient,
  body: () => Promise<T>,
  begin = 'BEGIN',
): Promise<T> {
  let broken: Error | undefined;
  try {
    await client.query(begin);
    const result = await body();
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch((e: unknown) => {
      broken = e instanceof Error ? e : new Error('rollback failed');
    });
    throw error;
  } finally {
    client.release(broken);
  }
}
