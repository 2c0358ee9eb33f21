import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { Config } from '../config';
import { AppError } from '../http/errors';

/**
 * Counts attempts per client IP and per account key *before* any password hashing, so a flood of
 * guesses costs the server a map lookup, not an argon2 run. A successful login clears the account
 * counter. In-memory: each replica counts on its own.
 */
export interface LoginThrottle {
  /** Throws 429 when either the IP or the account has no attempts left in the window. */
  take(ip: string, accountKey: string): Promise<void>;
  /** Per-IP only: for sign-up, which has no account yet. */
  takeIp(ip: string): Promise<void>;
  clearAccount(accountKey: string): Promise<void>;
}

export function createLoginThrottle(limits: Config['loginThrottle']): LoginThrottle {
  const perIp = new RateLimiterMemory({
    points: limits.perIp,
    duration: limits.windowSeconds,
    keyPrefix: 'ip',
  });
  const perAccount = new RateLimiterMemory({
    points: limits.perAccount,
    duration: limits.windowSeconds,
    keyPrefix: 'acct',
  });

  const tooMany = (res: unknown) => {
    const seconds =
      res instanceof RateLimiterRes ? Math.max(1, Math.ceil(res.msBeforeNext / 1000)) : 60;
    return new AppError(429, 'too_many_attempts', 'Too many attempts; try again later.', {
      'Retry-After': String(seconds),
    });
  };

  return {
    take: async (ip, accountKey) => {
      try {
        await perIp.consume(ip);
        await perAccount.consume(accountKey);
      } catch (res) {
        if (res instanceof RateLimiterRes) throw tooMany(res);
        throw res;
      }
    },
    takeIp: async (ip) => {
      try {
        await perIp.consume(ip);
      } catch (res) {
        if (res instanceof RateLimiterRes) throw tooMany(res);
        throw res;
      }
    },
    clearAccount: async (accountKey) => {
      await perAccount.delete(accountKey);
    },
  };
}
