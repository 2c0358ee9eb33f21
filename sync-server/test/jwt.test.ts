import { base64url, decodeJwt, SignJWT, UnsecuredJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT_AUDIENCE, createTokenService, DEVICE_AUDIENCE } from '../src/auth/tokens';
import { VerifiedTokenCache } from '../src/auth/verified-cache';
import { signup, TEST_JWT_SECRET } from './helpers/server';
import { serverForFile } from './helpers/server-for-file';

const { s } = serverForFile();
let account: Awaited<ReturnType<typeof signup>>;
let deviceToken: string;
let deviceId: string;

const key = new TextEncoder().encode(TEST_JWT_SECRET);

beforeAll(async () => {
  account = await signup(s, 'jwt');
  const reg = await s.api('post', `/v1/tenants/${account.tenantId}/devices`, {
    token: account.accessToken,
    body: { name: 'laptop' },
  });
  deviceToken = String(reg.json.deviceToken);
  deviceId = String((reg.json.device as { id: string }).id);
});
/** A token with the same claims as a real access token, re-signed with the given changes. */
async function forge(opts: {
  alg?: string;
  aud?: string;
  iss?: string;
  expOffset?: number;
  secret?: Uint8Array;
  drop?: string;
}) {
  const claims = decodeJwt(account.accessToken);
  const now = Math.floor(Date.now() / 1000);
  const payload: Record<string, unknown> = {
    ...claims,
    aud: opts.aud ?? claims.aud,
    iss: opts.iss ?? claims.iss,
  };
  payload.exp = now + (opts.expOffset ?? 300);
  if (opts.drop) delete payload[opts.drop];
  return new SignJWT(payload)
    .setProtectedHeader({ alg: opts.alg ?? 'HS256' })
    .sign(opts.secret ?? key);
}

const me = (token: string) => s.api('get', '/v1/me', { token });

describe('JWT matrix on an account route', () => {
  it('accepts the genuine token and a faithful re-signing (the control)', async () => {
    expect((await me(account.accessToken)).status).toBe(200);
    expect((await me(await forge({}))).status).toBe(200);
  });

  it.each([
    ['alg none', async () => new UnsecuredJWT(decodeJwt(account.accessToken)).encode()],
    [
      'alg none with a signature part',
      async () => {
        const [, body, sig] = account.accessToken.split('.');
        return `${base64url.encode(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${body}.${sig}`;
      },
    ],
    ['wrong alg (HS512, same secret)', () => forge({ alg: 'HS512' })],
    ['wrong alg (HS384, same secret)', () => forge({ alg: 'HS384' })],
    ['wrong audience (device)', () => forge({ aud: DEVICE_AUDIENCE })],
    ['wrong audience (other)', () => forge({ aud: 'someone-else' })],
    ['wrong issuer', () => forge({ iss: 'evil' })],
    ['expired', () => forge({ expOffset: -60 })],
    ['no exp', () => forge({ drop: 'exp' })],
    ['no aud', () => forge({ drop: 'aud' })],
    ['no iss', () => forge({ drop: 'iss' })],
    ['wrong secret', () => forge({ secret: new TextEncoder().encode('x'.repeat(48)) })],
    [
      'tampered payload',
      async () => {
        const [head, , sig] = account.accessToken.split('.');
        const claims = { ...decodeJwt(account.accessToken), sub: crypto.randomUUID() };
        return `${head}.${base64url.encode(JSON.stringify(claims))}.${sig}`;
      },
    ],
    ['tampered signature', async () => `${account.accessToken.slice(0, -4)}AAAA`],
    ['oversized', async () => forge({}).then((tok) => `${tok}${'A'.repeat(6000)}`)],
    ['garbage', async () => 'not-a-jwt'],
  ])('rejects %s with 401', async (_name, make) => {
    const res = await me(await make());
    expect(res.status).toBe(401);
    expect(res.json).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
  });

  it('rejects a missing or non-bearer Authorization header', async () => {
    expect((await s.api('get', '/v1/me')).status).toBe(401);
    const basic = await s.api('get', '/v1/me', {
      headers: { authorization: `Basic ${account.accessToken}` },
    });
    expect(basic.status).toBe(401);
    // The scheme name is case-insensitive (RFC 9110).
    const lower = await s.api('get', '/v1/me', {
      headers: { authorization: `bearer ${account.accessToken}` },
    });
    expect(lower.status).toBe(200);
  });

  it('expires access tokens after the configured TTL', async () => {
    const fresh = await s.api('post', '/v1/auth/login', {
      body: { email: account.email, password: account.password },
    });
    const token = String(fresh.json.accessToken);
    expect(decodeJwt(token).exp).toBe(Number(decodeJwt(token).iat) + s.config.jwt.accessTtlSeconds);
    expect((await me(token)).status).toBe(200);
    s.clock.advance((s.config.jwt.accessTtlSeconds + 10) * 1000);
    try {
      expect((await me(token)).status).toBe(401);
    } finally {
      s.clock.advance(-(s.config.jwt.accessTtlSeconds + 10) * 1000);
    }
  });
});

describe('device tokens and account tokens do not cross', () => {
  it('reports the access token expiry from the token itself, even when the clock moves on', async () => {
    // Each reading of this clock is one second later than the last.
    let readings = 0;
    const ticking = { now: () => new Date(Date.UTC(2030, 0, 1) + 1000 * readings++) };
    const tokens = createTokenService(s.config.jwt, ticking);
    const { token, expiresAt } = await tokens.signAccess(account.userId, crypto.randomUUID());
    expect(expiresAt.getTime()).toBe((decodeJwt(token).exp ?? 0) * 1000);
  });

  it('a device token works on the device route and on no account route', async () => {
    expect(decodeJwt(deviceToken).aud).toBe(DEVICE_AUDIENCE);
    const self = await s.api('get', '/v1/device', { token: deviceToken });
    expect(self.status).toBe(200);
    expect((self.json.device as { id: string }).id).toBe(deviceId);
    for (const [method, path] of [
      ['get', '/v1/me'],
      ['get', '/v1/auth/sessions'],
      ['get', '/v1/tenants'],
      ['get', `/v1/tenants/${account.tenantId}/devices`],
      ['post', '/v1/auth/logout'],
    ] as const) {
      expect((await s.api(method, path, { token: deviceToken })).status, `${method} ${path}`).toBe(
        401,
      );
    }
  });

  it('an account token does not work on the device route', async () => {
    expect(decodeJwt(account.accessToken).aud).toBe(ACCOUNT_AUDIENCE);
    expect((await s.api('get', '/v1/device', { token: account.accessToken })).status).toBe(401);
  });

  it('a revoked device token stops working at once; others keep working', async () => {
    const reg = await s.api('post', `/v1/tenants/${account.tenantId}/devices`, {
      token: account.accessToken,
      body: { name: 'second' },
    });
    const token2 = String(reg.json.deviceToken);
    const id2 = String((reg.json.device as { id: string }).id);
    expect((await s.api('get', '/v1/device', { token: token2 })).status).toBe(200);
    const del = await s.api('delete', `/v1/tenants/${account.tenantId}/devices/${id2}`, {
      token: account.accessToken,
    });
    expect(del.status).toBe(204);
    expect((await s.api('get', '/v1/device', { token: token2 })).status).toBe(401);
    expect((await s.api('get', '/v1/device', { token: deviceToken })).status).toBe(200);
    const list = await s.api('get', `/v1/tenants/${account.tenantId}/devices`, {
      token: account.accessToken,
    });
    const devices = (list.json as { devices: { id: string; revoked: boolean }[] }).devices;
    expect(devices.find((d) => d.id === id2)?.revoked).toBe(true);
  });
});

describe('verified-token cache', () => {
  it('forgets entries at their expiry or max age and stays bounded', () => {
    const cache = new VerifiedTokenCache<string>(2, 1000);
    cache.set('a', 'A', 10_000, 0);
    expect(cache.get('a', 999)).toBe('A');
    expect(cache.get('a', 1000)).toBeUndefined();
    cache.set('b', 'B', 500, 0);
    expect(cache.get('b', 499)).toBe('B');
    expect(cache.get('b', 500)).toBeUndefined();
    cache.set('c', 'C', 5000, 0);
    cache.set('d', 'D', 5000, 0);
    cache.set('e', 'E', 5000, 0);
    expect(cache.size).toBe(2);
    expect(cache.get('c', 1)).toBeUndefined();
    expect(cache.get('e', 1)).toBe('E');
  });
});
