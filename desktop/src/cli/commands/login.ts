import { hostname } from 'node:os';
import type { Command } from 'commander';
import { login, logout } from '../../core/sync/account';
import type { CliContext } from '../context';

async function readLine(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stream) {
    text += String(chunk);
    if (text.includes('\n')) break;
  }
  return text.split('\n')[0]?.trim() ?? '';
}

export function registerLogin(program: Command, ctx: CliContext): void {
  program
    .command('login <server-url>')
    .description('Log in to a sync server and register this workspace as a device')
    .requiredOption('--email <address>', 'account e-mail')
    .option(
      '--password-stdin',
      'read the password from the first line of stdin (else env CREATOR_HUB_PASSWORD)',
    )
    .option('--device-name <name>', 'how this device is listed on the server', hostname())
    .option('--tenant <id>', 'tenant to publish to (default: the first one you may edit)')
    .option('--json', 'print JSON')
    .action(
      async (
        serverUrl: string,
        opts: {
          email: string;
          passwordStdin?: boolean;
          deviceName: string;
          tenant?: string;
          json?: boolean;
        },
        command: Command,
      ) => {
        const password =
          opts.passwordStdin && ctx.stdin
            ? await readLine(ctx.stdin)
            : ctx.env.CREATOR_HUB_PASSWORD;
        if (!password)
          throw new Error('no password: pass --password-stdin or set CREATOR_HUB_PASSWORD');
        const ws = ctx.workspace(command);
        const account = await login(ws.db, {
          serverUrl,
          email: opts.email,
          password,
          deviceName: opts.deviceName,
          tenantId: opts.tenant,
        });
        if (opts.json) return ctx.printJson(account);
        ctx.print(
          `Logged in to ${account.serverUrl} as ${account.account} (tenant ${account.tenantId}, device ${account.deviceId})`,
        );
      },
    );
  program
    .command('logout')
    .description('Forget this device token (local changes stay queued)')
    .action((_opts: unknown, command: Command) => {
      logout(ctx.workspace(command).db);
      ctx.print('Logged out.');
    });
}
