import type { Command } from 'commander';
import { workspaceStatus } from '../../core/knowledge/status';
import type { CliContext } from '../context';

export function registerStatus(program: Command, ctx: CliContext): void {
  program
    .command('status')
    .description('Show the workspace and the counts per knowledge base')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }, command: Command) => {
      const ws = ctx.workspace(command);
      const status = workspaceStatus(ws);
      if (opts.json) return ctx.printJson(status);
      ctx.print(`Workspace: ${status.home}`);
      for (const kb of status.knowledgeBases) {
        const pending = kb.pendingVectors > 0 ? `, ${kb.pendingVectors} waiting for vectors` : '';
        ctx.print(`  ${kb.name}: ${kb.documents} documents, ${kb.chunks} chunks${pending}`);
      }
    });
}
