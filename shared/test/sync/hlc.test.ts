import { describe, expect, it } from 'vitest';
import { compareVersions, formatHlc, HybridClock, parseHlc } from '../../src/sync/hlc';

describe('hybrid logical clock', () => {
  it('is strictly increasing even when the wall clock stands still or goes back', () => {
    let wall = 1_000;
    const clock = new HybridClock({ ms: 0, counter: 0 }, () => wall);
    const seen = [clock.tick(), clock.tick()];
    wall = 500;
    seen.push(clock.tick());
    wall = 2_000;
    seen.push(clock.tick());
    expect([...seen].sort()).toEqual(seen);
    expect(new Set(seen).size).toBe(seen.length);
    expect(parseHlc(seen[3] ?? '')).toEqual({ ms: 2_000, counter: 0 });
  });

  it('orders its next tick after a received remote clock', () => {
    const clock = new HybridClock({ ms: 100, counter: 0 }, () => 100);
    const remote = formatHlc({ ms: 5_000, counter: 7 });
    expect(clock.receive(remote)).toBe(true);
    expect(clock.tick() > remote).toBe(true);
  });

  it('does not adopt a remote clock far in the future', () => {
    const clock = new HybridClock({ ms: 100, counter: 0 }, () => 100, 1_000);
    const before = clock.current();
    expect(clock.receive(formatHlc({ ms: 10_000_000, counter: 0 }))).toBe(false);
    expect(clock.current()).toBe(before);
  });

  it('rejects malformed clocks and breaks ties by device', () => {
    expect(() => parseHlc('12-3')).toThrow(/not a hybrid logical clock/);
    expect(() => parseHlc(`${'9'.repeat(15)}-0000001`)).toThrow();
    const hlc = formatHlc({ ms: 1, counter: 0 });
    expect(compareVersions({ hlc, device: 'a' }, { hlc, device: 'b' })).toBe(-1);
    expect(compareVersions({ hlc, device: 'b' }, { hlc, device: 'a' })).toBe(1);
  });
});
