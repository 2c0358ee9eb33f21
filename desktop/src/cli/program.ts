import { Command, CommanderError } from 'commander';
import { registerAsk } from './commands/ask';
import { registerChat } from './commands/chat';
import { registerDocs } from './commands/docs';
import { registerEmbed } from './commands/embed';
import { registerEval } from './commands/eval';
import { registerIngest } from './commands/ingest';
import { registerKb } from './commands/kb';
import { registerLogin } from './commands/login';
import { registerPersona } from './commands/persona';
import { registerProgram } from './commands/program';
import { registerPublish } from './commands/publish';
import { registerRm } from './commands/rm';
import { registerSearch } from './commands/search';
import { registerStatus } from './commands/status';
import { registerSync } from './commands/sync';
import { type CliIo, createContext } from './context';

/** Each command registers itself here; keep this list the one place that names them. */
const COMMANDS = [
  registerStatus,
  registerKb,
  registerIngest,
  registerDocs,
  registerRm,
  registerSearch,
  registerEmbed,
  registerProgram,
  registerAsk,
  registerChat,
  registerPersona,
  registerEval,
  registerLogin,
  registerPublish,
  registerSync,
];

/** Runs the `creator-hub` command line and returns the process exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const ctx = createContext(io);
  const program = new Command('creator-hub')
    .description('Creator Hub: your documents, grounded answers, coaching programs.')
    .option(
      '--home <dir>',
      'workspace folder (env CREATOR_HUB_HOME; default: the OS app-data folder)',
    )
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    });
  for (const register of COMMANDS) register(program, ctx);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    io.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  } finally {
    ctx.closeAll();
  }
}
