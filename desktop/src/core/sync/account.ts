import type { Mutation } from '@creator-hub/shared/sync/index';
import { z } from 'zod';
import type { Db } from '../db/open';
import { clearState, getState, setState } from './state';
import { SyncTransport, serverEndpoint, type TransportOptions } from './transport';

export interface LoginInput {
  serverUrl: string;
  email: string;
  password: string;
  deviceName: string;
  /** Which of the account's tenants to publish to; the first it may edit when absent. */
  tenantId?: string;
}

export interface SyncAccount {
  serverUrl: string;
  account: string;
  tenantId: string;
  deviceId: string;
}

export class NotLoggedIn extends Error {
  readonly code = 'unavailable';
  constructor() {
    super(
      'Not logged in to a server: run `creator-hub login <server-url> --email <address>` first.',
    );
  }
}

export class LoginError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const Tokens = z.object({ accessToken: z.string() });
const Me = z.object({
  tenants: z.array(
    z.object({ id: z.string(), name: z.string(), role: z.enum(['owner', 'editor', 'viewer']) }),
  ),
});
const Registered = z.object({ device: z.object({ id: z.string() }), deviceToken: z.string() });

/**
 * Logs in, picks the tenant and registers this workspace as a device. Only the device token is
 * kept (not the password, not the account tokens). Moving to another server or tenant starts sync
 * over; a new device on the same tenant keeps what was synced and renumbers what was not yet sent.
 */
export async function login(
  db: Db,
  input: LoginInput,
  options: Omit<TransportOptions, 'baseUrl' | 'token'> = {},
): Promise<SyncAccount> {
  // One spelling per server, with the trailing slash a path prefix needs (https://host/hub/).
  const serverUrl = serverEndpoint(input.serverUrl, '').toString();
  const anon = new SyncTransport({ ...options, baseUrl: serverUrl });
  const tokens = Tokens.parse(
    await anon.request(
      'POST',
      '/v1/auth/login',
      JSON.stringify({ email: input.email, password: input.password }),
    ),
  );
  const me = Me.parse(await anon.request('GET', '/v1/me', undefined, tokens.accessToken));
  const tenant = input.tenantId
    ? me.tenants.find((t) => t.id === input.tenantId)
    : me.tenants.find((t) => t.role !== 'viewer');
  if (!tenant || tenant.role === 'viewer') {
    throw new LoginError(
      'no_tenant',
      'This account cannot publish to that tenant (it needs the editor or owner role).',
    );
  }
  const registered = Registered.parse(
    await anon.request(
      'POST',
      `/v1/tenants/${encodeURIComponent(tenant.id)}/devices`,
      JSON.stringify({ name: input.deviceName.slice(0, 200) || 'Creator Hub desktop' }),
      tokens.accessToken,
    ),
  );
  db.transaction(() => {
    const sameTenant =
      getState(db, 'server_url') === serverUrl && getState(db, 'tenant_id') === tenant.id;
    if (sameTenant) renumberUnsent(db);
    else restartSync(db);
    setState(db, 'server_url', serverUrl);
    setState(db, 'account', input.email);
    setState(db, 'tenant_id', tenant.id);
    setState(db, 'device_id', registered.device.id);
    setState(db, 'device_token', registered.deviceToken);
  })();
  return { serverUrl, account: input.email, tenantId: tenant.id, deviceId: registered.device.id };
}

/** A new device's mutation ids start at 1: sealed batches not yet acknowledged are renumbered. */
function renumberUnsent(db: Db): void {
  const batches = db
    .prepare('SELECT first_mid, body FROM sync_batches ORDER BY first_mid')
    .all() as {
    first_mid: number;
    body: string;
  }[];
  db.prepare('DELETE FROM sync_batches').run();
  let mid = 1;
  const insert = db.prepare(
    'INSERT INTO sync_batches (first_mid, last_mid, mutations, body, bytes) VALUES (?, ?, ?, ?, ?)',
  );
  for (const b of batches) {
    const parsed = JSON.parse(b.body) as { mutations: Mutation[] };
    const first = mid;
    const mutations = parsed.mutations.map((m) => ({ ...m, mid: mid++ }));
    const body = JSON.stringify({ mutations });
    insert.run(first, mid - 1, mutations.length, body, Buffer.byteLength(body));
  }
  db.prepare('UPDATE sync_versions SET local_mid = 0').run();
  setState(db, 'next_mid', mid);
  setState(db, 'acked_mid', 0);
}

/** Another server or tenant: everything in the workspace is sent again, from mutation 1. */
function restartSync(db: Db): void {
  for (const table of [
    'sync_outbox',
    'sync_batches',
    'sync_versions',
    'sync_cursors',
    'sync_mirror',
  ]) {
    db.prepare(`DELETE FROM ${table}`).run();
  }
  db.prepare("DELETE FROM sync_state WHERE key LIKE 'covered:%'").run();
  for (const key of ['next_mid', 'acked_mid', 'publish_release_id', 'last_sync_at'] as const)
    clearState(db, key);
}

export function logout(db: Db): void {
  clearState(db, 'device_token');
}

/** The transport for this workspace's device, or NotLoggedIn. */
export function deviceTransport(
  db: Db,
  options: Omit<TransportOptions, 'baseUrl' | 'token'> = {},
): SyncTransport {
  const baseUrl = getState(db, 'server_url');
  const token = getState(db, 'device_token');
  if (!baseUrl || !token) throw new NotLoggedIn();
  return new SyncTransport({ ...options, baseUrl, token });
}
