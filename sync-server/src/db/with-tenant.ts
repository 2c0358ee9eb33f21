import type { Pool } from 'pg';
import { inTransaction, type TenantTx, txFor } from './tx';

export type WithTenant = <T>(tenantId: string, fn: (tx: TenantTx) => Promise<T>) => Promise<T>;

export interface WithTenantHooks {
  /** Fault injection for tests: runs after set_config, before the work and COMMIT. */
  afterSetConfig?: (tenantId: string) => void | Promise<void>;
  /** Fault injection for tests: runs after the work, before COMMIT. */
  beforeCommit?: (tenantId: string) => void | Promise<void>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Every query on tenant data runs here: BEGIN; set_config('app.tenant_id', id, true); fn; COMMIT.
 * is_local = true ties the tenant to this transaction, so a pooled connection never carries a
 * tenant into the next request, whether this one commits or fails.
 */
export function createWithTenant(pool: Pool, hooks: WithTenantHooks = {}): WithTenant {
  return async (tenantId, fn) => {
    if (!UUID.test(tenantId)) throw new Error('withTenant: tenant id must be a uuid');
    const client = await pool.connect();
    // The id is a validated uuid, so BEGIN and set_config can share one round trip.
    const begin = `BEGIN; SELECT set_config('app.tenant_id', '${tenantId.toLowerCase()}', true)`;
    return inTransaction(
      client,
      async () => {
        await hooks.afterSetConfig?.(tenantId);
        const result = await fn({ ...txFor(client), tenantId });
        await hooks.beforeCommit?.(tenantId);
        return result;
      },
      begin,
    );
  };
}
