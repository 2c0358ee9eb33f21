import { createHash } from 'node:crypto';
import { RateLimiterRes } from 'rate-limiter-flexible';
import type { Config } from '../config';
import type { AttemptCounter, CounterOptions } from '../db/db';
import { AppError } from '../http/errors';

/**
 * Counts attempts per client IP and per account key *before* any password hashing, so a flood of
 * guesses costs the server one counter update, not an argon2 run. A successful login clears the
 * account counter. Counters live in PostgreSQL, shared by all replicas.
 */
export interface LoginThrottle {
  /** Throws 429 when either the IP or the account has no attempts left in the window. */
  take(ip: string, accountKey: string): Promise<void>;
  /** Per-IP only: for sign-up, which has no account yet. */
  takeIp(ip: string): Promise<void>;
  clearAccount(accountKey: string): Promise<void>;
}

// Counter keys are digests: the attempts table never holds e-mail addresses or IPs.
const digest = (key: string) => createHash('sha256').update(key).digest('base64url');

export function createLoginThrottle(
  limits: Config['loginThrottle'],
  counter: (options: CounterOptions) => AttemptCounter,
): LoginThrottle {
  const window = limits.windowSeconds;
  const perIp = counter({ keyPrefix: 'ip', points: limits.perIp, durationSeconds: window });
  const perAccount = counter({
    keyPrefix: 'acct',
    points: limits.perAccount,
    durationSeconds: window,
  });

  const consume = async (limiter: AttemptCounter, key: string) => {
    try {
      await limiter.consume(digest(key));
    } catch (res) {
      if (!(res instanceof RateLimiterRes)) throw res;
      const seconds = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
      throw new AppError(429, 'too_many_attempts', 'Too many attempts; try again later.', {
        'Retry-After': String(seconds),
      });
    }
  };

  return {
    take: async (ip, accountKey) => {
      await consume(perIp, ip);
      await consume(perAccount, accountKey);
    },
    takeIp: (ip) => consume(perIp, ip),
    clearAccount: async (accountKey) => {
      await perAccount.delete(digest(accountKey));
    },
  };
}
