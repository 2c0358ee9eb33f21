import type pg from 'pg';
import { RateLimiterMemory, RateLimiterPostgres } from 'rate-limiter-flexible';

export interface CounterOptions {
  keyPrefix: string;
  points: number;
  durationSeconds: number;
}

/** What the login throttle needs from a counter store (rate-limiter-flexible's limiters). */
export type AttemptCounter = Pick<RateLimiterMemory, 'consume' | 'delete'>;

/**
 * Attempt counters in PostgreSQL, so every replica sees the same counts. If the database cannot
 * answer, counting falls back to process memory rather than letting attempts through uncounted.
 */
export function createAttemptCounter(pool: pg.Pool, o: CounterOptions): AttemptCounter {
  const memory = new RateLimiterMemory({
    keyPrefix: o.keyPrefix,
    points: o.points,
    duration: o.durationSeconds,
  });
  return new RateLimiterPostgres({
    storeClient: pool,
    storeType: 'pool',
    tableName: 'login_attempts',
    tableCreated: true,
    keyPrefix: o.keyPrefix,
    points: o.points,
    duration: o.durationSeconds,
    insuranceLimiter: memory,
  });
}
