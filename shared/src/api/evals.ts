import { z } from 'zod';
import { id, method, ok, opId } from './define';

export const evalCaseSchema = z.object({
  id: z.string(),
  kbId: z.string(),
  question: z.string(),
  kind: z.enum(['answer', 'refuse']),
  expectedDocuments: z.array(z.string()),
  expectedPhrase: z.string().nullable(),
  status: z.enum(['accepted', 'candidate']),
});

export const evalCaseInput = z.object({
  question: z.string().trim().min(1).max(1000),
  kind: z.enum(['answer', 'refuse']),
  expectedDocuments: z.array(id).max(20),
  expectedPhrase: z.string().max(500).nullable(),
});

/** Aggregates: counts and rates in [0, 1] (hitAtK, citationAccuracy, refusalCorrectness...); null = not applicable. */
export const metricsSchema = z.record(z.string(), z.number().nullable());

export const evalResultSchema = z.object({
  caseId: z.string(),
  question: z.string(),
  kind: z.string(),
  passed: z.boolean(),
  scores: z.record(z.string(), z.union([z.number(), z.boolean(), z.null()])),
  answer: z.string(),
});

export const evalRunSchema = z.object({
  id: z.string(),
  kbId: z.string(),
  createdAt: z.string(),
  k: z.number().int(),
  metrics: metricsSchema,
  results: z.array(evalResultSchema),
  /** Cases that passed in the previous run and fail in this one. */
  regressions: z.array(
    z.object({ caseId: z.string(), question: z.string(), what: z.array(z.string()) }),
  ),
  previousRunId: z.string().nullable(),
});

export const evalRunSummarySchema = evalRunSchema.pick({
  id: true,
  createdAt: true,
  k: true,
  metrics: true,
});

export const evalMethods = {
  'evals.list': method(z.object({ kbId: id }), z.array(evalCaseSchema)),
  'evals.add': method(evalCaseInput.extend({ kbId: id }), evalCaseSchema),
  /** Accepts a generated candidate, with the creator's edits. */
  'evals.accept': method(
    z.object({
      caseId: id,
      question: z.string().trim().min(1).max(1000).optional(),
      expectedPhrase: z.string().max(300).nullable().optional(),
    }),
    evalCaseSchema,
  ),
  'evals.remove': method(z.object({ caseId: id }), ok),
  'evals.generate': method(
    z.object({ opId, documentId: id, count: z.number().int().min(1).max(20) }),
    z.array(evalCaseSchema),
  ),
  'evals.run': method(
    z.object({ opId, kbId: id, k: z.number().int().min(1).max(20).optional() }),
    evalRunSchema,
  ),
  'evals.runs': method(z.object({ kbId: id }), z.array(evalRunSummarySchema)),
  'evals.getRun': method(z.object({ runId: id }), evalRunSchema),
} as const;

export type EvalCase = z.infer<typeof evalCaseSchema>;
export type EvalCaseInput = z.infer<typeof evalCaseInput>;
export type EvalRun = z.infer<typeof evalRunSchema>;
export type EvalRunSummary = z.infer<typeof evalRunSummarySchema>;
