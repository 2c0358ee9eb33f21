import type { Answer } from '../chat/answer';
import type { EvalCase } from './cases';

/** How one test question fared. `null` means the measure does not apply to this question. */
export interface CaseScores {
  /** Some retrieved passage among the top k came from an expected document. */
  hit: boolean | null;
  /** 1-based rank of the first such passage. */
  hitRank: number | null;
  refused: boolean;
  /** Refused a must-refuse question, or answered a must-answer one. */
  refusalCorrect: boolean;
  /** Share of the answer's citations that point into an expected document. */
  citationAccuracy: number | null;
  citations: number;
  citationsCorrect: number;
  /** The expected phrase occurs in the answer (case, accents and spacing ignored). */
  phraseMatch: boolean | null;
}

export interface RunMetrics {
  cases: number;
  answerCases: number;
  refuseCases: number;
  /** Mean over must-answer questions. */
  hitAtK: number | null;
  mrr: number | null;
  /** Correct citations / all citations, over answered must-answer questions. */
  citationAccuracy: number | null;
  /** Answered must-answer questions that carry at least one citation. */
  citedAnswerRate: number | null;
  /** Mean over all questions. */
  refusalCorrectness: number | null;
  /** Must-refuse questions refused. */
  refusalRecall: number | null;
  /** Must-answer questions answered. */
  answerRate: number | null;
  phraseMatch: number | null;
}

const normalise = (s: string) =>
  s
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

export function scoreCase(testCase: EvalCase, answer: Answer, k: number): CaseScores {
  const expected = new Set(testCase.expectedDocuments);
  const mustAnswer = testCase.kind === 'answer';
  const index = answer.hits.slice(0, k).findIndex((h) => expected.has(h.documentId));
  const cited = answer.refused ? [] : answer.citations;
  const correct = cited.filter((c) => expected.has(c.documentId)).length;
  return {
    hit: mustAnswer ? index >= 0 : null,
    hitRank: mustAnswer && index >= 0 ? index + 1 : null,
    refused: answer.refused,
    refusalCorrect: mustAnswer ? !answer.refused : answer.refused,
    citationAccuracy: mustAnswer && cited.length > 0 ? correct / cited.length : null,
    citations: mustAnswer ? cited.length : 0,
    citationsCorrect: mustAnswer ? correct : 0,
    phraseMatch:
      mustAnswer && testCase.expectedPhrase
        ? normalise(answer.answer).includes(normalise(testCase.expectedPhrase))
        : null,
  };
}

const mean = (values: number[]) =>
  values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
const share = (flags: (boolean | null)[]) =>
  mean(flags.filter((f): f is boolean => f !== null).map((f) => (f ? 1 : 0)));

export function aggregate(
  results: { kind: 'answer' | 'refuse'; scores: CaseScores }[],
): RunMetrics {
  const answerScores = results.filter((r) => r.kind === 'answer').map((r) => r.scores);
  const refuseScores = results.filter((r) => r.kind === 'refuse').map((r) => r.scores);
  const answered = answerScores.filter((s) => !s.refused);
  const citations = answered.reduce((n, s) => n + s.citations, 0);
  const correct = answered.reduce((n, s) => n + s.citationsCorrect, 0);
  return {
    cases: results.length,
    answerCases: answerScores.length,
    refuseCases: refuseScores.length,
    hitAtK: share(answerScores.map((s) => s.hit)),
    mrr: mean(answerScores.map((s) => (s.hitRank ? 1 / s.hitRank : 0))),
    citationAccuracy: citations > 0 ? correct / citations : null,
    citedAnswerRate: share(answered.map((s) => s.citations > 0)),
    refusalCorrectness: share(results.map((r) => r.scores.refusalCorrect)),
    refusalRecall: share(refuseScores.map((s) => s.refused)),
    answerRate: share(answerScores.map((s) => !s.refused)),
    phraseMatch: share(answerScores.map((s) => s.phraseMatch)),
  };
}
