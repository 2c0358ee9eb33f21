/** Reciprocal rank fusion (Cormack et al. 2009): robust to the two lists' incomparable scores. */
export const RRF_K = 60;

export interface Fused {
  chunkId: number;
  score: number;
  keywordRank?: number;
  vectorRank?: number;
}

/**
 * Weight of each list in the fusion. Measured on the SQuAD dev subset (docs/retrieval.md): with the
 * embedding model available there, equal weights let the weaker vector list pull good keyword
 * hits down.
 */
export const FUSION_WEIGHTS = { keyword: 1, vector: 1 } as const;

export function reciprocalRankFusion(
  keyword: number[],
  vector: number[],
  weights: { keyword: number; vector: number } = FUSION_WEIGHTS,
): Fused[] {
  const fused = new Map<number, Fused>();
  const add = (ids: number[], field: 'keywordRank' | 'vectorRank') => {
    const weight = field === 'keywordRank' ? weights.keyword : weights.vector;
    ids.forEach((chunkId, i) => {
      const entry = fused.get(chunkId) ?? { chunkId, score: 0 };
      entry.score += weight / (RRF_K + i + 1);
      entry[field] = i + 1;
      fused.set(chunkId, entry);
    });
  };
  add(keyword, 'keywordRank');
  add(vector, 'vectorRank');
  return [...fused.values()].sort(
    (a, b) =>
      b.score - a.score ||
      (a.keywordRank ?? Number.POSITIVE_INFINITY) - (b.keywordRank ?? Number.POSITIVE_INFINITY) ||
      a.chunkId - b.chunkId,
  );
}
