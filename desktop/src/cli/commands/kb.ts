import type { Command } from 'commander';
import { createKnowledgeBase, listKnowledgeBases } from '../../core/knowledge/bases';
import type { CliContext } from '../context';

export function registerKb(program: Command, ctx: CliContext): void {
  const kb = program.command('kb').description('List or create knowledge bases');
  kb.command('list')
    .description('List knowledge bases')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }, command: Command) => {
      const bases = listKnowledgeBases(ctx.workspace(command).db);
      if (opts.json) return ctx.printJson({ knowledgeBases: bases });
      for (const b of bases) ctx.print(`${b.name}${b.isDefault ? ' (default)' : ''}\t${b.id}`);
    });
  kb.command('create <name>')
    .description('Create a knowledge base')
    .option('--description <text>', 'what it holds', '')
    .option('--json', 'print JSON')
    .action((name: string, opts: { description: string; json?: boolean }, command: Command) => {
      const created = createKnowledgeBase(ctx.workspace(command).db, name, opts);
      if (opts.json) return ctx.printJson(created);
      ctx.print(`Created knowledge base "${created.name}" (${created.id})`);
    });
}
