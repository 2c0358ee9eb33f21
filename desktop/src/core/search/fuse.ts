/**
 * Weight of the keyword side in the fused score (the vector side gets 1 − it). Tuned on one half of
 * the SQuAD dev subset's articles and checked on the other half (docs/retrieval.md): on the held-out
 * half 0.7 beat keywords alone on recall@1/4/10 and MRR@10. Re-measure with nomic-embed-text.
 */
export const KEYWORD_WEIGHT = 0.7;

export interface Fused {
  chunkId: number;
  score: number;
  keywordRank?: number;
  vectorRank?: number;
}

export interface Scored {
  chunkId: number;
  score: number;
}

/**
 * Convex combination of normalised scores (Bruch et al., "An Analysis of Fusion Functions for
 * Hybrid Retrieval", 2023), over the union of both lists. BM25 is divided by the query's best BM25
 * (its floor is 0), so a strong keyword match keeps its margin; cosine is min-max scaled over the
 * candidates, so the vector side spreads over [0, 1] whatever range a model's cosines live in.
 * `cosine` holds the exact cosine of every candidate that has a vector, so a keyword hit the vector
 * list missed is still judged by its vector; one without a vector counts as the lowest cosine, and
 * one without BM25 as 0.
 */
export function convexFusion(
  keyword: readonly Scored[],
  vector: readonly Scored[],
  cosine: ReadonlyMap<number, number>,
  keywordWeight = KEYWORD_WEIGHT,
): Fused[] {
  const fused = new Map<number, Fused>();
  keyword.forEach((h, i) => {
    fused.set(h.chunkId, { chunkId: h.chunkId, score: 0, keywordRank: i + 1 });
  });
  vector.forEach((h, i) => {
    const entry = fused.get(h.chunkId) ?? { chunkId: h.chunkId, score: 0 };
    entry.vectorRank = i + 1;
    fused.set(h.chunkId, entry);
  });
  const bm25 = new Map(keyword.map((h) => [h.chunkId, h.score]));
  const best = Math.max(0, ...keyword.map((h) => h.score));
  const cosines = [...fused.keys()].flatMap((id) => {
    const c = cosine.get(id);
    return c === undefined ? [] : [c];
  });
  const low = Math.min(...cosines);
  const span = Math.max(...cosines) - low;
  for (const entry of fused.values()) {
    const b = best > 0 ? Math.max(0, bm25.get(entry.chunkId) ?? 0) / best : 0;
    const c = cosine.get(entry.chunkId);
    const v = c === undefined || !(span > 0) ? 0 : (c - low) / span;
    entry.score = keywordWeight * b + (1 - keywordWeight) * v;
  }
  return [...fused.values()].sort(
    (a, b) =>
      b.score - a.score ||
      (a.keywordRank ?? Number.POSITIVE_INFINITY) - (b.keywordRank ?? Number.POSITIVE_INFINITY) ||
      a.chunkId - b.chunkId,
  );
}
