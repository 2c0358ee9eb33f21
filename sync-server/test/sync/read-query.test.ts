import { describe, expect, it } from 'vitest';
import {
  type Device,
  newTenantDevice,
  stepMutation,
  syncHarnessForFile,
  syncRead,
} from './harness';

const h = syncHarnessForFile();

/** A raw query string, exactly as written (repeated and odd names included). */
const get = (d: Device | undefined, route: 'pull' | 'snapshot', query: string) =>
  h.s.api('get', `/v1/sync/${route}?${query}`, { token: d?.token });

const errorOf = (res: { json: Record<string, unknown> }) =>
  res.json.error as { code: string; message: string } | undefined;

const newDevice = async (label: string) => (await newTenantDevice(h.s, label)).device;

describe('pull and snapshot query parameters', () => {
  it('serves a valid pull and snapshot over GET, limit coerced from the query string', async () => {
    const device = await newDevice('q-ok');
    const pushed = await h.s.api('post', '/v1/sync/push', {
      token: device.token,
      body: { mutations: [1, 2, 3].map((mid) => stepMutation(mid, `s${mid}`, `Step ${mid}`)) },
    });
    expect(pushed.status).toBe(200);
    const first = await syncRead(h.s, device, 'pull', { stream: 'content', limit: 2 });
    expect(first.status).toBe(200);
    expect((first.json.changes as unknown[]).length).toBe(2);
    expect(first.json.hasMore).toBe(true);
    // A GET now: no cache on the way may keep a page.
    expect(first.headers.get('cache-control')).toBe('no-store');
    const rest = await syncRead(h.s, device, 'pull', {
      stream: 'content',
      cursor: String(first.json.cursor),
      limit: 1000,
    });
    expect((rest.json.changes as { seq: number }[]).map((c) => c.seq)).toEqual([3]);
    const snapshot = await syncRead(h.s, device, 'snapshot', { stream: 'content', limit: 1 });
    expect(snapshot.status).toBe(200);
    expect((snapshot.json.rows as unknown[]).length).toBe(1);
    expect(typeof snapshot.json.nextPage).toBe('string');
  });

  it('answers 400 invalid_query, naming the parameter, for missing, bad and oversized values', async () => {
    const device = await newDevice('q-bad');
    const cases: [route: 'pull' | 'snapshot', query: string, message: RegExp][] = [
      ['pull', '', /query parameter stream is required/],
      ['pull', 'limit=5', /query parameter stream is required/],
      ['pull', 'stream=', /parameter stream:/],
      ['pull', 'stream=everything', /parameter stream:/],
      ['pull', 'stream=content&limit=-1', /limit: must be at least 1/],
      ['pull', 'stream=content&limit=0', /limit: must be at least 1/],
      ['pull', 'stream=content&limit=1001', /limit: must be at most 1000/],
      ['pull', 'stream=content&limit=99999999999999999999', /limit: must be at most 1000/],
      ['pull', 'stream=content&limit=1.5', /limit: must be a whole number/],
      ['pull', 'stream=content&limit=abc', /limit: must be a whole number/],
      ['pull', 'stream=content&limit=NaN', /limit: must be a whole number/],
      ['pull', 'stream=content&limit=Infinity', /limit: must be a whole number/],
      ['pull', 'stream=content&cursor=', /cursor: must not be empty/],
      ['pull', 'stream=content&cursor=a%20b', /cursor: is not a cursor/],
      ['pull', 'stream=content&cursor=%E0%A4%A', /cursor: is not a cursor/],
      ['pull', `stream=content&cursor=${'a'.repeat(201)}`, /cursor: is longer than any cursor/],
      ['pull', `stream=content&cursor=${'a'.repeat(10_000)}`, /cursor: is longer than any/],
      ['snapshot', '', /query parameter stream is required/],
      ['snapshot', 'stream=content&limit=1001', /limit: must be at most 1000/],
      ['snapshot', 'stream=content&page=', /page: must not be empty/],
      ['snapshot', `stream=content&page=${'a'.repeat(401)}`, /page: is longer than any page/],
      ['snapshot', 'stream=content&page=%22%7D', /page: is not a page token/],
    ];
    const failures: string[] = [];
    for (const [route, query, message] of cases) {
      const res = await get(device, route, query);
      const error = errorOf(res);
      if (res.status !== 400 || error?.code !== 'invalid_query' || !message.test(error.message))
        failures.push(`${route}?${query.slice(0, 80)}: ${res.status} ${res.text.slice(0, 200)}`);
    }
    expect(failures).toEqual([]);
  });

  it('refuses repeated and unknown parameters, without echoing a long name back', async () => {
    const device = await newDevice('q-names');
    const repeated = await get(device, 'pull', 'stream=content&stream=activity');
    expect(repeated.status).toBe(400);
    expect(errorOf(repeated)?.message).toMatch(/stream is given more than once/);
    const repeatedLimit = await get(device, 'snapshot', 'stream=content&limit=1&limit=1');
    expect(errorOf(repeatedLimit)?.message).toMatch(/limit is given more than once/);

    const unknown = await get(device, 'pull', 'stream=content&since=0');
    expect(unknown.status).toBe(400);
    expect(errorOf(unknown)).toEqual({
      code: 'invalid_query',
      message: 'Unknown query parameter since.',
    });
    for (const name of ['__proto__', 'constructor', 'limit[]', 'cursor.x']) {
      const res = await get(device, 'pull', `stream=content&${encodeURIComponent(name)}=1`);
      expect(res.status, name).toBe(400);
      expect(errorOf(res)?.message, name).toContain('Unknown query parameter');
    }
    const longName = 'x'.repeat(5_000);
    const long = await get(device, 'pull', `stream=content&${longName}=1`);
    expect(long.status).toBe(400);
    expect(long.text.length).toBeLessThan(300);
  });

  it('checks the device token before the query, and refuses a URL too long to read', async () => {
    const device = await newDevice('q-auth');
    // No token and a bad query: 401, so the query shape is no oracle for unauthenticated callers.
    expect((await get(undefined, 'pull', 'limit=abc')).status).toBe(401);
    // Node refuses a request line past its header limit (16 KB) before the app sees it.
    const huge = await get(device, 'pull', `stream=content&cursor=${'a'.repeat(20_000)}`);
    expect(huge.status).toBe(431);
    expect(h.s.logs.join('')).not.toContain('request failed');
  });

  it('has no POST variants of pull and snapshot, and other GET routes still ignore a query', async () => {
    const device = await newDevice('q-post');
    for (const path of ['/v1/sync/pull', '/v1/sync/snapshot']) {
      const res = await h.s.api('post', path, { token: device.token, body: { stream: 'content' } });
      expect(res.status, path).toBe(404);
    }
    const model = await h.s.api('get', '/v1/sync/model?cache=1', { token: device.token });
    expect(model.status).toBe(200);
  });
});

describe('OpenAPI: query parameters', () => {
  interface Parameter {
    name: string;
    in: string;
    required: boolean;
    schema: Record<string, unknown>;
  }
  type Operation = { parameters?: Parameter[]; requestBody?: unknown };

  it('documents stream, cursor/page and limit as query parameters of GET pull and snapshot', async () => {
    const doc = (await h.s.api('get', '/openapi.json')).json as {
      paths: Record<string, Record<string, Operation>>;
    };
    const byName = (path: string) => {
      const op = doc.paths[path]?.get;
      expect(op, path).toBeDefined();
      expect(op?.requestBody, path).toBeUndefined();
      expect(doc.paths[path]?.post, `POST ${path}`).toBeUndefined();
      return Object.fromEntries((op?.parameters ?? []).map((p) => [p.name, p]));
    };
    const pull = byName('/v1/sync/pull');
    expect(Object.keys(pull).sort()).toEqual(['cursor', 'limit', 'stream']);
    expect(pull.stream).toMatchObject({
      in: 'query',
      required: true,
      schema: { enum: ['content', 'activity'] },
    });
    expect(pull.cursor).toMatchObject({
      in: 'query',
      required: false,
      schema: { type: 'string', maxLength: 200 },
    });
    expect(pull.limit).toMatchObject({
      in: 'query',
      required: false,
      schema: { type: 'integer', minimum: 1, maximum: 1000, default: 500 },
    });
    const snapshot = byName('/v1/sync/snapshot');
    expect(Object.keys(snapshot).sort()).toEqual(['limit', 'page', 'stream']);
    expect(snapshot.page).toMatchObject({
      in: 'query',
      required: false,
      schema: { maxLength: 400 },
    });
    expect(snapshot.stream?.required).toBe(true);
  });
});
