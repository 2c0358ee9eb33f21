/** Deterministic random-but-clustered unit vectors, like embeddings of documents on many topics. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(next: () => number): number {
  const u = Math.max(next(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
}

export interface ClusteredSet {
  vectors: Float32Array[];
  queries: Float32Array[];
}

/** `clusters` centres; each point is its centre plus noise of `spread` (relative), unit length. */
export function clusteredVectors(
  count: number,
  queries: number,
  dims: number,
  options: { clusters?: number; spread?: number; seed?: number } = {},
): ClusteredSet {
  const next = rng(options.seed ?? 42);
  const clusters = options.clusters ?? 200;
  const spread = options.spread ?? 1;
  const centres = Array.from({ length: clusters }, () =>
    Float32Array.from({ length: dims }, () => gaussian(next)),
  );
  const point = () => {
    const c = centres[Math.floor(next() * clusters)] as Float32Array;
    const v = new Float32Array(dims);
    let norm = 0;
    for (let i = 0; i < dims; i++) {
      const x = (c[i] as number) + spread * gaussian(next);
      v[i] = x;
      norm += x * x;
    }
    norm = Math.sqrt(norm);
    for (let i = 0; i < dims; i++) v[i] = (v[i] as number) / norm;
    return v;
  };
  return {
    vectors: Array.from({ length: count }, point),
    queries: Array.from({ length: queries }, point),
  };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] as number;
}

export function timings(samples: number[]): { median: number; p95: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const round = (x: number) => Math.round(x * 100) / 100;
  return { median: round(percentile(sorted, 50)), p95: round(percentile(sorted, 95)) };
}
