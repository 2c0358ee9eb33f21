import { randomBytes } from 'node:crypto';
import argon2 from 'argon2';
import type { Config } from '../config';
import { HashGate } from './hash-gate';

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 256;

export interface Argon2Params {
  memoryKiB: number;
  timeCost: number;
  parallelism: number;
}

/** Reads m, t, p from a PHC string such as `$argon2id$v=19$m=19456,t=2,p=1$salt$hash`. */
export function parsePhc(
  hash: string,
): ({ type: string; version: number } & Argon2Params) | undefined {
  const match = /^\$(argon2(?:id|i|d))\$v=(\d+)\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(hash);
  if (!match) return undefined;
  return {
    type: match[1] ?? '',
    version: Number(match[2]),
    memoryKiB: Number(match[3]),
    timeCost: Number(match[4]),
    parallelism: Number(match[5]),
  };
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** Verifies against the stored hash, or against a dummy hash when there is none, so both cost the same. */
  verify(stored: string | undefined, password: string): Promise<boolean>;
  /** True when the stored hash is not argon2id v1.3 or any parameter is below the configured ones. */
  isWeaker(stored: string): boolean;
  readonly gate: HashGate;
}

export function createPasswordHasher(
  params: Argon2Params,
  hashing: Config['hashing'],
): PasswordHasher {
  const gate = new HashGate(hashing.concurrency, hashing.queueMax);
  const options = {
    type: argon2.argon2id,
    memoryCost: params.memoryKiB,
    timeCost: params.timeCost,
    parallelism: params.parallelism,
  };
  const hash = (password: string) => gate.run(() => argon2.hash(password, options));
  let dummy: Promise<string> | undefined;

  return {
    gate,
    hash,
    verify: async (stored, password) => {
      if (stored === undefined) {
        dummy ??= argon2.hash(randomBytes(16).toString('hex'), options);
        const d = await dummy;
        await gate.run(() => argon2.verify(d, password));
        return false;
      }
      return gate.run(() => argon2.verify(stored, password).catch(() => false));
    },
    isWeaker: (stored) => {
      const p = parsePhc(stored);
      if (!p) return true;
      return (
        p.type !== 'argon2id' ||
        p.version !== 19 ||
        p.memoryKiB < params.memoryKiB ||
        p.timeCost < params.timeCost ||
        p.parallelism < params.parallelism
      );
    },
  };
}
