import type { Command } from 'commander';
import { toInertText } from '../../core/chat/inert';
import { chatDepsFromEnv } from '../../core/chat/setup';
import {
  acceptEvalCase,
  addEvalCase,
  type EvalCase,
  listEvalCases,
  removeEvalCase,
  resolveDocument,
  TestSetError,
} from '../../core/evals/cases';
import { generateCandidates } from '../../core/evals/generate';
import { DEFAULT_EVAL_K, type EvalRunReport, runEval } from '../../core/evals/run';
import type { RunMetrics } from '../../core/evals/score';
import { findKnowledgeBase } from '../../core/knowledge/bases';
import type { CliContext } from '../context';

const collect = (value: string, previous: string[] = []) => [...previous, value];
const percent = (x: number | null) => (x === null ? 'n/a' : `${(x * 100).toFixed(1)}%`);

function positiveInt(raw: string, flag: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 100) throw new Error(`${flag} must be 1 to 100`);
  return n;
}

function caseLine(c: EvalCase): string {
  const expect =
    c.kind === 'refuse'
      ? 'must refuse'
      : `from ${c.expectedDocuments.length} document(s)${c.expectedPhrase ? `, says "${c.expectedPhrase}"` : ''}`;
  return toInertText(`${c.id}\t${c.status}\t${c.question}\t(${expect})`);
}

const METRIC_LABELS: [keyof RunMetrics, string][] = [
  ['hitAtK', 'retrieval hit@k'],
  ['mrr', 'MRR@k'],
  ['citationAccuracy', 'citation accuracy'],
  ['citedAnswerRate', 'answers with citations'],
  ['refusalCorrectness', 'refusal correctness'],
  ['refusalRecall', 'must-refuse refused'],
  ['answerRate', 'must-answer answered'],
  ['phraseMatch', 'answer phrase match'],
];

function printReport(ctx: CliContext, report: EvalRunReport): void {
  const { run, comparison } = report;
  const m = run.metrics;
  ctx.print(
    `Run ${run.id}: ${m.cases} questions (${m.answerCases} to answer, ${m.refuseCases} to refuse), k=${run.k}, mode ${run.mode}`,
  );
  for (const [key, label] of METRIC_LABELS) {
    const change = comparison?.metrics.find((c) => c.metric === key)?.delta;
    const delta =
      change === null || change === undefined
        ? ''
        : ` (${change >= 0 ? '+' : ''}${(change * 100).toFixed(1)} pts)`;
    ctx.print(`  ${label.padEnd(24)} ${percent(m[key] as number | null)}${delta}`);
  }
  if (!comparison) {
    ctx.print('First run for this knowledge base: nothing to compare with.');
  } else if (comparison.regressions.length === 0) {
    ctx.print('No regressions since the previous run.');
  } else {
    ctx.print(`Regressions since the previous run (${comparison.regressions.length}):`);
    for (const r of comparison.regressions) {
      ctx.print(toInertText(`  - ${r.question}: ${r.what.join(', ')}`));
    }
  }
}

export function registerEval(program: Command, ctx: CliContext): void {
  const evals = program
    .command('eval')
    .description('Test questions per knowledge base, and answer-quality runs before publishing');

  evals
    .command('add')
    .description('Add a test question: answered from --doc documents, or --refuse')
    .argument('<question...>', 'the question')
    .option('--kb <name>', 'knowledge base (default: the default one)')
    .option('--doc <title-or-id>', 'a document the answer must come from (repeat)', collect)
    .option('--phrase <text>', 'a phrase the answer should contain')
    .option('--refuse', 'the question must be refused (not covered by the documents)')
    .option('--json', 'print JSON')
    .action(
      (
        words: string[],
        opts: { kb?: string; doc?: string[]; phrase?: string; refuse?: boolean; json?: boolean },
        command: Command,
      ) => {
        const { db } = ctx.workspace(command);
        const kbId = findKnowledgeBase(db, opts.kb).id;
        const added = addEvalCase(db, kbId, {
          question: words.join(' '),
          kind: opts.refuse ? 'refuse' : 'answer',
          expectedDocuments: (opts.doc ?? []).map((d) => resolveDocument(db, kbId, d)),
          ...(opts.phrase !== undefined && { expectedPhrase: opts.phrase }),
        });
        if (opts.json) return ctx.printJson(added);
        ctx.print(`Added test question ${added.id}.`);
      },
    );

  evals
    .command('generate')
    .description('Draft candidate questions from a document with the language model')
    .requiredOption('--doc <title-or-id>', 'the document to draw questions from')
    .option('--kb <name>', 'knowledge base (default: the default one)')
    .option('--count <n>', 'how many questions to draft', '5')
    .option('--json', 'print JSON')
    .action(
      async (
        opts: { doc: string; kb?: string; count: string; json?: boolean },
        command: Command,
      ) => {
        const ws = ctx.workspace(command);
        const kbId = findKnowledgeBase(ws.db, opts.kb).id;
        const documentId = resolveDocument(ws.db, kbId, opts.doc);
        const { model } = chatDepsFromEnv(ws, ctx.env);
        if (!model)
          throw new TestSetError(
            'no_model',
            'generating questions needs a chat model (CREATOR_HUB_CHAT_MODEL is "none")',
          );
        const created = await generateCandidates(ws.db, model, documentId, {
          count: positiveInt(opts.count, '--count'),
        });
        if (opts.json) return ctx.printJson({ candidates: created });
        ctx.print(
          `Drafted ${created.length} candidate(s). Accept with: creator-hub eval accept <id> [--question ...] [--phrase ...]`,
        );
        for (const c of created) ctx.print(caseLine(c));
      },
    );

  evals
    .command('accept')
    .description('Accept a drafted candidate, optionally editing it')
    .argument('<id>', 'the candidate id')
    .option('--question <text>', 'replace the question')
    .option('--phrase <text>', 'replace the expected phrase')
    .option('--no-phrase', 'drop the expected phrase')
    .option('--json', 'print JSON')
    .action(
      (
        id: string,
        opts: { question?: string; phrase?: string | false; json?: boolean },
        command: Command,
      ) => {
        const accepted = acceptEvalCase(ctx.workspace(command).db, id, {
          ...(opts.question !== undefined && { question: opts.question }),
          ...(opts.phrase !== undefined && {
            expectedPhrase: opts.phrase === false ? null : opts.phrase,
          }),
        });
        if (opts.json) return ctx.printJson(accepted);
        ctx.print(`Accepted ${accepted.id}.`);
      },
    );

  evals
    .command('rm')
    .description('Remove a test question or candidate')
    .argument('<id>', 'the question id')
    .action((id: string, _opts: unknown, command: Command) => {
      removeEvalCase(ctx.workspace(command).db, id);
      ctx.print(`Removed ${id}.`);
    });

  evals
    .command('list')
    .description('List test questions (accepted and candidates)')
    .option('--kb <name>', 'knowledge base (default: the default one)')
    .option('--candidates', 'only drafted candidates waiting for review')
    .option('--json', 'print JSON')
    .action((opts: { kb?: string; candidates?: boolean; json?: boolean }, command: Command) => {
      const { db } = ctx.workspace(command);
      const kbId = findKnowledgeBase(db, opts.kb).id;
      const cases = listEvalCases(db, kbId, opts.candidates ? 'candidate' : undefined);
      if (opts.json) return ctx.printJson({ cases });
      if (cases.length === 0)
        return ctx.print('No test questions yet. Add some with: creator-hub eval add');
      for (const c of cases) ctx.print(caseLine(c));
    });

  evals
    .command('run')
    .description('Answer every accepted test question and score retrieval, citations and refusals')
    .option('--kb <name>', 'knowledge base (default: the default one)')
    .option('--k <n>', 'passages considered for hit@k', String(DEFAULT_EVAL_K))
    .option('--json', 'print JSON')
    .action(async (opts: { kb?: string; k: string; json?: boolean }, command: Command) => {
      const ws = ctx.workspace(command);
      const kbId = findKnowledgeBase(ws.db, opts.kb).id;
      const deps = chatDepsFromEnv(ws, ctx.env);
      const report = await runEval(deps, kbId, {
        k: positiveInt(opts.k, '--k'),
        onCase: ctx.isTTY ? (done, total) => ctx.stderr.write(`\r${done}/${total}`) : undefined,
      });
      if (ctx.isTTY) ctx.stderr.write('\n');
      if (opts.json)
        return ctx.printJson({
          run: report.run,
          comparison: report.comparison ?? null,
          outcomes: report.outcomes,
        });
      printReport(ctx, report);
    });
}
