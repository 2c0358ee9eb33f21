import type { Command } from 'commander';
import { removeDocument } from '../../core/knowledge/documents';
import type { CliContext } from '../context';

export function registerRm(program: Command, ctx: CliContext): void {
  program
    .command('rm')
    .description('Remove a document, its chunks and its stored original')
    .argument('<documentId>', 'id shown by `docs`')
    .option('--json', 'print JSON')
    .action(async (id: string, opts: { json?: boolean }, command: Command) => {
      const removed = await removeDocument(ctx.workspace(command), id);
      if (opts.json) return ctx.printJson({ removed: removed.id, title: removed.title });
      ctx.print(`Removed "${removed.title}" (${removed.id}, ${removed.chunks} chunks)`);
    });
}
