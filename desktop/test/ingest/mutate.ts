/** Small seeded PRNG (mulberry32): the same seed gives the same hostile files on every run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Mutation = 'truncate' | 'flip' | 'zero-span' | 'duplicate-span';
export const MUTATIONS: readonly Mutation[] = ['truncate', 'flip', 'zero-span', 'duplicate-span'];

/** Damages a copy of `bytes` the way disks, downloads and careless tools do. */
export function mutate(bytes: Uint8Array, kind: Mutation, random: () => number): Uint8Array {
  const at = (n: number) => Math.floor(random() * n);
  const out = Uint8Array.from(bytes);
  switch (kind) {
    case 'truncate':
      return out.subarray(0, 1 + at(out.length - 1));
    case 'flip': {
      const flips = 1 + at(32);
      for (let i = 0; i < flips; i++) out[at(out.length)] = at(256);
      return out;
    }
    case 'zero-span': {
      const start = at(out.length);
      out.fill(0, start, Math.min(out.length, start + 1 + at(4096)));
      return out;
    }
    case 'duplicate-span': {
      const start = at(out.length);
      const span = out.subarray(start, Math.min(out.length, start + 1 + at(4096)));
      const cut = at(out.length);
      return Uint8Array.from([...out.subarray(0, cut), ...span, ...out.subarray(cut)]);
    }
  }
}
