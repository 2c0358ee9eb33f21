/** Reciprocal rank fusion (Cormack et al. 2009): robust to the two lists' incomparable scores. */
export const RRF_K = 60;

export interface Fused {
  chunkId: number;
  score: number;
  keywordRank?: number;
  vectorRank?: number;
}

export function reciprocalRankFusion(keyword: number[], vector: number[]): Fused[] {
  const fused = new Map<number, Fused>();
  const add = (ids: number[], field: 'keywordRank' | 'vectorRank') => {
    ids.forEach((chunkId, i) => {
      const entry = fused.get(chunkId) ?? { chunkId, score: 0 };
      entry.score += 1 / (RRF_K + i + 1);
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
