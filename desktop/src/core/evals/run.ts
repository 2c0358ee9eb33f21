import { answerQuestion, type ChatDeps } from '../chat/answer';
import type { Db } from '../db/open';
import { newId } from '../ids';
import { listEvalCases, TestSetError } from './cases';
import { type CaseOutcome, type Comparison, compareRuns } from './compare';
import { aggregate, type CaseScores, type RunMetrics, scoreCase } from './score';

export interface EvalRun {
  id: string;
  kbId: string;
  k: number;
  mode: string;
  model: string | null;
  metrics: RunMetrics;
  createdAt: string;
}

export interface EvalRunReport {
  run: EvalRun;
  outcomes: (CaseOutcome & { kind: 'answer' | 'refuse'; answer: string })[];
  /** Absent for the first run of a knowledge base. */
  comparison?: Comparison;
}

interface RunRow {
  id: string;
  kb_id: string;
  k: number;
  mode: string;
  model: string | null;
  metrics: string;
  created_at: string;
}

const toRun = (r: RunRow): EvalRun => ({
  id: r.id,
  kbId: r.kb_id,
  k: r.k,
  mode: r.mode,
  model: r.model,
  metrics: JSON.parse(r.metrics) as RunMetrics,
  createdAt: r.created_at,
});

export const DEFAULT_EVAL_K = 5;

/** The newest stored run of a knowledge base, before the given one. */
export function latestRun(db: Db, kbId: string, excludeId?: string): EvalRun | undefined {
  const row = db
    .prepare(
      `SELECT * FROM eval_runs WHERE kb_id = ? AND id IS NOT ? ORDER BY created_at DESC, id DESC
        LIMIT 1`,
    )
    .get(kbId, excludeId ?? null) as RunRow | undefined;
  return row ? toRun(row) : undefined;
}

export function runOutcomes(db: Db, runId: string): CaseOutcome[] {
  const rows = db
    .prepare('SELECT case_id, question, scores FROM eval_results WHERE run_id = ?')
    .all(runId) as { case_id: string; question: string; scores: string }[];
  return rows.map((r) => ({
    caseId: r.case_id,
    question: r.question,
    scores: JSON.parse(r.scores) as CaseScores,
  }));
}

export interface RunOptions {
  k?: number;
  /** Called after each question, for progress display. */
  onCase?: (done: number, total: number) => void;
}

/**
 * Runs every accepted test question of a knowledge base through the same pipeline as a real
 * answer (retrieval, refusal, model, citations), scores it, stores the run and compares it with
 * the previous one.
 */
export async function runEval(
  deps: ChatDeps,
  kbId: string,
  options: RunOptions = {},
): Promise<EvalRunReport> {
  const { db } = deps;
  const k = options.k ?? DEFAULT_EVAL_K;
  const cases = listEvalCases(db, kbId, 'accepted');
  if (cases.length === 0) {
    throw new TestSetError('no_cases', 'this knowledge base has no accepted test questions yet');
  }
  const outcomes: EvalRunReport['outcomes'] = [];
  let mode = deps.model ? 'llm' : 'extractive';
  for (const testCase of cases) {
    const answer = await answerQuestion(
      { ...deps, passages: Math.max(k, deps.passages ?? 5) },
      { question: testCase.question, kbId },
    );
    if (answer.mode !== mode) mode = 'mixed';
    outcomes.push({
      caseId: testCase.id,
      question: testCase.question,
      kind: testCase.kind,
      answer: answer.answer,
      scores: scoreCase(testCase, answer, k),
    });
    options.onCase?.(outcomes.length, cases.length);
  }
  const metrics = aggregate(outcomes);
  const id = newId();
  db.transaction(() => {
    db.prepare(
      'INSERT INTO eval_runs (id, kb_id, k, mode, model, metrics) VALUES (?, ?, ?, ?, ?, ?)',
    ).run(id, kbId, k, mode, deps.model?.model ?? null, JSON.stringify(metrics));
    const insert = db.prepare(
      `INSERT INTO eval_results (run_id, case_id, question, kind, scores, answer)
       VALUES (?, ?, ?, ?, ?, ?)`,
    );
    for (const o of outcomes) {
      insert.run(id, o.caseId, o.question, o.kind, JSON.stringify(o.scores), o.answer);
    }
  })();
  const run = db.prepare('SELECT * FROM eval_runs WHERE id = ?').get(id) as RunRow;
  const previous = latestRun(db, kbId, id);
  return {
    run: toRun(run),
    outcomes,
    ...(previous
      ? {
          comparison: compareRuns(
            { id: previous.id, metrics: previous.metrics, outcomes: runOutcomes(db, previous.id) },
            { metrics, outcomes },
          ),
        }
      : {}),
  };
}
