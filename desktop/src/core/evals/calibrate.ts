/** A support score observed for a question whose answerability is known. */
export interface LabelledScore {
  score: number;
  answerable: boolean;
}

export interface ThresholdChoice {
  threshold: number;
  /** Share of answerable questions answered (score ≥ threshold). */
  answerRate: number;
  /** Share of unanswerable questions refused (score < threshold). */
  refusalRate: number;
  /** Mean of the two: what is maximised, so neither class dominates by its size. */
  balancedAccuracy: number;
}

export function evaluateThreshold(
  samples: readonly LabelledScore[],
  threshold: number,
): ThresholdChoice {
  const answerable = samples.filter((s) => s.answerable);
  const unanswerable = samples.filter((s) => !s.answerable);
  const answerRate =
    answerable.filter((s) => s.score >= threshold).length / Math.max(1, answerable.length);
  const refusalRate =
    unanswerable.filter((s) => s.score < threshold).length / Math.max(1, unanswerable.length);
  return { threshold, answerRate, refusalRate, balancedAccuracy: (answerRate + refusalRate) / 2 };
}

/**
 * The threshold with the best balanced accuracy, among midpoints between observed scores, keeping
 * at least `minAnswerRate` of answerable questions answered (a wrongly refused question costs the
 * creator's audience more than a weakly supported one, which the model is still told to refuse).
 * Ties go to the lower threshold.
 */
export function calibrateThreshold(
  samples: readonly LabelledScore[],
  options: { minAnswerRate?: number } = {},
): ThresholdChoice {
  const minAnswerRate = options.minAnswerRate ?? 0;
  if (!samples.some((s) => s.answerable) || !samples.some((s) => !s.answerable)) {
    throw new Error('calibration needs both answerable and unanswerable questions');
  }
  const scores = [...new Set(samples.map((s) => s.score))].sort((a, b) => a - b);
  const candidates = [
    scores[0] ?? 0,
    ...scores.slice(1).map((s, i) => ((scores[i] ?? s) + s) / 2),
    (scores.at(-1) ?? 0) + 1e-9,
  ];
  let best = evaluateThreshold(samples, candidates[0] ?? 0);
  for (const t of candidates.slice(1)) {
    const choice = evaluateThreshold(samples, t);
    if (choice.answerRate < minAnswerRate) break;
    if (choice.balancedAccuracy > best.balancedAccuracy + 1e-12) best = choice;
  }
  return best;
}

/** Area under the ROC curve: the chance an answerable question outscores an unanswerable one. */
export function rocAuc(samples: readonly LabelledScore[]): number {
  const pos = samples.filter((s) => s.answerable).map((s) => s.score);
  const neg = samples.filter((s) => !s.answerable).map((s) => s.score);
  if (pos.length === 0 || neg.length === 0) return Number.NaN;
  let wins = 0;
  for (const p of pos) {
    for (const n of neg) wins += p > n ? 1 : p === n ? 0.5 : 0;
  }
  return wins / (pos.length * neg.length);
}
