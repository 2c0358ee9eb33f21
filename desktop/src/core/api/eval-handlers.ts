import type { EvalCase as ApiEvalCase, ApiHandlers, EvalRun } from '@creator-hub/shared/api/index';
import { ApiError } from '@creator-hub/shared/api/index';
import { chatConfigFromEnv } from '../chat/config';
import { createOllamaChatModel } from '../chat/llm';
import {
  acceptEvalCase,
  addEvalCase,
  type EvalCase,
  listEvalCases,
  removeEvalCase,
} from '../evals/cases';
import { compareRuns } from '../evals/compare';
import { generateCandidates } from '../evals/generate';
import { runEval, runOutcomes } from '../evals/run';
import { chatDeps } from './chat-handlers';
import { type ApiContext, withAbort } from './context';
import { coreEnv } from './settings-store';

type EvalHandlers = Pick<
  ApiHandlers,
  | 'evals.list'
  | 'evals.add'
  | 'evals.accept'
  | 'evals.remove'
  | 'evals.generate'
  | 'evals.run'
  | 'evals.runs'
  | 'evals.getRun'
>;

const toApiCase = (c: EvalCase): ApiEvalCase => ({
  id: c.id,
  kbId: c.kbId,
  question: c.question,
  kind: c.kind,
  expectedDocuments: c.expectedDocuments,
  expectedPhrase: c.expectedPhrase,
  status: c.status,
});

interface RunRow {
  id: string;
  kb_id: string;
  k: number;
  metrics: string;
  created_at: string;
}

/** A check the question passed: retrieved, cited right, refused right, phrase found. */
function passed(scores: Record<string, unknown>): boolean {
  return (
    scores.refusalCorrect === true &&
    scores.hit !== false &&
    scores.phraseMatch !== false &&
    (scores.citationAccuracy === null ||
      scores.citationAccuracy === undefined ||
      Number(scores.citationAccuracy) >= 0.5)
  );
}

/** A stored run with its per-question results and what regressed against the run before it. */
function storedRun(ctx: ApiContext, runId: string): EvalRun {
  const { db } = ctx.ws;
  const row = db.prepare('SELECT * FROM eval_runs WHERE id = ?').get(runId) as RunRow | undefined;
  if (!row) throw new ApiError('not_found', 'that evaluation run is gone');
  const results = db
    .prepare('SELECT case_id, question, kind, scores, answer FROM eval_results WHERE run_id = ?')
    .all(runId) as {
    case_id: string;
    question: string;
    kind: string;
    scores: string;
    answer: string;
  }[];
  const before = db
    .prepare(
      `SELECT * FROM eval_runs WHERE kb_id = ? AND (created_at < ? OR (created_at = ? AND id < ?))
        ORDER BY created_at DESC, id DESC LIMIT 1`,
    )
    .get(row.kb_id, row.created_at, row.created_at, row.id) as RunRow | undefined;
  const metrics = JSON.parse(row.metrics) as EvalRun['metrics'];
  const comparison = before
    ? compareRuns(
        {
          id: before.id,
          metrics: JSON.parse(before.metrics),
          outcomes: runOutcomes(db, before.id),
        },
        { metrics: JSON.parse(row.metrics), outcomes: runOutcomes(db, row.id) },
      )
    : undefined;
  return {
    id: row.id,
    kbId: row.kb_id,
    createdAt: row.created_at,
    k: row.k,
    metrics,
    results: results.map((r) => {
      const scores = JSON.parse(r.scores) as EvalRun['results'][number]['scores'];
      return {
        caseId: r.case_id,
        question: r.question,
        kind: r.kind,
        scores,
        answer: r.answer,
        passed: passed(scores),
      };
    }),
    regressions: comparison?.regressions ?? [],
    previousRunId: before?.id ?? null,
  };
}

export function evalHandlers(ctx: ApiContext): EvalHandlers {
  const { db } = ctx.ws;
  return {
    'evals.list': async ({ kbId }) => listEvalCases(db, kbId).map(toApiCase),
    'evals.add': async ({ kbId, question, kind, expectedDocuments, expectedPhrase }) =>
      toApiCase(
        addEvalCase(db, kbId, {
          question,
          kind,
          expectedDocuments,
          ...(expectedPhrase ? { expectedPhrase } : {}),
        }),
      ),
    'evals.accept': async ({ caseId, question, expectedPhrase }) =>
      toApiCase(
        acceptEvalCase(db, caseId, {
          ...(question !== undefined ? { question } : {}),
          ...(expectedPhrase !== undefined ? { expectedPhrase: expectedPhrase || null } : {}),
        }),
      ),
    'evals.remove': async ({ caseId }) => {
      removeEvalCase(db, caseId);
      return { ok: true };
    },
    'evals.generate': ({ opId, documentId, count }) =>
      withAbort(ctx, opId, async (signal) => {
        const config = chatConfigFromEnv(coreEnv(db, ctx.env));
        const created = await generateCandidates(db, createOllamaChatModel(config), documentId, {
          count,
          signal,
        });
        return created.map(toApiCase);
      }),
    'evals.run': async ({ opId, kbId, k }) => {
      const report = await runEval(chatDeps(ctx), kbId, {
        ...(k ? { k } : {}),
        onCase: (done, total) => ctx.events.emit('evals.progress', { opId, done, total }),
      });
      return storedRun(ctx, report.run.id);
    },
    'evals.runs': async ({ kbId }) =>
      (
        db
          .prepare(
            'SELECT * FROM eval_runs WHERE kb_id = ? ORDER BY created_at DESC, id DESC LIMIT 50',
          )
          .all(kbId) as RunRow[]
      ).map((r) => ({ id: r.id, createdAt: r.created_at, k: r.k, metrics: JSON.parse(r.metrics) })),
    'evals.getRun': async ({ runId }) => storedRun(ctx, runId),
  };
}
