import argon2 from 'argon2';
import { describe, expect, it } from 'vitest';
import { parsePhc } from '../src/auth/passwords';
import { countHashing, signup } from './helpers/server';
import { serverForFile } from './helpers/server-for-file';
import { adminQuery } from './helpers/test-db';

const { t, s } = serverForFile({ env: { LOGIN_MAX_PER_ACCOUNT: '5', LOGIN_MAX_PER_IP: '500' } });

const storedHash = async (userId: string) =>
  String(
    (await adminQuery('SELECT password_hash FROM users WHERE id = $1', [userId], t.adminUrl))
      .rows[0]?.password_hash,
  );

describe('passwords', () => {
  it('stores argon2id in PHC form at or above the OWASP minimum', async () => {
    const a = await signup(s, 'phc');
    const phc = parsePhc(await storedHash(a.userId));
    expect(phc).toEqual({
      type: 'argon2id',
      version: 19,
      memoryKiB: 19456,
      timeCost: 2,
      parallelism: 1,
    });
  });

  it('rehashes a weaker stored hash on the next successful login', async () => {
    const a = await signup(s, 'rehash');
    const weak = await argon2.hash(a.password, {
      type: argon2.argon2i,
      memoryCost: 4096,
      timeCost: 1,
      parallelism: 1,
    });
    await adminQuery(
      'UPDATE users SET password_hash = $2 WHERE id = $1',
      [a.userId, weak],
      t.adminUrl,
    );
    const res = await s.api('post', '/v1/auth/login', {
      body: { email: a.email, password: a.password },
    });
    expect(res.status).toBe(200);
    const after = await storedHash(a.userId);
    expect(after).not.toBe(weak);
    expect(parsePhc(after)).toMatchObject({ type: 'argon2id', memoryKiB: 19456, timeCost: 2 });
    expect(await argon2.verify(after, a.password)).toBe(true);
  });

  it('enforces password length limits on sign-up and change', async () => {
    const short = await s.api('post', '/v1/auth/signup', {
      body: { email: 'short@example.com', password: 'x'.repeat(9), tenantName: 'S' },
    });
    expect(short.status).toBe(400);
    const long = await s.api('post', '/v1/auth/signup', {
      body: { email: 'long@example.com', password: 'x'.repeat(257), tenantName: 'S' },
    });
    expect(long.status).toBe(400);
    expect(long.json).toEqual({
      error: { code: 'invalid_request', message: expect.stringContaining('password') },
    });
  });

  it('answers an unknown account and a wrong password identically, and hashes in both cases', async () => {
    const a = await signup(s, 'same');
    const counter = countHashing(s);
    try {
      const wrong = await s.api('post', '/v1/auth/login', {
        body: { email: a.email, password: 'wrong password!' },
      });
      const unknown = await s.api('post', '/v1/auth/login', {
        body: { email: `nobody-${Date.now()}@example.com`, password: 'wrong password!' },
      });
      expect(wrong.status).toBe(401);
      expect(unknown.status).toBe(wrong.status);
      expect(unknown.text).toBe(wrong.text);
      expect(counter.calls).toBe(2);
    } finally {
      counter.restore();
    }
  });
});

describe('sessions and refresh tokens', () => {
  it('rotates refresh tokens; reusing an old one revokes the whole family', async () => {
    const a = await signup(s, 'rotate');
    const r1 = await s.api('post', '/v1/auth/refresh', { body: { refreshToken: a.refreshToken } });
    expect(r1.status).toBe(200);
    const t1 = r1.json as { accessToken: string; refreshToken: string };
    expect(t1.refreshToken).not.toBe(a.refreshToken);
    const r2 = await s.api('post', '/v1/auth/refresh', { body: { refreshToken: t1.refreshToken } });
    expect(r2.status).toBe(200);
    const t2 = r2.json as { accessToken: string; refreshToken: string };
    expect((await s.api('get', '/v1/me', { token: t2.accessToken })).status).toBe(200);

    const reuse = await s.api('post', '/v1/auth/refresh', {
      body: { refreshToken: a.refreshToken },
    });
    expect(reuse.status).toBe(401);
    expect(reuse.json).toMatchObject({ error: { code: 'refresh_reused' } });
    // The newest tokens of the family are dead too.
    expect(
      (await s.api('post', '/v1/auth/refresh', { body: { refreshToken: t2.refreshToken } })).status,
    ).toBe(401);
    expect((await s.api('get', '/v1/me', { token: t2.accessToken })).status).toBe(401);
    // Another session of the same user is untouched.
    const login = await s.api('post', '/v1/auth/login', {
      body: { email: a.email, password: a.password },
    });
    expect((await s.api('get', '/v1/me', { token: String(login.json.accessToken) })).status).toBe(
      200,
    );
  });

  it('concurrent use of one refresh token yields at most one new pair and revokes the family', async () => {
    const a = await signup(s, 'race');
    const results = await Promise.all(
      [1, 2, 3].map(() =>
        s.api('post', '/v1/auth/refresh', { body: { refreshToken: a.refreshToken } }),
      ),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    const winner = results.find((r) => r.status === 200);
    expect((await s.api('get', '/v1/me', { token: String(winner?.json.accessToken) })).status).toBe(
      401,
    );
  });

  it('logout, session listing and revocation take effect at once', async () => {
    const a = await signup(s, 'sessions');
    const second = await s.api('post', '/v1/auth/login', {
      body: { email: a.email, password: a.password },
    });
    const token2 = String(second.json.accessToken);
    const list = await s.api('get', '/v1/auth/sessions', { token: a.accessToken });
    const sessions = (list.json as { sessions: { id: string; current: boolean }[] }).sessions;
    expect(sessions).toHaveLength(2);
    const other = sessions.find((x) => !x.current);
    expect(
      (await s.api('delete', `/v1/auth/sessions/${other?.id}`, { token: a.accessToken })).status,
    ).toBe(204);
    expect((await s.api('get', '/v1/me', { token: token2 })).status).toBe(401);
    expect(
      (
        await s.api('post', '/v1/auth/refresh', {
          body: { refreshToken: String(second.json.refreshToken) },
        })
      ).status,
    ).toBe(401);
    expect((await s.api('post', '/v1/auth/logout', { token: a.accessToken })).status).toBe(204);
    expect((await s.api('get', '/v1/me', { token: a.accessToken })).status).toBe(401);
    expect(
      (await s.api('post', '/v1/auth/refresh', { body: { refreshToken: a.refreshToken } })).status,
    ).toBe(401);
  });

  it('changing the password needs the current one and revokes other sessions', async () => {
    const a = await signup(s, 'change');
    const second = await s.api('post', '/v1/auth/login', {
      body: { email: a.email, password: a.password },
    });
    const bad = await s.api('post', '/v1/auth/password', {
      token: a.accessToken,
      body: { currentPassword: 'not the password', newPassword: 'a brand new passphrase' },
    });
    expect(bad.status).toBe(401);
    const ok = await s.api('post', '/v1/auth/password', {
      token: a.accessToken,
      body: { currentPassword: a.password, newPassword: 'a brand new passphrase' },
    });
    expect(ok.status).toBe(204);
    expect((await s.api('get', '/v1/me', { token: a.accessToken })).status).toBe(200);
    expect((await s.api('get', '/v1/me', { token: String(second.json.accessToken) })).status).toBe(
      401,
    );
    const oldPw = await s.api('post', '/v1/auth/login', {
      body: { email: a.email, password: a.password },
    });
    expect(oldPw.status).toBe(401);
    const newPw = await s.api('post', '/v1/auth/login', {
      body: { email: a.email, password: 'a brand new passphrase' },
    });
    expect(newPw.status).toBe(200);
  });

  it('rejects a duplicate sign-up with 409 and normalises e-mail case', async () => {
    const a = await signup(s, 'dup');
    const again = await s.api('post', '/v1/auth/signup', {
      body: { email: a.email.toUpperCase(), password: 'another long password', tenantName: 'x' },
    });
    expect(again.status).toBe(409);
    expect(again.json).toMatchObject({ error: { code: 'email_taken' } });
  });
});
