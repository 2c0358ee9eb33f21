import argon2 from 'argon2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HashGate } from '../src/auth/hash-gate';
import { parsePhc } from '../src/auth/passwords';
import { AppError } from '../src/http/errors';
import { signup, startServer, type TestServer } from './helpers/server';
import { adminQuery, createTestDatabase, type TestDatabase } from './helpers/test-db';

let t: TestDatabase;
let s: TestServer;
beforeAll(async () => {
  t = await createTestDatabase();
  s = await startServer(t.appUrl, { env: { LOGIN_MAX_PER_ACCOUNT: '5', LOGIN_MAX_PER_IP: '500' } });
});
afterAll(async () => {
  await s?.close();
  await t?.drop();
});

const storedHash = async (userId: string) =>
  String(
    (await adminQuery('SELECT password_hash FROM users WHERE id = $1', [userId], t.adminUrl))
      .rows[0]?.password_hash,
  );

/** Counts argon2 work done through the app's hasher. */
function countHashing(): { calls: number; restore(): void } {
  const passwords = s.app.auth.passwords;
  const original = { hash: passwords.hash, verify: passwords.verify };
  const counter = {
    calls: 0,
    restore: () => Object.assign(passwords, original),
  };
  passwords.hash = (p) => {
    counter.calls += 1;
    return original.hash(p);
  };
  passwords.verify = (h, p) => {
    counter.calls += 1;
    return original.verify(h, p);
  };
  return counter;
}

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
    const counter = countHashing();
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

describe('login throttling', () => {
  it('refuses further attempts on one account before any hashing', async () => {
    const a = await signup(s, 'throttle');
    const counter = countHashing();
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 8; i += 1) {
        const r = await s.api('post', '/v1/auth/login', {
          body: { email: a.email, password: `wrong ${i} password` },
        });
        statuses.push(r.status);
        if (r.status === 429) expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
      }
      expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
      expect(counter.calls).toBe(5);
      // Even the right password is refused while throttled, still without hashing.
      const right = await s.api('post', '/v1/auth/login', {
        body: { email: a.email, password: a.password },
      });
      expect(right.status).toBe(429);
      expect(counter.calls).toBe(5);
    } finally {
      counter.restore();
    }
  });

  it('shares the account counter across replicas and stores no raw e-mail', async () => {
    const a = await signup(s, 'replicas');
    const replica = await startServer(t.appUrl, {
      env: { LOGIN_MAX_PER_ACCOUNT: '5', LOGIN_MAX_PER_IP: '500' },
    });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 7; i += 1) {
        const server = i % 2 === 0 ? s : replica;
        const r = await server.api('post', '/v1/auth/login', {
          body: { email: a.email, password: `wrong ${i} password` },
        });
        statuses.push(r.status);
      }
      expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
      const keys = await adminQuery('SELECT key FROM login_attempts', [], t.adminUrl);
      expect(keys.rows.length).toBeGreaterThan(0);
      expect(JSON.stringify(keys.rows)).not.toContain(a.email);
      expect(JSON.stringify(keys.rows)).not.toContain('127.0.0.1');
    } finally {
      await replica.close();
    }
  });

  it('throttles one IP across many accounts', async () => {
    // Counters are shared through the database: start this IP from zero.
    await adminQuery('DELETE FROM login_attempts', [], t.adminUrl);
    const other = await startServer(t.appUrl, {
      env: { LOGIN_MAX_PER_ACCOUNT: '100', LOGIN_MAX_PER_IP: '3' },
    });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i += 1) {
        const r = await other.api('post', '/v1/auth/login', {
          body: { email: `ip-${i}@example.com`, password: 'whatever password' },
        });
        statuses.push(r.status);
      }
      expect(statuses).toEqual([401, 401, 401, 429, 429]);
    } finally {
      await other.close();
    }
  });

  it('bounds concurrent hashing', async () => {
    const gate = s.app.auth.passwords.gate;
    let peak = 0;
    const timer = setInterval(() => {
      peak = Math.max(peak, gate.inFlight);
    }, 1);
    try {
      await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          s.api('post', '/v1/auth/login', {
            body: { email: `gate-${i}@example.com`, password: 'whatever password' },
          }),
        ),
      );
    } finally {
      clearInterval(timer);
    }
    expect(peak).toBeGreaterThan(0);
    expect(peak).toBeLessThanOrEqual(s.config.hashing.concurrency);
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

describe('hash gate', () => {
  it('runs at most `concurrency` jobs, queues up to `queueMax`, refuses the rest with 503', async () => {
    const gate = new HashGate(2, 1);
    let running = 0;
    let peak = 0;
    const releases: (() => void)[] = [];
    const job = () =>
      gate.run(async () => {
        running += 1;
        peak = Math.max(peak, running);
        await new Promise<void>((resolve) => releases.push(resolve));
        running -= 1;
      });
    const first = [job(), job(), job()];
    const refused = await job().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({ status: 503, code: 'busy' });
    await new Promise((r) => setTimeout(r, 5));
    expect(running).toBe(2);
    while (releases.length > 0 || running > 0) {
      releases.shift()?.();
      await new Promise((r) => setTimeout(r, 1));
    }
    await Promise.all(first);
    expect(peak).toBe(2);
    expect(gate.inFlight).toBe(0);
  });
});
