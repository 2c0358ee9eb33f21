import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config';
import { signup } from './helpers/server';
import { serverForFile } from './helpers/server-for-file';
import { adminQuery } from './helpers/test-db';

const { t, s } = serverForFile();

describe('bodies: oversized and malformed input never reaches a 500', () => {
  const cases: [string, { raw: string; headers?: Record<string, string> }, number, string][] = [
    [
      'oversized JSON',
      { raw: JSON.stringify({ email: 'a@b.co', password: 'x'.repeat(70_000) }) },
      413,
      'payload_too_large',
    ],
    ['truncated JSON', { raw: '{"email": "a@b.co", "pass' }, 400, 'malformed_json'],
    ['not JSON', { raw: 'hello' }, 400, 'malformed_json'],
    ['JSON scalar', { raw: '"just a string"' }, 400, 'malformed_json'],
    ['JSON null', { raw: 'null' }, 400, 'malformed_json'],
    ['array instead of object', { raw: '[1,2,3]' }, 400, 'invalid_request'],
    [
      'wrong types',
      { raw: JSON.stringify({ email: 42, password: ['x'] }) },
      400,
      'invalid_request',
    ],
    [
      'unknown field',
      { raw: JSON.stringify({ email: 'a@b.co', password: 'long enough pw', admin: true }) },
      400,
      'invalid_request',
    ],
    [
      'deeply nested',
      { raw: `${'['.repeat(30_000)}${']'.repeat(30_000)}` },
      400,
      'invalid_request',
    ],
    [
      'deeply nested objects',
      { raw: `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}` },
      400,
      'invalid_request',
    ],
    [
      'text/plain body',
      { raw: 'email=a', headers: { 'content-type': 'text/plain' } },
      400,
      'invalid_request',
    ],
    [
      'unsupported charset',
      { raw: '{}', headers: { 'content-type': 'application/json; charset=iso-8859-1' } },
      415,
      'unsupported_encoding',
    ],
  ];
  it.each(cases)('%s', async (_name, input, status, code) => {
    const res = await s.api('post', '/v1/auth/login', input);
    expect(res.status).toBe(status);
    expect(res.json).toEqual({ error: { code, message: expect.any(String) } });
  });

  it('rejects bad bodies on authenticated routes the same way', async () => {
    const a = await signup(s, 'bodies');
    const path = `/v1/tenants/${a.tenantId}/devices`;
    // JSON parsing precedes authentication; a well-formed body without a token is 401.
    expect((await s.api('post', path, { raw: '{"name": ' })).status).toBe(400);
    expect((await s.api('post', path, { body: { name: 'x' } })).status).toBe(401);
    expect((await s.api('post', path, { token: a.accessToken, raw: '{"name": ' })).status).toBe(
      400,
    );
    expect(
      (await s.api('post', path, { token: a.accessToken, body: { name: 'x'.repeat(201) } })).status,
    ).toBe(400);
    expect(
      (
        await s.api('post', path, {
          token: a.accessToken,
          raw: JSON.stringify({ name: 'x'.repeat(80_000) }),
        })
      ).status,
    ).toBe(413);
  });

  it('answers unknown routes and malformed ids with the error shape, 404', async () => {
    const a = await signup(s, 'ids');
    for (const path of [
      '/nope',
      '/v1/tenants/not-a-uuid',
      `/v1/tenants/${a.tenantId}/devices/123`,
    ]) {
      const res = await s.api('get', path, { token: a.accessToken });
      expect(res.status, path).toBe(404);
      expect(res.json).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
    }
  });

  it('answers garbage bodies on every route of the route table with 4xx, never 500', async () => {
    const a = await signup(s, 'fuzz');
    const device = await s.api('post', `/v1/tenants/${a.tenantId}/devices`, {
      token: a.accessToken,
      body: { name: 'fuzz laptop' },
    });
    const deviceToken = String(device.json.deviceToken);
    const bodies = [
      { raw: '[]' },
      { raw: '{}' },
      { raw: '{"name": null, "email": 7, "role": {"x": 1}}' },
      { raw: `{"password": "${'p'.repeat(300)}"}` },
      { raw: '{' },
      { raw: JSON.stringify({ name: 'n'.repeat(70_000) }) },
      { raw: '{"__proto__": {"admin": true}, "constructor": {"prototype": {}}}' },
    ];
    const failures: string[] = [];
    const withBody = s.app.routes.filter((r) => r.body !== undefined);
    expect(withBody.length).toBeGreaterThan(5);
    for (const route of withBody) {
      const path = route.path.replace(/\{(\w+)\}/g, (_m, p: string) =>
        p === 'tenantId' ? a.tenantId : crypto.randomUUID(),
      );
      for (const body of bodies) {
        const token = route.auth === 'device' ? deviceToken : a.accessToken;
        const res = await s.api(route.method, path, { ...body, token });
        // 401 would mean the body was never looked at: the token must stay valid throughout.
        const bad = res.status >= 500 || res.status === 401 || !res.json.error;
        if (bad) {
          failures.push(`${route.method} ${route.path} ${body.raw.slice(0, 20)}: ${res.status}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('answers a malformed percent-escape in the path with 400, not 500', async () => {
    for (const path of ['/v1/tenants/%E0%A4%A', '/v1/auth/sessions/%ZZ']) {
      const res = await s.api('get', path);
      expect(res.status, path).toBe(400);
      expect(res.json).toEqual({ error: { code: 'bad_request', message: expect.any(String) } });
    }
  });

  it('refuses a NUL character in tenant and device names with 400, not 500', async () => {
    const a = await signup(s, 'nul');
    const name = 'studio\u0000name';
    const attempts = [
      s.api('post', '/v1/auth/signup', {
        body: {
          email: 'nul-name@example.com',
          password: 'a long enough password',
          tenantName: name,
        },
      }),
      s.api('post', '/v1/tenants', { token: a.accessToken, body: { name } }),
      s.api('patch', `/v1/tenants/${a.tenantId}`, { token: a.accessToken, body: { name } }),
      s.api('post', `/v1/tenants/${a.tenantId}/devices`, { token: a.accessToken, body: { name } }),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.status).toBe(400);
      expect(res.json).toEqual({
        error: { code: 'invalid_request', message: expect.stringContaining('NUL') },
      });
    }
  });
});

describe('operations endpoints', () => {
  it('healthz answers; readyz follows the schema state', async () => {
    expect((await s.api('get', '/healthz')).json).toEqual({ status: 'ok' });
    expect((await s.api('get', '/readyz')).status).toBe(200);
    const saved = await adminQuery(
      'DELETE FROM schema_migrations WHERE version = 2 RETURNING *',
      [],
      t.adminUrl,
    );
    try {
      const res = await s.api('get', '/readyz');
      expect(res.status).toBe(503);
      expect(res.json).toMatchObject({ error: { code: 'not_ready' } });
    } finally {
      const row = saved.rows[0];
      await adminQuery(
        'INSERT INTO schema_migrations VALUES ($1, $2, $3, $4)',
        [row.version, row.name, row.checksum, row.applied_at],
        t.adminUrl,
      );
    }
    expect((await s.api('get', '/readyz')).status).toBe(200);
  });

  it('serves an OpenAPI 3.1 document listing every route, and a self-contained docs page', async () => {
    const res = await s.api('get', '/openapi.json');
    expect(res.json.openapi).toBe('3.1.0');
    const paths = res.json.paths as Record<string, Record<string, unknown>>;
    for (const r of s.app.routes)
      expect(paths[r.path]?.[r.method], `${r.method} ${r.path}`).toBeDefined();
    const docs = await s.api('get', '/docs');
    expect(docs.status).toBe(200);
    expect(docs.headers.get('content-type')).toContain('text/html');
    expect(docs.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(docs.text).not.toMatch(/<script|https?:\/\/(?!127)/);
    for (const r of s.app.routes) expect(docs.text).toContain(r.path);
  });
});

describe('request ids and logs', () => {
  it('returns a request id, logs it, and never logs passwords, tokens or bodies', async () => {
    s.logs.length = 0;
    const password = 'very secret password 123';
    const a = await signup(s, 'logs', password);
    const login = await s.api('post', '/v1/auth/login', {
      body: { email: a.email, password },
      headers: { 'x-request-id': 'req-test-0001' },
    });
    expect(login.headers.get('x-request-id')).toBe('req-test-0001');
    const refresh = await s.api('post', '/v1/auth/refresh', {
      body: { refreshToken: String(login.json.refreshToken) },
    });
    await s.api('post', '/v1/auth/refresh', {
      body: { refreshToken: String(login.json.refreshToken) },
    });
    await s.api('get', '/v1/me', { token: String(refresh.json.accessToken) });
    await s.api('post', '/v1/auth/login', {
      body: { email: a.email, password: 'wrong password here' },
    });
    const text = s.logs.join('');
    expect(text).toContain('"requestId":"req-test-0001"');
    expect(text).toContain('refresh_reuse');
    for (const secret of [
      password,
      'wrong password here',
      a.accessToken,
      a.refreshToken,
      String(login.json.refreshToken),
      String(refresh.json.accessToken),
      a.email,
    ]) {
      expect(text).not.toContain(secret);
    }
  });
});

describe('configuration', () => {
  it('names every invalid variable without echoing secrets', () => {
    let error: unknown;
    try {
      loadConfig({
        DATABASE_URL: 'mysql://x',
        JWT_SECRET: 'short-secret',
        ARGON2_MEMORY_KIB: '1024',
        PORT: 'abc',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    for (const name of ['DATABASE_URL', 'JWT_SECRET', 'ARGON2_MEMORY_KIB', 'PORT'])
      expect(message).toContain(name);
    expect(message).not.toContain('short-secret');
  });

  it('applies safe defaults', () => {
    const c = loadConfig({
      DATABASE_URL: 'postgres://app@localhost/db',
      JWT_SECRET: 'x'.repeat(32),
    });
    expect(c.argon2).toEqual({ memoryKiB: 19456, timeCost: 2, parallelism: 1 });
    expect(c.jwt.accessTtlSeconds).toBeLessThanOrEqual(900);
  });
});
