import { type Command, InvalidArgumentError } from 'commander';
import { Ollama } from 'ollama';
import { chatConfigFromEnv } from '../../core/chat/config';
import { embedderForFingerprint } from '../../core/embed/config';
import { findKnowledgeBase } from '../../core/knowledge/bases';
import { draftProgram, searchDraftChunks } from '../../core/programs/draft';
import { ProgramError } from '../../core/programs/errors';
import { issueLines, programOutline } from '../../core/programs/format';
import { toDoc } from '../../core/programs/read';
import { createProgram } from '../../core/programs/repository';
import type { CliContext } from '../context';

const DRAFT_TIMEOUT_MS = 10 * 60_000;

/**
 * The setting when it is a usable timer delay, else the default. AbortSignal.timeout throws on a
 * negative, fractional or over-2^32 delay, which surfaced as the model having failed.
 */
function draftTimeoutMs(setting: string | undefined): number {
  const ms = Number(setting);
  return Number.isInteger(ms) && ms > 0 && ms <= 0xffff_ffff ? ms : DRAFT_TIMEOUT_MS;
}

const weeksArg = (raw: string) => {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 52) throw new InvalidArgumentError('must be 1 to 52');
  return n;
};

interface DraftOptions {
  goal: string;
  audience: string;
  weeks: number;
  kb?: string;
  model?: string;
  json?: boolean;
}

export function registerProgramDraft(program: Command, ctx: CliContext): void {
  program
    .command('draft')
    .description('Draft a program from a knowledge base with the local LLM, saved as a draft')
    .requiredOption('--goal <text>', 'what the learner should achieve')
    .option('--audience <text>', 'who the program is for', '')
    .requiredOption('--weeks <n>', 'duration in weeks (1-52)', weeksArg)
    .option('--kb <name>', 'knowledge base to draw from (default: the default one)')
    .option('--model <name>', 'Ollama chat model (env CREATOR_HUB_CHAT_MODEL)')
    .option('--json', 'print JSON')
    .action(async (opts: DraftOptions, command: Command) => {
      const ws = ctx.workspace(command);
      const kb = findKnowledgeBase(ws.db, opts.kb);
      // The same model, host and context window as chat (OLLAMA_HOST, CREATOR_HUB_CHAT_*).
      const chat = chatConfigFromEnv(ctx.env);
      const host = chat.host;
      const timeoutMs = draftTimeoutMs(ctx.env.CREATOR_HUB_DRAFT_TIMEOUT_MS);
      const embedderFor = embedderForFingerprint(ctx.env);
      const retrieve = searchDraftChunks(ws, kb.id, { embedderFor });
      const result = await draftProgram(opts, {
        retrieve,
        ollama: new Ollama({
          host,
          // A whole program is a long generation on a CPU; still, never wait forever.
          fetch: (input, init) => fetch(input, { ...init, signal: AbortSignal.timeout(timeoutMs) }),
        }),
        model: opts.model ?? chat.model,
        host,
        numCtx: chat.numCtx,
      });
      if (!result.ok) {
        if (opts.json) ctx.printJson(result);
        throw new ProgramError('draft_failed', result.message, result.issues);
      }
      const saved = createProgram(ws.db, result.program, `draft program "${result.program.title}"`);
      if (opts.json) {
        return ctx.printJson({
          program: toDoc(saved),
          issues: result.issues,
          droppedCitations: result.droppedCitations,
          sources: result.sources.map(({ text: _t, ...s }) => s),
        });
      }
      for (const line of programOutline(saved)) ctx.print(line);
      ctx.print(
        `Drafted from ${result.sources.length} passages of "${kb.name}"; saved as a draft.`,
      );
      if (result.droppedCitations.length > 0) {
        ctx.print(
          `Dropped ${result.droppedCitations.length} citation(s) of passages the model was not given.`,
        );
      }
      if (result.issues.length > 0) ctx.print('To fix while editing:');
      for (const line of issueLines(result.issues)) ctx.print(line);
    });
}
