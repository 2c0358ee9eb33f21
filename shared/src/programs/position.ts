/**
 * Fractional position keys: strings over base-62 digits that sort bytewise, with a key between any
 * two keys. Moving an item writes one key instead of renumbering its siblings, so two devices that
 * reorder different items never touch the same rows. A key never ends in the zero digit, which is
 * what guarantees that a key between two others always exists.
 */
const DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const BASE = DIGITS.length;
const KEY = /^[0-9A-Za-z]*[1-9A-Za-z]$/;

export class PositionError extends Error {
  readonly code = 'bad_position';
}

export function isPositionKey(key: string): boolean {
  return key.length <= 256 && KEY.test(key);
}

const digit = (key: string, i: number) => (i < key.length ? DIGITS.indexOf(key.charAt(i)) : 0);

/** The key halfway between `a` and `b` (digits after the point), with `''` as 0 and null as 1. */
function midpoint(a: string, b: string | null): string {
  let prefix = '';
  let i = 0;
  if (b !== null) {
    // Skip the shared prefix: the key between them starts with it.
    while (digit(a, i) === digit(b, i) && i < b.length) i += 1;
    prefix = b.slice(0, i);
  }
  const lo = digit(a, i);
  const hi = b === null || i >= b.length ? BASE : digit(b, i);
  if (hi - lo > 1) return prefix + DIGITS.charAt(Math.floor((lo + hi) / 2));
  // Consecutive digits: take b's digit if b goes on (then b's tail is > 0), else extend a.
  if (b !== null && i + 1 < b.length) return prefix + b.slice(i, i + 1);
  return prefix + DIGITS.charAt(lo) + midpoint(a.slice(i + 1), null);
}

/** A key strictly between `before` and `after`; null means the start or the end of the list. */
export function keyBetween(before: string | null, after: string | null): string {
  if (before !== null && !isPositionKey(before)) throw new PositionError(`bad key "${before}"`);
  if (after !== null && !isPositionKey(after)) throw new PositionError(`bad key "${after}"`);
  if (before !== null && after !== null && before >= after) {
    throw new PositionError(`"${before}" must sort before "${after}"`);
  }
  return midpoint(before ?? '', after);
}

/** `n` evenly spread keys between `before` and `after`, short for bulk inserts (imports). */
export function keysBetween(before: string | null, after: string | null, n: number): string[] {
  if (n <= 0) return [];
  if (n === 1) return [keyBetween(before, after)];
  const mid = keyBetween(before, after);
  const left = Math.floor((n - 1) / 2);
  return [...keysBetween(before, mid, left), mid, ...keysBetween(mid, after, n - 1 - left)];
}
