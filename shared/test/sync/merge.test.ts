import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareVersions, formatHlc } from '../../src/sync/hlc';
import { mergeLww, type Version } from '../../src/sync/merge';

interface Edit extends Version {
  base: string | null;
}

/** Applies edits in the given order the way the server does; returns the winner and the kept losers. */
function replay(edits: Edit[]) {
  let current: Version | undefined;
  const losers: Version[] = [];
  for (const e of edits) {
    const out = mergeLww(current, e);
    if (out.kind === 'apply') {
      if (out.loser) losers.push(out.loser);
      current = { hlc: e.hlc, device: e.device };
    } else if (out.kind === 'keep') losers.push({ hlc: e.hlc, device: e.device });
  }
  return { current, losers };
}

const key = (v: Version) => `${v.hlc}|${v.device}`;

describe('last-writer-wins merge', () => {
  it('applies an edit made on top of the current version without a conflict', () => {
    const a = { hlc: formatHlc({ ms: 1, counter: 0 }), device: 'A' };
    const out = mergeLww(a, { hlc: formatHlc({ ms: 2, counter: 0 }), device: 'B', base: a.hlc });
    expect(out).toEqual({ kind: 'apply' });
    expect(mergeLww(a, { ...a, base: null })).toEqual({ kind: 'same' });
  });

  it('concurrent edits: the same winner in every order, every loser kept', () => {
    const edit = fc.record({
      ms: fc.integer({ min: 1, max: 50 }),
      counter: fc.integer({ min: 0, max: 3 }),
      device: fc.constantFrom('A', 'B', 'C'),
    });
    fc.assert(
      fc.property(
        fc.uniqueArray(edit, {
          minLength: 1,
          maxLength: 6,
          selector: (e) => `${e.ms}.${e.counter}.${e.device}`,
        }),
        fc.func(fc.integer()),
        (raw, shuffleKey) => {
          // All edits concurrent: made on the same (absent) base.
          const edits = raw.map((e) => ({ hlc: formatHlc(e), device: e.device, base: null }));
          const shuffled = [...edits].sort((x, y) => shuffleKey(key(x)) - shuffleKey(key(y)));
          const a = replay(edits);
          const b = replay(shuffled);
          const max = [...edits].sort(compareVersions).at(-1);
          expect(a.current).toEqual({ hlc: max?.hlc, device: max?.device });
          expect(b.current).toEqual(a.current);
          const all = new Set([...b.losers.map(key), key(b.current as Version)]);
          expect(all).toEqual(new Set(edits.map(key)));
          expect(b.losers).toHaveLength(edits.length - 1);
        },
      ),
      { seed: 42, numRuns: 300 },
    );
  });
});
