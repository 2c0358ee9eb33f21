import { contentKey, formatHlc, type Mutation } from '@creator-hub/shared/sync/index';
import { afterAll, beforeAll } from 'vitest';
import { type Account, signup, startServer, type TestServer } from '../helpers/server';
import { createTestDatabase, type TestDatabase } from '../helpers/test-db';

export interface Device {
  id: string;
  token: string;
}

export interface SyncHarness {
  t: TestDatabase;
  s: TestServer;
  close(): Promise<void>;
}

export async function startSyncHarness(): Promise<SyncHarness> {
  const t = await createTestDatabase();
  const s = await startServer(t.appUrl, { env: { LOG_LEVEL: 'warn' } });
  return {
    t,
    s,
    close: async () => {
      await s.close();
      await t.drop();
    },
  };
}

/**
 * Starts a sync harness before the file's tests and closes it after them; the returned object
 * forwards to that harness (use it only inside tests and hooks).
 */
export function syncHarnessForFile(): SyncHarness {
  let h: SyncHarness | undefined;
  beforeAll(async () => {
    h = await startSyncHarness();
  });
  afterAll(async () => {
    await h?.close();
  });
  const started = (): SyncHarness => {
    if (!h) throw new Error('the sync harness has not started yet');
    return h;
  };
  return {
    get t() {
      return started().t;
    },
    get s() {
      return started().s;
    },
    close: () => started().close(),
  };
}

export async function registerDevice(s: TestServer, a: Account, name = 'laptop'): Promise<Device> {
  const res = await s.api('post', `/v1/tenants/${a.tenantId}/devices`, {
    token: a.accessToken,
    body: { name },
  });
  if (res.status !== 201) throw new Error(`device registration failed: ${res.status} ${res.text}`);
  const body = res.json as { device: { id: string }; deviceToken: string };
  return { id: body.device.id, token: body.deviceToken };
}

export async function newTenantDevice(
  s: TestServer,
  label: string,
): Promise<{ account: Account; device: Device }> {
  const account = await signup(s, label);
  return { account, device: await registerDevice(s, account) };
}

/** `GET /v1/sync/pull` or `/v1/sync/snapshot` with these query parameters (undefined ones left out). */
export function syncRead(
  s: TestServer,
  d: Device | undefined,
  route: 'pull' | 'snapshot',
  params: Record<string, string | number | undefined>,
) {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined) query.set(name, String(value));
  }
  return s.api('get', `/v1/sync/${route}?${query}`, { token: d?.token });
}

/** `POST /v1/sync/push` of these mutations (anything, for the hostile cases) with the device's token. */
export const syncPush = (s: TestServer, d: Device, mutations: unknown) =>
  s.api('post', '/v1/sync/push', { token: d.token, body: { mutations } });

/** Each push result's code when rejected, else its status. */
export const pushStatuses = (res: { json: Record<string, unknown> }) =>
  (res.json.results as { status: string; code?: string }[]).map((r) => r.code ?? r.status);

export const hlcAt = (ms: number, counter = 0) => formatHlc({ ms, counter });

/** An editable program step mutation. */
export function stepMutation(
  mid: number,
  id: string,
  title: string,
  over: Partial<Mutation> = {},
): Mutation {
  return {
    mid,
    table: 'program_steps',
    op: 'upsert',
    key: id,
    hlc: hlcAt(Date.now(), mid),
    base: null,
    data: { id, title },
    ...over,
  };
}

/** An insert-only chunk mutation keyed by its content hash. */
export function chunkMutation(
  mid: number,
  documentId: string,
  ordinal: number,
  text: string,
): Mutation {
  const data = {
    document_id: documentId,
    ordinal,
    section: '',
    page: null,
    text,
    content_hash: `h${ordinal}`,
  };
  return {
    mid,
    table: 'chunks',
    op: 'upsert',
    key: contentKey(data),
    hlc: hlcAt(Date.now()),
    base: null,
    data,
  };
}
