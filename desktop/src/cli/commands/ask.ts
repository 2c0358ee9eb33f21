import type { Command } from 'commander';
import { ask } from '../../core/chat/ask';
import { type Citation, sourceLabel } from '../../core/chat/citations';
import { toInertText } from '../../core/chat/inert';
import { chatDepsFromEnv } from '../../core/chat/setup';
import { findKnowledgeBase } from '../../core/knowledge/bases';
import type { CliContext } from '../context';

export const sourceLine = (c: Citation): string => toInertText(`[${c.n}] ${sourceLabel(c)}`);

/** Ends a streamed answer with its sources. */
export function printSources(ctx: CliContext, citations: readonly Citation[]): void {
  ctx.print('');
  if (citations.length === 0) return;
  ctx.print('\nSources:');
  for (const c of citations) ctx.print(sourceLine(c));
}

/** The `ask --json` shape, exactly: nothing internal (chunk ids, scores) leaks into it. */
export function answerJson(result: {
  answer: string;
  citations: Citation[];
  refused: boolean;
  mode: 'llm' | 'extractive';
}) {
  return {
    answer: result.answer,
    citations: result.citations.map((c) => ({
      n: c.n,
      documentId: c.documentId,
      title: c.title,
      section: c.section,
      page: c.page,
      text: c.text,
    })),
    refused: result.refused,
    mode: result.mode,
  };
}

/** Ctrl-C cancels the answer being streamed instead of killing the process mid-write. */
export function abortOnInterrupt(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  return { signal: controller.signal, dispose: () => process.off('SIGINT', onSigint) };
}

export function registerAsk(program: Command, ctx: CliContext): void {
  program
    .command('ask')
    .description('Ask a question; the answer comes from your documents, with sources')
    .argument('<question...>', 'the question')
    .option('--kb <name>', 'knowledge base to answer from (default: the default one)')
    .option('--json', 'print {"answer","citations","refused","mode"}')
    .action(async (words: string[], opts: { kb?: string; json?: boolean }, command: Command) => {
      const ws = ctx.workspace(command);
      const kbId = findKnowledgeBase(ws.db, opts.kb).id;
      const deps = chatDepsFromEnv(ws, ctx.env, (n) => ctx.stderr.write(`note: ${n}\n`));
      const interrupt = abortOnInterrupt();
      try {
        const result = await ask(deps, {
          question: words.join(' '),
          kbId,
          signal: interrupt.signal,
          onToken: opts.json ? undefined : (t) => ctx.stdout.write(t),
        });
        if (result.notice) ctx.stderr.write(`note: ${result.notice}\n`);
        if (opts.json) ctx.printJson(answerJson(result));
        else printSources(ctx, result.citations);
        if (result.status !== 'complete') {
          throw new Error(result.notice ?? `the answer was ${result.status}`);
        }
      } finally {
        interrupt.dispose();
      }
    });
}
