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
