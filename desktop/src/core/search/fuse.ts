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

/** A cosine and the embedding model it was measured with (cosines of two models don't compare). */
export interface ModelCosine extends Scored {
  model: string;
}

/**
 * Convex combination of normalised scores (Bruch et al., "An Analysis of Fusion Functions for
 * Hybrid Retrieval", 2023), over the union of both lists. BM25 is divided by the query's best BM25
 * (its floor is 0), so a strong keyword match keeps its margin; cosine is min-max scaled over the
 * candidates of each embedding model, so the vector side spreads over [0, 1] whatever range a
 * model's cosines live in (knowledge bases on two models can be searched together). `cosine` holds
 * the exact cosine of every candidate that has a vector, so a keyword hit the vector list missed is
 * still judged by its vector; one without a vector counts as the lowest cosine, and one without
 * BM25 as 0.
 */
export function convexFusion(
  keyword: readonly Scored[],
  vector: readonly Scored[],
  cosine: ReadonlyMap<number, ModelCosine>,
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
  const ranges = new Map<string, { low: number; high: number }>();
  for (const id of fused.keys()) {
    const c = cosine.get(id);
    if (!c) continue;
    const range = ranges.get(c.model);
    if (range) {
      range.low = Math.min(range.low, c.score);
      range.high = Math.max(range.high, c.score);
    } else ranges.set(c.model, { low: c.score, high: c.score });
  }
  for (const entry of fused.values()) {
    const b = best > 0 ? Math.max(0, bm25.get(entry.chunkId) ?? 0) / best : 0;
    const c = cosine.get(entry.chunkId);
    const range = c && ranges.get(c.model);
    const span = range ? range.high - range.low : 0;
    const v = c && range && span > 0 ? (c.score - range.low) / span : 0;
    entry.score = keywordWeight * b + (1 - keywordWeight) * v;
  }
  return [...fused.values()].sort(
    (a, b) =>
      b.score - a.score ||
      (a.keywordRank ?? Number.POSITIVE_INFINITY) - (b.keywordRank ?? Number.POSITIVE_INFINITY) ||
      a.chunkId - b.chunkId,
  );
}
