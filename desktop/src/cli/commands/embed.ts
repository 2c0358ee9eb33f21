import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { embedderFromSettings } from '../../core/embed/config';
import { ollamaHost, pullModel } from '../../core/embed/ollama';
import { type EmbedPendingResult, embedPending } from '../../core/embed/pending';
import type { Embedder } from '../../core/embed/types';
import { findKnowledgeBase } from '../../core/knowledge/bases';
import type { Workspace } from '../../core/workspace';
import type { CliContext } from '../context';

export interface EmbedFlags {
  embedModel?: string;
  embedProvider?: string;
  json?: boolean;
}

/** Adds the options that choose the embedder; `ingest` and `embed` share them. */
export function withEmbedOptions(command: Command): Command {
  return command
    .option(
      '--embed-model <name>',
      'embedding model (env CREATOR_HUB_EMBED_MODEL; default nomic-embed-text)',
    )
    .option(
      '--embed-provider <name>',
      'ollama (default; env OLLAMA_HOST), transformers (model = a local folder) or none',
    );
}

export function embedderFromFlags(ctx: CliContext, flags: EmbedFlags): Embedder | undefined {
  return embedderFromSettings(
    {
      provider: flags.embedProvider,
      model: flags.embedModel,
      onWarning: (w) => ctx.stderr.write(`warning: ${w}\n`),
    },
    ctx.env,
  );
}

/**
 * Fills pending vectors with progress: a bar on a terminal, JSON progress lines with --json.
 * Returns the result; an error inside it means vectors stay pending, never that data was lost.
 */
export async function runEmbedStep(
  ctx: CliContext,
  ws: Workspace,
  provider: Embedder,
  options: { kbId?: string; json?: boolean },
): Promise<EmbedPendingResult> {
  const bar =
    ctx.isTTY && !options.json
      ? new SingleBar({
          stream: ctx.stderr,
          format: 'embedding [{bar}] {value}/{total}',
          clearOnComplete: true,
        })
      : null;
  let started = false;
  const result = await embedPending(ws, {
    provider,
    kbId: options.kbId,
    onProgress: ({ done, total }) => {
      if (options.json) ctx.printJson({ progress: { phase: 'embed', done, total } });
      if (bar && !started) bar.start(total, done);
      started = true;
      bar?.setTotal(total);
      bar?.update(done);
    },
  });
  bar?.stop();
  return result;
}

/**
 * The embedding step of `ingest`: when an embedder is reachable, the new chunks get their vectors
 * before the command returns; when none is, ingestion has still succeeded and vectors stay pending.
 */
export async function embedAfterIngest(
  ctx: CliContext,
  ws: Workspace,
  opts: EmbedFlags & { kb?: string },
): Promise<void> {
  const provider = embedderFromFlags(ctx, opts);
  if (!provider) return;
  const kbId = findKnowledgeBase(ws.db, opts.kb).id;
  const pendingNote = (reason: string): void => {
    ctx.stderr.write(`note: vectors are pending (${reason}); run \`creator-hub embed\` later\n`);
  };
  try {
    await provider.probe?.();
  } catch (error) {
    return pendingNote(error instanceof Error ? error.message : String(error));
  }
  const result = await runEmbedStep(ctx, ws, provider, { kbId, json: opts.json });
  if (opts.json) ctx.printJson({ embedding: resultJson(result) });
  else if (result.embedded > 0) ctx.print(`${result.embedded} chunks embedded`);
  if (result.error) pendingNote(result.error.message);
}

export const resultJson = (r: EmbedPendingResult) => ({
  embedded: r.embedded,
  pending: r.pending,
  ...(r.error ? { error: { code: r.error.code, message: r.error.message } } : {}),
});

export function registerEmbed(program: Command, ctx: CliContext): void {
  withEmbedOptions(
    program
      .command('embed')
      .description(
        'Give every chunk still waiting for a vector one (after ingesting offline, or a model switch)',
      ),
  )
    .option('--kb <name>', 'only this knowledge base (default: all)')
    .option('--pull', 'download the embedding model through Ollama first if it is missing')
    .option('--json', 'print JSON progress lines, then a result line')
    .action(async (opts: EmbedFlags & { kb?: string; pull?: boolean }, command: Command) => {
      const ws = ctx.workspace(command);
      const kbId = opts.kb === undefined ? undefined : findKnowledgeBase(ws.db, opts.kb).id;
      const provider = embedderFromFlags(ctx, opts);
      if (!provider) throw new Error('no embedding provider chosen (provider "none")');
      let result = await runEmbedStep(ctx, ws, provider, { kbId, json: opts.json });
      if (result.error?.code === 'model_missing' && opts.pull && provider.provider === 'ollama') {
        await pullModel(
          provider.model,
          (p) => {
            if (opts.json) ctx.printJson({ progress: { phase: 'pull', ...p } });
            else if (p.total)
              ctx.stderr.write(`pulling ${provider.model}: ${p.completed ?? 0}/${p.total}\n`);
            else ctx.stderr.write(`pulling ${provider.model}: ${p.status}\n`);
          },
          { host: ollamaHost(ctx.env) },
        );
        result = await runEmbedStep(ctx, ws, provider, { kbId, json: opts.json });
      }
      if (opts.json) ctx.printJson(resultJson(result));
      else ctx.print(`${result.embedded} chunks embedded, ${result.pending} still pending`);
      if (result.error) throw result.error;
    });
}
