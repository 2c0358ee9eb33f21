import { encodeVector, type Mutation } from '@creator-hub/shared/sync/index';
import { describe, expect, it } from 'vitest';
import { adminQuery } from '../helpers/test-db';
import {
  chunkMutation,
  type Device,
  hlcAt,
  newTenantDevice,
  pushStatuses,
  registerDevice,
  stepMutation,
  syncHarnessForFile,
  syncPush,
  syncRead,
} from './harness';

const h = syncHarnessForFile();

const push = (d: Device, mutations: Mutation[] | unknown) => syncPush(h.s, d, mutations);
const pull = (d: Device, cursor?: string, stream = 'content') =>
  syncRead(h.s, d, 'pull', { stream, cursor });
const changeCount = async () =>
  Number((await adminQuery('SELECT count(*) AS n FROM sync_changes', [], h.t.adminUrl)).rows[0]?.n);

describe('push: adversarial batches', () => {
  it('acknowledges a replayed batch as duplicates and changes nothing', async () => {
    const { device } = await newTenantDevice(h.s, 'replay');
    const batch = [stepMutation(1, 's1', 'One'), stepMutation(2, 's2', 'Two')];
    expect(pushStatuses(await push(device, batch))).toEqual(['applied', 'applied']);
    const before = await changeCount();
    const again = await push(device, batch);
    expect(again.status).toBe(200);
    expect(pushStatuses(again)).toEqual(['duplicate', 'duplicate']);
    expect(await changeCount()).toBe(before);
  });

  it('answers a gap with 409 mutation_gap and the expected id, writing nothing', async () => {
    const { device } = await newTenantDevice(h.s, 'gap');
    const before = await changeCount();
    const res = await push(device, [stepMutation(3, 's1', 'One')]);
    expect(res.status).toBe(409);
    expect(res.json).toMatchObject({ error: { code: 'mutation_gap' } });
    expect(res.headers.get('x-expected-mid')).toBe('1');
    expect(await changeCount()).toBe(before);
  });

  it('refuses non-consecutive ids inside a batch', async () => {
    const { device } = await newTenantDevice(h.s, 'holes');
    const res = await push(device, [stepMutation(1, 'a', 'A'), stepMutation(3, 'b', 'B')]);
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ error: { code: 'bad_batch' } });
  });

  it('refuses an id reused with different content, keeping the original', async () => {
    const { device } = await newTenantDevice(h.s, 'collide');
    await push(device, [stepMutation(1, 's1', 'Original')]);
    const res = await push(device, [
      stepMutation(1, 's1', 'Forged'),
      stepMutation(2, 's2', 'Next'),
    ]);
    expect(pushStatuses(res)).toEqual(['mid_collision', 'applied']);
    const page = await pull(device);
    const titles = (page.json.changes as { data: { title: string } }[]).map((c) => c.data.title);
    expect(titles).toEqual(['Original', 'Next']);
  });

  it('rejects bad mutations without blocking the queue: unknown tables, server tables, future clocks, bad rows', async () => {
    const { device } = await newTenantDevice(h.s, 'bad');
    const far = Date.now() + 24 * 3600_000;
    const res = await push(device, [
      stepMutation(1, 'x', 'X', { table: 'sqlite_master' }),
      stepMutation(2, 'x', 'X', { table: 'learners' }),
      stepMutation(3, 'x', 'X', { hlc: hlcAt(far) }),
      stepMutation(4, 'x', 'X', { key: 'not-x' }),
      { ...chunkMutation(5, 'd', 0, 'text'), key: 'f'.repeat(64) },
      stepMutation(6, 'ok', 'Fine'),
    ]);
    expect(res.status).toBe(200);
    expect(pushStatuses(res)).toEqual([
      'unknown_table',
      'table_not_writable',
      'clock_ahead',
      'bad_row',
      'bad_row',
      'applied',
    ]);
    expect(res.json.lastMid).toBe(6);
    const next = await push(device, [stepMutation(7, 'ok2', 'Also fine')]);
    expect(pushStatuses(next)).toEqual(['applied']);
  });

  it('refuses an oversized batch and malformed bodies before doing any work', async () => {
    const { device } = await newTenantDevice(h.s, 'big');
    const before = await changeCount();
    const many = Array.from({ length: 501 }, (_, i) => stepMutation(i + 1, `s${i}`, 'x'));
    expect((await push(device, many)).status).toBe(400);
    const huge = [stepMutation(1, 's', 'x'.repeat(190_000))];
    const body = {
      mutations: Array.from({ length: 40 }, (_, i) => ({
        ...huge[0],
        mid: i + 1,
        key: `k${i}`,
        data: { id: `k${i}`, title: 'x'.repeat(190_000) },
      })),
    };
    const tooBig = await h.s.api('post', '/v1/sync/push', { token: device.token, body });
    expect(tooBig.status).toBe(413);
    const raw = await h.s.api('post', '/v1/sync/push', {
      token: device.token,
      raw: '{"mutations": [',
    });
    expect(raw.status).toBe(400);
    expect(
      (await push(device, [{ ...stepMutation(1, 's', 'x'), table: 'a"; DROP TABLE x; --' }]))
        .status,
    ).toBe(400);
    expect(await changeCount()).toBe(before);
  });

  it('keeps tenants apart: the same ids in another tenant touch nothing of the first', async () => {
    const a = await newTenantDevice(h.s, 'tenant-a');
    const b = await newTenantDevice(h.s, 'tenant-b');
    await push(a.device, [stepMutation(1, 'shared-id', 'A secret')]);
    await push(b.device, [stepMutation(1, 'shared-id', 'B value')]);
    const aChanges = (await pull(a.device)).json.changes as { data: { title: string } }[];
    const bChanges = (await pull(b.device)).json.changes as { data: { title: string } }[];
    expect(aChanges.map((c) => c.data.title)).toEqual(['A secret']);
    expect(bChanges.map((c) => c.data.title)).toEqual(['B value']);
    // A's cursor is refused on B's stream: it names another tenant's log.
    const aCursor = (await pull(a.device)).json.cursor as string;
    expect((await pull(b.device, aCursor)).status).toBe(410);
    // Without a device token, nothing.
    expect((await syncRead(h.s, undefined, 'pull', { stream: 'content' })).status).toBe(401);
    // An account token is not a device token.
    const res = await h.s.api('post', '/v1/sync/push', {
      token: a.account.accessToken,
      body: { mutations: [stepMutation(2, 'z', 'z')] },
    });
    expect(res.status).toBe(401);
  });

  it('stores chunk embeddings and refuses another model with a sentence saying how to fix it', async () => {
    const { account, device } = await newTenantDevice(h.s, 'model');
    const vector = encodeVector(new Float32Array([0.6, 0.8]));
    const c1 = {
      ...chunkMutation(1, 'doc', 0, 'alpha'),
      embedding: { fingerprint: 'ollama/nomic@2', dims: 2, vector },
    };
    const c2 = {
      ...chunkMutation(2, 'doc', 1, 'beta'),
      embedding: { fingerprint: 'ollama/other@2', dims: 2, vector },
    };
    const c3 = {
      ...chunkMutation(3, 'doc', 2, 'gamma'),
      embedding: { fingerprint: 'ollama/nomic@2', dims: 3, vector },
    };
    const c4 = {
      ...chunkMutation(4, 'doc', 3, 'delta'),
      embedding: { fingerprint: 'ollama/nomic@2', dims: 2, vector: '<script>AAA=' },
    };
    const res = await push(device, [c1, c2, c3, c4]);
    expect(pushStatuses(res)).toEqual(['applied', 'model_mismatch', 'bad_vector', 'bad_vector']);
    const message = (res.json.results as { message: string }[])[1]?.message ?? '';
    expect(message).toMatch(/ollama\/nomic@2/);
    expect(message).toMatch(/--replace-model/);
    const stored = await adminQuery(
      'SELECT fingerprint, length(vector) AS n FROM chunk_embeddings',
      [],
      h.t.adminUrl,
    );
    expect(stored.rows).toEqual([{ fingerprint: 'ollama/nomic@2', n: 8 }]);
    // The pushing device gets its own chunk back without the vector it already has.
    const own = (await pull(device)).json.changes as { embedding?: unknown }[];
    expect(own).toHaveLength(1);
    expect(own[0]?.embedding).toBeUndefined();
    const reader = await registerDevice(h.s, account, 'reader');
    const page = await pull(reader);
    const changes = page.json.changes as { embedding?: { vector: string } }[];
    expect(changes[0]?.embedding?.vector).toBe(vector);
    const second = await registerDevice(h.s, account, 'second');
    expect((await h.s.api('get', '/v1/sync/model', { token: second.token })).json).toEqual({
      fingerprint: 'ollama/nomic@2',
    });
  });
});
