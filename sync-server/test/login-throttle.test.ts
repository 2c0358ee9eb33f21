import { describe, expect, it } from 'vitest';
import { HashGate } from '../src/auth/hash-gate';
import { AppError } from '../src/http/errors';
import { countHashing, signup, startServer } from './helpers/server';
import { serverForFile } from './helpers/server-for-file';
import { adminQuery } from './helpers/test-db';

const { t, s } = serverForFile({ env: { LOGIN_MAX_PER_ACCOUNT: '5', LOGIN_MAX_PER_IP: '500' } });

describe('login throttling', () => {
  it('refuses further attempts on one account before any hashing', async () => {
    const a = await signup(s, 'throttle');
    const counter = countHashing(s);
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
