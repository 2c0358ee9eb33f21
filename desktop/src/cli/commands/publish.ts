import type { Command } from 'commander';
import { deviceTransport } from '../../core/sync/account';
import { type PublishProgress, publish } from '../../core/sync/publish';
import type { CliContext } from '../context';

const mb = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MB`;

export function registerPublish(program: Command, ctx: CliContext): void {
  program
    .command('publish')
    .description('Publish a release (knowledge, persona, programs, latest eval results); resumable')
    .option('--note <text>', 'what changed in this release', '')
    .option('--replace-model', "make this workspace's embedding model the tenant's")
    .option('--history', 'list releases instead of publishing')
    .option('--rollback <version>', 'serve an earlier release again instead of publishing')
    .option('--json', 'print JSON')
    .action(
      async (
        opts: {
          note: string;
          replaceModel?: boolean;
          history?: boolean;
          rollback?: string;
          json?: boolean;
        },
        command: Command,
      ) => {
        const ws = ctx.workspace(command);
        const transport = deviceTransport(ws.db);
        if (opts.history) {
          const releases = await transport.releases();
          if (opts.json) return ctx.printJson({ releases });
          for (const r of releases) {
            ctx.print(
              `v${r.version}${r.active ? ' (served)' : ''}\t${r.kind}\t${r.createdAt}\t${r.note}`,
            );
          }
          return;
        }
        if (opts.rollback !== undefined) {
          const version = Number(opts.rollback);
          if (!Number.isInteger(version) || version < 1)
            throw new Error('--rollback needs a release version');
          const release = await transport.rollback(version, opts.note);
          if (opts.json) return ctx.printJson(release);
          return ctx.print(`Now serving v${release.version} (a copy of v${version}).`);
        }
        // Ctrl-C stops after the current request; what arrived stays, the next publish resumes.
        const controller = new AbortController();
        const stop = () => controller.abort();
        process.once('SIGINT', stop);
        const onProgress = (p: PublishProgress) => {
          if (opts.json) return ctx.printJson({ event: 'progress', ...p });
          if (p.phase === 'sending' && p.sentMutations > 0) {
            ctx.stderr.write(
              `sent ${p.sentMutations}/${p.totalMutations} changes, ${mb(p.sentBytes)}\n`,
            );
          }
        };
        try {
          const release = await publish(ws.db, transport, {
            note: opts.note,
            replaceModel: opts.replaceModel,
            signal: controller.signal,
            onProgress,
          });
          if (opts.json) return ctx.printJson({ event: 'published', release });
          ctx.print(`Published release v${release.version}.`);
        } finally {
          process.removeListener('SIGINT', stop);
        }
      },
    );
}
