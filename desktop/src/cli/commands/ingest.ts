import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { type IngestResult, ingestPaths } from '../../core/ingest/ingest';
import type { CliContext } from '../context';
import { embedAfterIngest, withEmbedOptions } from './embed';

/** The JSON line of one file, exactly the fields the command documents. */
function resultJson(r: IngestResult): Record<string, unknown> {
  if (r.status === 'ok')
    return { path: r.path, status: r.status, documentId: r.documentId, chunks: r.chunks };
  if (r.status === 'duplicate') return { path: r.path, status: r.status, documentId: r.documentId };
  return { path: r.path, status: r.status, reason: r.reason };
}

function resultLine(r: IngestResult): string {
  if (r.status === 'ok')
    return `ok         ${r.path} (${r.chunks} chunks${r.replaced ? ', replaced' : ''})`;
  if (r.status === 'duplicate') return `duplicate  ${r.path} (already stored as ${r.documentId})`;
  return `rejected   ${r.path}: ${r.reason}`;
}

export function registerIngest(program: Command, ctx: CliContext): void {
  withEmbedOptions(program.command('ingest'))
    .description('Add documents (PDF, DOCX, TXT, MD) or folders of them to a knowledge base')
    .argument('<paths...>', 'files or folders (folders are read recursively)')
    .option('--kb <name>', 'knowledge base (created if missing; default: the default one)')
    .option('--json', 'print one JSON line per file, then a summary line')
    .action(async (paths: string[], opts: { kb?: string; json?: boolean }, command: Command) => {
      const ws = ctx.workspace(command);
      const bar = ctx.isTTY
        ? new SingleBar({
            stream: ctx.stderr,
            format: 'ingesting [{bar}] {value}/{total} {file}',
            clearOnComplete: true,
          })
        : null;
      let started = false;
      const results = await ingestPaths(ws, paths, {
        kb: opts.kb,
        onProgress: ({ done, total, result }) => {
          if (bar && !started) bar.start(total, 0, { file: '' });
          started = true;
          bar?.update(done, { file: result.path.slice(-40) });
        },
      });
      bar?.stop();
      const summary = { ok: 0, rejected: 0, duplicate: 0 };
      for (const r of results) {
        summary[r.status]++;
        if (opts.json) ctx.printJson(resultJson(r));
        else ctx.print(resultLine(r));
      }
      await embedAfterIngest(ctx, ws, opts);
      if (opts.json) ctx.printJson({ summary });
      else
        ctx.print(
          `${summary.ok} ingested, ${summary.duplicate} duplicate, ${summary.rejected} rejected`,
        );
    });
}
