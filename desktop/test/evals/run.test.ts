import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChatDeps } from '../../src/core/chat/answer';
import { createOllamaChatModel } from '../../src/core/chat/llm';
import { addEvalCase } from '../../src/core/evals/cases';
import { latestRun, runEval } from '../../src/core/evals/run';
import { openWorkspace, type Workspace } from '../../src/core/workspace';
import { citingModel, passagesIn, questionIn } from '../chat/models';
import { type SeededDocument, searchRetrieve, seedDocument } from '../chat/seed';
import { type ChatRequest, type FakeOllama, startFakeOllama } from '../helpers/fake-ollama';
import { tempDir } from '../helpers/tmp';

let ws: Workspace;
let server: FakeOllama;
let guide: SeededDocument;
let sleep: SeededDocument;

beforeEach(async () => {
  ws = openWorkspace(tempDir());
  guide = seedDocument(ws, {
    title: 'Course guide',
    chunks: [
      { text: 'The Morning Routine course costs 49 euros and includes twelve video lessons.' },
      { text: 'Refunds for the Morning Routine course are available within 30 days of sleep.' },
    ],
  });
  sleep = seedDocument(ws, {
    title: 'Sleep notes',
    chunks: [
      { text: 'The Sleep course: a dark, cool bedroom and a consistent bedtime improve sleep.' },
      { text: 'Caffeine after noon delays sleep onset for many people.' },
    ],
  });
  const kb = guide.kbId;
  addEvalCase(ws.db, kb, {
    question: 'How much does the Morning Routine course cost?',
    kind: 'answer',
    expectedDocuments: [guide.documentId],
    expectedPhrase: '49 euros',
  });
  addEvalCase(ws.db, kb, {
    question: 'Does caffeine after noon delay sleep?',
    kind: 'answer',
    expectedDocuments: [sleep.documentId],
    expectedPhrase: 'delays sleep onset',
  });
  addEvalCase(ws.db, kb, {
    question: 'What will the weather be like tomorrow morning?',
    kind: 'refuse',
  });
  server = await startFakeOllama({ chat: citingModel });
});

afterEach(async () => {
  ws.close();
  await server.close();
});

const deps = (over: Partial<ChatDeps> = {}): ChatDeps => ({
  db: ws.db,
  retrieve: searchRetrieve(ws),
  model: createOllamaChatModel({
    host: server.url,
    model: 'llama3.2:3b',
    numCtx: 8192,
    numPredict: 300,
    idleTimeoutMs: 5000,
    totalTimeoutMs: 10_000,
  }),
  ...over,
});

/** A worse model: cites the passage sharing fewest words with the question, never the answer. */
function sloppyModel(request: ChatRequest): string {
  const question = new Set(questionIn(request).toLowerCase().split(/\W+/));
  const overlap = (text: string) =>
    text
      .toLowerCase()
      .split(/\W+/)
      .filter((w) => question.has(w));
  const [worst] = passagesIn(request).sort(
    (a, b) => overlap(a.text).length - overlap(b.text).length,
  );
  return `It is covered somewhere [${worst?.n ?? 1}].`;
}

describe('eval run', () => {
  it('scores retrieval, citations, refusals and phrases, and stores the run', async () => {
    const report = await runEval(deps(), guide.kbId, { k: 3 });
    expect(report.run.metrics).toEqual({
      cases: 3,
      answerCases: 2,
      refuseCases: 1,
      hitAtK: 1,
      mrr: 1,
      citationAccuracy: 1,
      citedAnswerRate: 1,
      refusalCorrectness: 1,
      refusalRecall: 1,
      answerRate: 1,
      phraseMatch: 1,
    });
    expect(report.run).toMatchObject({ k: 3, mode: 'llm', model: 'llama3.2:3b' });
    expect(report.comparison).toBeUndefined();
    const stored = ws.db.prepare('SELECT count(*) AS n FROM eval_results').get() as { n: number };
    expect(stored.n).toBe(3);
    expect(latestRun(ws.db, guide.kbId)?.id).toBe(report.run.id);
    // A run stores nothing in the conversation history.
    expect(ws.db.prepare('SELECT count(*) AS n FROM messages').get()).toEqual({ n: 0 });
  });

  it('lists regressions against the previous run', async () => {
    const first = await runEval(deps(), guide.kbId, { k: 3 });
    server.setChat(sloppyModel);
    const second = await runEval(deps(), guide.kbId, { k: 3 });
    expect(second.comparison?.previousRunId).toBe(first.run.id);
    expect(second.run.metrics.phraseMatch).toBe(0);
    expect(second.run.metrics.citationAccuracy).toBeLessThan(1);
    const worse = second.comparison?.worse.map((m) => m.metric);
    expect(worse).toEqual(expect.arrayContaining(['phraseMatch', 'citationAccuracy']));
    const regressions = second.comparison?.regressions ?? [];
    expect(regressions.map((r) => r.question).sort()).toEqual([
      'Does caffeine after noon delay sleep?',
      'How much does the Morning Routine course cost?',
    ]);
    expect(regressions.flatMap((r) => r.what)).toContain('expected phrase missing');
    expect(regressions.flatMap((r) => r.what)).toContain('cites wrong sources');
  });

  it('reports answerable questions that start being refused, and an unrefused one', async () => {
    await runEval(deps(), guide.kbId);
    const strict = await runEval(deps({ policy: { minCoverage: 1.01 } }), guide.kbId);
    expect(strict.run.metrics.answerRate).toBe(0);
    const what = strict.comparison?.regressions.flatMap((r) => r.what) ?? [];
    expect(what.filter((w) => w === 'now refused')).toHaveLength(2);
    const lax = await runEval(deps({ policy: { minCoverage: 0 } }), guide.kbId);
    expect(lax.run.metrics.refusalRecall).toBe(0);
    expect(lax.comparison?.regressions.flatMap((r) => r.what)).toContain('no longer refused');
  });

  it('runs without a model, extractively, and refuses to run an empty test set', async () => {
    const report = await runEval(deps({ model: undefined }), guide.kbId);
    expect(report.run.mode).toBe('extractive');
    expect(report.run.metrics.hitAtK).toBe(1);
    expect(report.run.metrics.refusalRecall).toBe(1);
    const other = seedDocument(ws, { title: 'x', kb: 'Empty', chunks: [{ text: 'x' }] });
    await expect(runEval(deps(), other.kbId)).rejects.toThrow(/no accepted test questions/);
  });
});
