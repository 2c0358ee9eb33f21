import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChatDeps } from '../desktop/src/core/chat/answer';
import { chatConfigFromEnv } from '../desktop/src/core/chat/config';
import { createOllamaChatModel } from '../desktop/src/core/chat/llm';
import { assessSupport, DEFAULT_SUPPORT_POLICY } from '../desktop/src/core/chat/support';
import { OllamaEmbedder } from '../desktop/src/core/embed/ollama';
import { embedPending } from '../desktop/src/core/embed/pending';
import { calibrateThreshold, evaluateThreshold, rocAuc } from '../desktop/src/core/evals/calibrate';
import { addEvalCase } from '../desktop/src/core/evals/cases';
import { runEval } from '../desktop/src/core/evals/run';
import { DEFAULT_CHUNKING } from '../desktop/src/core/ingest/chunk';
import { findKnowledgeBase } from '../desktop/src/core/knowledge/bases';
import { search } from '../desktop/src/core/search/search';
import type { SearchDeps, SearchMode } from '../desktop/src/core/search/types';
import { openWorkspace, type Workspace } from '../desktop/src/core/workspace';
import { citingModel } from '../desktop/test/chat/models';
import { startFakeOllama } from '../desktop/test/helpers/fake-ollama';
import {
  firstHit,
  loadArticles,
  loadQuestions,
  type Question,
  storeArticles,
  structuredChunks,
} from './lib/squad';

/**
 * Refusal calibration and answer quality on the SQuAD dev subset (keyword retrieval, the product
 * chunker) plus questions it cannot answer. Calibrates the support threshold on the even-indexed
 * half, reports the odd half, then runs the app's own eval feature on a held-out sample with a
 * fake citing model (figures of the pipeline, not of an LLM), and with ollama-compat's extractive
 * model when ANSWER_QUALITY_OLLAMA names it. Env: ANSWER_QUALITY_EVAL_QUESTIONS (default 200).
 */
const line = (o: Record<string, unknown>) =>
  process.stdout.write(`${JSON.stringify({ bench: 'answer-quality', ...o })}\n`);

/** The product keeps at least this share of answerable questions answered (see calibrate.ts). */
const MIN_ANSWER_RATE = 0.9;

const round = (x: number | null) => (x === null ? null : Math.round(x * 1000) / 1000);

function unanswerable(): string[] {
  return readFileSync(join(import.meta.dirname, 'fixtures', 'unanswerable-questions.txt'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

interface Scored {
  question: string;
  answerable: boolean;
  coverage: number;
  topScore: number;
  goldRank?: number;
}

async function scoreAll(
  ws: Workspace,
  kbId: string,
  squad: Question[],
  ood: string[],
  mode: SearchMode = 'keyword',
  deps: SearchDeps = {},
) {
  const out: Scored[] = [];
  const all = [
    ...squad.map((q) => ({ text: q.question, q })),
    ...ood.map((text) => ({ text, q: undefined })),
  ];
  for (const { text, q } of all) {
    const hits = (await search(ws, { query: text, kbId, k: 5, mode }, deps)).slice(0, 5);
    const support = assessSupport(ws.db, text, hits, DEFAULT_SUPPORT_POLICY);
    out.push({
      question: text,
      answerable: q !== undefined,
      coverage: support.coverage,
      topScore: support.topScore ?? 0,
      ...(q ? { goldRank: firstHit(hits, q) } : {}),
    });
  }
  return out;
}

const even = <T>(xs: T[]) => xs.filter((_, i) => i % 2 === 0);
const odd = <T>(xs: T[]) => xs.filter((_, i) => i % 2 === 1);

async function evalFeature(kbId: string, label: string, deps: ChatDeps): Promise<void> {
  const started = performance.now();
  const report = await runEval(deps, kbId, { k: 5 });
  line({
    step: 'eval-run',
    model: label,
    seconds: round((performance.now() - started) / 1000),
    ...Object.fromEntries(
      Object.entries(report.run.metrics).map(([k, v]) => [k, typeof v === 'number' ? round(v) : v]),
    ),
  });
}

/** With vectors (a real embedding model at ANSWER_QUALITY_EMBED_HOST): the same threshold, hybrid. */
async function hybridCheck(
  ws: Workspace,
  kbId: string,
  squad: Question[],
  ood: string[],
  host: string,
) {
  const embedder = new OllamaEmbedder({ host, model: 'nomic-embed-text', batchSize: 32 });
  const started = performance.now();
  const result = await embedPending(ws, { provider: embedder, batchSize: 32 });
  if (result.error) throw result.error;
  const scored = await scoreAll(ws, kbId, squad, ood, 'hybrid', { embedderFor: () => embedder });
  const samples = odd(scored.filter((s) => s.answerable))
    .concat(odd(scored.filter((s) => !s.answerable)))
    .map((s) => ({ score: s.coverage, answerable: s.answerable }));
  const held = evaluateThreshold(samples, DEFAULT_SUPPORT_POLICY.minCoverage);
  line({
    step: 'held-out-hybrid',
    stepSeconds: round((performance.now() - started) / 1000),
    aucCoverage: round(rocAuc(samples)),
    threshold: DEFAULT_SUPPORT_POLICY.minCoverage,
    answerRate: round(held.answerRate),
    refusalRate: round(held.refusalRate),
    balancedAccuracy: round(held.balancedAccuracy),
    recallAt5: round(
      odd(scored.filter((s) => s.answerable)).filter((s) => s.goldRank).length / odd(squad).length,
    ),
  });
}

export async function run(): Promise<void> {
  const home = mkdtempSync(join(tmpdir(), 'bench-answer-quality-'));
  const ws = openWorkspace(home);
  try {
    const kbId = findKnowledgeBase(ws.db).id;
    const articles = loadArticles();
    const chunks = storeArticles(
      ws.db,
      kbId,
      articles,
      (t) => structuredChunks(t, DEFAULT_CHUNKING),
      true,
    );
    const squad = loadQuestions();
    const ood = unanswerable();
    line({
      step: 'corpus',
      articles: articles.length,
      chunks,
      answerable: squad.length,
      unanswerable: ood.length,
    });

    const scored = await scoreAll(ws, kbId, squad, ood);
    const calibration = [
      ...even(scored.filter((s) => s.answerable)),
      ...even(scored.filter((s) => !s.answerable)),
    ];
    const heldOut = [
      ...odd(scored.filter((s) => s.answerable)),
      ...odd(scored.filter((s) => !s.answerable)),
    ];
    const asCoverage = (xs: Scored[]) =>
      xs.map((s) => ({ score: s.coverage, answerable: s.answerable }));
    const asTop = (xs: Scored[]) =>
      xs.map((s) => ({ score: s.topScore, answerable: s.answerable }));
    const chosen = calibrateThreshold(asCoverage(calibration), { minAnswerRate: MIN_ANSWER_RATE });
    const unconstrained = calibrateThreshold(asCoverage(calibration));
    line({
      step: 'calibration',
      signal: 'coverage',
      aucCoverage: round(rocAuc(asCoverage(calibration))),
      aucTopBm25: round(rocAuc(asTop(calibration))),
      threshold: round(chosen.threshold),
      answerRate: round(chosen.answerRate),
      refusalRate: round(chosen.refusalRate),
      balancedAccuracy: round(chosen.balancedAccuracy),
      minAnswerRate: MIN_ANSWER_RATE,
      unconstrainedThreshold: round(unconstrained.threshold),
      unconstrainedBalancedAccuracy: round(unconstrained.balancedAccuracy),
      productThreshold: DEFAULT_SUPPORT_POLICY.minCoverage,
    });
    for (const t of [
      0.3,
      0.4,
      0.5,
      0.6,
      0.7,
      DEFAULT_SUPPORT_POLICY.minCoverage,
      round(chosen.threshold) ?? 0,
    ]) {
      const held = evaluateThreshold(asCoverage(heldOut), t);
      const retrieved = heldOut.filter((s) => s.answerable && s.goldRank !== undefined);
      line({
        step: 'held-out',
        threshold: t,
        answerRate: round(held.answerRate),
        refusalRate: round(held.refusalRate),
        balancedAccuracy: round(held.balancedAccuracy),
        answerRateWhenGoldRetrieved: round(evaluateThreshold(asCoverage(retrieved), t).answerRate),
      });
    }

    const embedHost = process.env.ANSWER_QUALITY_EMBED_HOST;
    if (embedHost) await hybridCheck(ws, kbId, squad, ood, embedHost);

    // The app's own eval feature, on held-out questions only.
    const sampleSize = Number(process.env.ANSWER_QUALITY_EVAL_QUESTIONS ?? 200);
    const heldSquad = odd(squad);
    const step = Math.max(1, Math.floor(heldSquad.length / sampleSize));
    const docs = new Map(
      (
        ws.db.prepare('SELECT id, source_path FROM documents').all() as {
          id: string;
          source_path: string;
        }[]
      ).map((d) => [d.source_path, d.id]),
    );
    for (const q of heldSquad.filter((_, i) => i % step === 0).slice(0, sampleSize)) {
      addEvalCase(ws.db, kbId, {
        question: q.question,
        kind: 'answer',
        expectedDocuments: [docs.get(q.gold_file) ?? ''],
        expectedPhrase: q.all_answers[0],
      });
    }
    for (const q of odd(ood)) addEvalCase(ws.db, kbId, { question: q, kind: 'refuse' });

    const retrieve: ChatDeps['retrieve'] = (query, { kbId: kb }) =>
      search(ws, { query, kbId: kb, k: 8, mode: 'keyword' });
    const fake = await startFakeOllama({ chat: citingModel });
    const config = { ...chatConfigFromEnv({}), host: fake.url };
    try {
      await evalFeature(kbId, 'fake-citing', {
        db: ws.db,
        retrieve,
        model: createOllamaChatModel(config),
      });
    } finally {
      await fake.close();
    }
    await evalFeature(kbId, 'none (extractive)', { db: ws.db, retrieve });
    const compat = process.env.ANSWER_QUALITY_OLLAMA;
    if (compat) {
      const model = createOllamaChatModel({ ...config, host: compat, model: 'extractive' });
      await evalFeature(kbId, `ollama-compat extractive at ${compat}`, {
        db: ws.db,
        retrieve,
        model,
      });
    }
  } finally {
    ws.close();
    rmSync(home, { recursive: true, force: true });
  }
}
