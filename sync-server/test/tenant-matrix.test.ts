import { beforeAll, describe, expect, it } from 'vitest';
import { buildOpenApi } from '../src/http/openapi';
import type { RouteDef } from '../src/http/route';
import { type Account, signup } from './helpers/server';
import { serverForFile } from './helpers/server-for-file';
import { adminQuery } from './helpers/test-db';
import { chunkMutation, stepMutation } from './sync/harness';

const { t, s } = serverForFile();
let a: Account;
let b: Account;
let c: Account;
/** Tenant B's ids by path-parameter name. */
const bIds: Record<string, string> = {};
let aDeviceToken = '';
let bDeviceToken = '';
/** What tenant B synced: row keys and the text they hold. */
const bSynced: string[] = [];

beforeAll(async () => {
  [a, b, c] = await Promise.all([
    signup(s, 'tenant-a'),
    signup(s, 'tenant-b'),
    signup(s, 'member-c'),
  ]);
  const add = await s.api('post', `/v1/tenants/${b.tenantId}/members`, {
    token: b.accessToken,
    body: { email: c.email, role: 'editor' },
  });
  expect(add.status).toBe(201);
  const dev = await s.api('post', `/v1/tenants/${b.tenantId}/devices`, {
    token: b.accessToken,
    body: { name: 'B laptop' },
  });
  const aDev = await s.api('post', `/v1/tenants/${a.tenantId}/devices`, {
    token: a.accessToken,
    body: { name: 'A laptop' },
  });
  aDeviceToken = String(aDev.json.deviceToken);
  bDeviceToken = String(dev.json.deviceToken);
  // B's own sync data, so that "A's pull and snapshot show none of it" can fail.
  const chunk = chunkMutation(1, 'b-document', 0, 'tenant B chunk text');
  const step = stepMutation(2, 'b-step-id', 'tenant B step title');
  const pushed = await s.api('post', '/v1/sync/push', {
    token: bDeviceToken,
    body: { mutations: [chunk, step] },
  });
  expect(pushed.text).toContain('applied');
  expect(pushed.text).not.toContain('rejected');
  bSynced.push(chunk.key, 'tenant B chunk text', step.key, 'tenant B step title');
  const sessions = await s.api('get', '/v1/auth/sessions', { token: b.accessToken });
  Object.assign(bIds, {
    tenantId: b.tenantId,
    userId: c.userId,
    deviceId: (dev.json.device as { id: string }).id,
    sessionId: (sessions.json as { sessions: { id: string }[] }).sessions[0]?.id,
  });
});
/** Every row of every table, read as superuser (RLS does not apply). */
async function snapshot(): Promise<string> {
  const tables = await adminQuery(
    "SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r' ORDER BY 1",
    [],
    t.adminUrl,
  );
  const parts: string[] = [];
  for (const { relname } of tables.rows) {
    const rows = await adminQuery(
      `SELECT coalesce(json_agg(x ORDER BY x::text), '[]') AS j FROM ${relname} x`,
      [],
      t.adminUrl,
    );
    parts.push(`${relname}:${JSON.stringify(rows.rows[0]?.j)}`);
  }
  return parts.join('\n');
}

const PARAM = /\{(\w+)\}/g;
const paramsOf = (r: RouteDef) => [...r.path.matchAll(PARAM)].map((m) => m[1] ?? '');

function exampleBody(route: RouteDef, doc: Record<string, unknown>): unknown {
  if (!route.body) return undefined;
  const schemas = (doc.components as { schemas: Record<string, { example?: unknown }> }).schemas;
  const paths = doc.paths as Record<
    string,
    Record<string, { requestBody?: { content: Record<string, { schema: { $ref?: string } }> } }>
  >;
  const ref =
    paths[route.path]?.[route.method]?.requestBody?.content['application/json']?.schema.$ref;
  const example = ref ? schemas[ref.replace('#/components/schemas/', '')]?.example : undefined;
  if (example === undefined)
    throw new Error(`${route.method} ${route.path} needs a body example in its schema`);
  return example;
}

/** The required query parameters of a route, each its documented example or first enum value. */
function exampleQuery(route: RouteDef, doc: Record<string, unknown>): string {
  const paths = doc.paths as Record<
    string,
    Record<
      string,
      {
        parameters?: {
          name: string;
          in: string;
          required?: boolean;
          example?: unknown;
          schema: { enum?: unknown[] };
        }[];
      }
    >
  >;
  const query = new URLSearchParams();
  for (const p of paths[route.path]?.[route.method]?.parameters ?? []) {
    if (p.in !== 'query' || !p.required) continue;
    const example = p.example ?? p.schema.enum?.[0];
    if (example === undefined)
      throw new Error(`${route.method} ${route.path} needs an example for its ${p.name} parameter`);
    query.set(p.name, String(example));
  }
  return query.size > 0 ? `?${query}` : '';
}

interface Case {
  name: string;
  route: RouteDef;
  path: string;
  randomPath: string;
}

function casesFor(routes: RouteDef[]): Case[] {
  const cases: Case[] = [];
  for (const route of routes.filter(
    (r) => (r.auth === 'account' || r.auth === 'tenant') && paramsOf(r).length > 0,
  )) {
    const fill = (values: Record<string, string>) =>
      route.path.replace(PARAM, (_m, p: string) => values[p] ?? 'missing');
    const random = Object.fromEntries(paramsOf(route).map((p) => [p, crypto.randomUUID()]));
    cases.push({
      name: `${route.method} ${route.path} with B's ids`,
      route,
      path: fill(bIds),
      randomPath: fill(random),
    });
    if (route.auth === 'tenant' && paramsOf(route).length > 1) {
      const mixed = { ...bIds, tenantId: a.tenantId };
      cases.push({
        name: `${route.method} ${route.path} in A's tenant with B's ids`,
        route,
        path: fill(mixed),
        randomPath: fill({ ...random, tenantId: a.tenantId }),
      });
    }
  }
  return cases;
}

describe("tenant A's token against tenant B's ids (generated from the route table)", () => {
  it('answers 404 on every id-bearing route, identically to a random id, and mutates nothing', async () => {
    const doc = buildOpenApi(s.app.routes) as Record<string, unknown>;
    const cases = casesFor(s.app.routes);
    // The matrix must cover every tenant route and the account routes with ids.
    expect(cases.length).toBeGreaterThanOrEqual(
      s.app.routes.filter((r) => r.auth === 'tenant').length,
    );
    const before = await snapshot();
    const failures: string[] = [];
    for (const c of cases) {
      const body = exampleBody(c.route, doc);
      const real = await s.api(c.route.method, c.path, { token: a.accessToken, body });
      const random = await s.api(c.route.method, c.randomPath, { token: a.accessToken, body });
      if (real.status !== 404 || real.json.error === undefined)
        failures.push(`${c.name}: ${real.status} ${real.text}`);
      if (real.text !== random.text)
        failures.push(`${c.name}: differs from a random id (existence oracle)`);
      if ((await snapshot()) !== before) failures.push(`${c.name}: data changed`);
    }
    expect(failures).toEqual([]);
  });

  it("never shows B's ids on A's list routes (account and device tokens)", async () => {
    const doc = buildOpenApi(s.app.routes) as Record<string, unknown>;
    const lists = s.app.routes.filter((r) => r.method === 'get' && paramsOf(r).length === 0);
    expect(lists.length).toBeGreaterThan(2);
    for (const r of lists) {
      const token = r.auth === 'device' ? aDeviceToken : a.accessToken;
      const res = await s.api('get', `${r.path}${exampleQuery(r, doc)}`, { token });
      expect(res.status, r.path).toBe(200);
      for (const id of [...Object.values(bIds), b.userId, ...bSynced])
        expect(res.text, `${r.path} leaks ${id}`).not.toContain(id);
    }
    const mine = await s.api('get', `/v1/tenants/${a.tenantId}/devices`, { token: a.accessToken });
    expect(mine.text).not.toContain(bIds.deviceId);
  });

  it("never shows B's synced rows in A's pull or snapshot (control: B's own do)", async () => {
    for (const route of ['pull', 'snapshot']) {
      const read = (token: string) => s.api('get', `/v1/sync/${route}?stream=content`, { token });
      const [mine, theirs] = await Promise.all([read(aDeviceToken), read(bDeviceToken)]);
      expect(mine.status, route).toBe(200);
      expect(theirs.status, route).toBe(200);
      for (const value of bSynced) {
        expect(mine.text, `A's ${route} leaks ${value}`).not.toContain(value);
        expect(theirs.text, `B's ${route} lacks ${value}`).toContain(value);
      }
    }
  });

  it("control: B's own token on the same ids is not answered 404", async () => {
    const doc = buildOpenApi(s.app.routes) as Record<string, unknown>;
    const own = casesFor(s.app.routes)
      .filter((c) => !c.name.includes("A's tenant"))
      // Revoking B's own session ends B's token: run it last.
      .sort(
        (x, y) => Number(x.path.includes('/sessions/')) - Number(y.path.includes('/sessions/')),
      );
    for (const c of own) {
      const res = await s.api(c.route.method, c.path, {
        token: b.accessToken,
        body: exampleBody(c.route, doc),
      });
      // 404 no_such_account (add member: the example e-mail has no account) still proves the tenant resolved.
      expect(
        (res.json.error as { code?: string } | undefined)?.code,
        `${c.name}: ${res.text}`,
      ).not.toBe('not_found');
      expect(res.status, `${c.name}: ${res.text}`).toBeLessThan(500);
    }
  });
});
