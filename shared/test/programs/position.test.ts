import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isPositionKey, keyBetween, keysBetween, PositionError } from '../../src/programs/position';

describe('fractional position keys', () => {
  it('puts a key strictly between any two keys, and at either end', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1000 }), { maxLength: 60 }), (choices) => {
        // Build a list by inserting at arbitrary places; it must stay strictly sorted.
        const keys: string[] = [];
        for (const c of choices) {
          const at = c % (keys.length + 1);
          const key = keyBetween(keys[at - 1] ?? null, keys[at] ?? null);
          expect(isPositionKey(key)).toBe(true);
          keys.splice(at, 0, key);
        }
        const sorted = [...keys].sort();
        expect(keys).toEqual(sorted);
        expect(new Set(keys).size).toBe(keys.length);
      }),
      { numRuns: 200 },
    );
  });

  it('keeps keys short when appending one at a time', () => {
    let last: string | null = null;
    for (let i = 0; i < 120; i += 1) last = keyBetween(last, null);
    expect(last?.length).toBeLessThanOrEqual(21);
  });

  it('spreads bulk keys evenly and in order', () => {
    const keys = keysBetween(null, null, 100);
    expect(keys).toEqual([...keys].sort());
    expect(new Set(keys).size).toBe(100);
    expect(Math.max(...keys.map((k) => k.length))).toBeLessThanOrEqual(3);
    const inner = keysBetween('a', 'b', 5);
    expect(inner.every((k) => k > 'a' && k < 'b')).toBe(true);
  });

  it('refuses keys out of order or malformed', () => {
    expect(() => keyBetween('b', 'a')).toThrow(PositionError);
    expect(() => keyBetween('a', 'a')).toThrow(PositionError);
    expect(() => keyBetween('a0', null)).toThrow(/bad key/);
    expect(() => keyBetween('a-b', null)).toThrow(/bad key/);
  });
});
