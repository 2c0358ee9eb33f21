import type { Command } from 'commander';
import { deviceTransport } from '../../core/sync/account';
import { listConflicts, resolveConflict } from '../../core/sync/conflicts';
import { syncOnce } from '../../core/sync/engine';
import { syncStatus } from '../../core/sync/status';
import type { CliContext } from '../context';

/** `--json` may be given before or after the subcommand name (the parent takes it too). */
const json = (command: Command) => command.optsWithGlobals<{ json?: boolean }>().json === true;

export function registerSync(program: Command, ctx: CliContext): void {
  const sync = program
    .command('sync')
    .description(
      'Send local changes and fetch remote ones (subcommands: status, conflicts, resolve)',
    )
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, command: Command) => {
      const ws = ctx.workspace(command);
      const result = await syncOnce(ws.db, deviceTransport(ws.db));
      if (opts.json) return ctx.printJson(result);
      const { push, pull } = result;
      ctx.print(
        `Sent ${push.mutations} changes (${push.bytes} bytes, ${push.rejected} refused); received ${pull.content.changes} content and ${pull.activity.changes} activity changes.`,
      );
    });
  sync
    .command('status')
    .description('Server, account, pending changes, conflicts and refused changes')
    .option('--json', 'print JSON')
    .action((_opts: unknown, command: Command) => {
      const s = syncStatus(ctx.workspace(command).db);
      if (json(command)) return ctx.printJson(s);
      ctx.print(s.loggedIn ? `Server: ${s.serverUrl} (${s.account})` : 'Not logged in.');
      ctx.print(`Pending changes: ${s.pending}`);
      ctx.print(`Open conflicts: ${s.conflicts}`);
      ctx.print(`Refused by the server: ${s.rejected.length}`);
      ctx.print(`Last sync: ${s.lastSyncAt ?? 'never'}`);
    });
  sync
    .command('conflicts')
    .description('List concurrent edits that lost, and remote rows this workspace could not take')
    .option('--json', 'print JSON')
    .action((_opts: unknown, command: Command) => {
      const conflicts = listConflicts(ctx.workspace(command).db);
      if (json(command)) return ctx.printJson({ conflicts });
      if (conflicts.length === 0) ctx.print('No open conflicts.');
      for (const c of conflicts) ctx.print(`${c.id}\t${c.kind}\t${c.table}\t${c.key}`);
    });
  sync
    .command('resolve <conflict-id>')
    .description('Resolve a conflict: keep the version in place (winner) or the other one (loser)')
    .requiredOption('--keep <which>', 'winner or loser')
    .action((id: string, opts: { keep: string }, command: Command) => {
      if (opts.keep !== 'winner' && opts.keep !== 'loser')
        throw new Error('--keep must be winner or loser');
      resolveConflict(ctx.workspace(command).db, id, opts.keep);
      ctx.print(`Resolved ${id} (kept the ${opts.keep}); run \`creator-hub sync\` to send it.`);
    });
}
