import type { CaseScores, RunMetrics } from './score';

export interface CaseOutcome {
  caseId: string;
  question: string;
  scores: CaseScores;
}

export interface MetricChange {
  metric: keyof RunMetrics;
  previous: number | null;
  current: number | null;
  delta: number | null;
}

export interface Regression {
  caseId: string;
  question: string;
  /** What got worse, in words: "no longer retrieved", "now refused"... */
  what: string[];
}

export interface Comparison {
  previousRunId: string;
  metrics: MetricChange[];
  /** Metrics that went down. */
  worse: MetricChange[];
  /** Questions, present in both runs, that passed a check before and fail it now. */
  regressions: Regression[];
}

const RATE_METRICS: (keyof RunMetrics)[] = [
  'hitAtK',
  'mrr',
  'citationAccuracy',
  'citedAnswerRate',
  'refusalCorrectness',
  'refusalRecall',
  'answerRate',
  'phraseMatch',
];

/** Differences smaller than this are float noise, not a change. */
const EPSILON = 1e-9;

function caseRegressions(before: CaseScores, after: CaseScores): string[] {
  const what: string[] = [];
  if (before.hit === true && after.hit === false) what.push('expected source no longer retrieved');
  if (before.refusalCorrect && !after.refusalCorrect) {
    what.push(after.refused ? 'now refused' : 'no longer refused');
  }
  if (
    before.citationAccuracy !== null &&
    after.citationAccuracy !== null &&
    after.citationAccuracy < before.citationAccuracy - EPSILON
  ) {
    what.push('cites wrong sources');
  }
  if (before.phraseMatch === true && after.phraseMatch === false) {
    what.push('expected phrase missing');
  }
  return what;
}

/** Compares a run with the previous one on the same knowledge base. */
export function compareRuns(
  previous: { id: string; metrics: RunMetrics; outcomes: CaseOutcome[] },
  current: { metrics: RunMetrics; outcomes: CaseOutcome[] },
): Comparison {
  const metrics = RATE_METRICS.map((metric) => {
    const before = previous.metrics[metric];
    const after = current.metrics[metric];
    return {
      metric,
      previous: before,
      current: after,
      delta: before === null || after === null ? null : after - before,
    };
  });
  const earlier = new Map(previous.outcomes.map((o) => [o.caseId, o]));
  const regressions = current.outcomes.flatMap((o) => {
    const before = earlier.get(o.caseId);
    if (!before) return [];
    const what = caseRegressions(before.scores, o.scores);
    return what.length > 0 ? [{ caseId: o.caseId, question: o.question, what }] : [];
  });
  return {
    previousRunId: previous.id,
    metrics,
    worse: metrics.filter((m) => m.delta !== null && m.delta < -EPSILON),
    regressions,
  };
}
