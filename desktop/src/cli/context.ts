import type { Command } from 'commander';
import { openWorkspace, resolveHome, type Workspace } from '../core/workspace';

/** What a command needs from the outside world; tests pass their own streams and env. */
export interface CliIo {
  /** Where interactive commands (chat) read from; absent: no interactive input. */
  stdin?: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  /** Whether stderr is an interactive terminal (progress bars draw only there). */
  isTTY: boolean;
}

export interface CliContext extends CliIo {
  /** Opens the workspace named by `--home` / CREATOR_HUB_HOME / the OS default; closed after the command. */
  workspace(command: Command): Workspace;
  print(line: string): void;
  printJson(value: unknown): void;
}

export function createContext(io: CliIo): CliContext & { closeAll(): void } {
  const open: Workspace[] = [];
  return {
    ...io,
    workspace(command) {
      const { home } = command.optsWithGlobals<{ home?: string }>();
      const ws = openWorkspace(resolveHome(home, io.env));
      open.push(ws);
      return ws;
    },
    print: (line) => io.stdout.write(`${line}\n`),
    printJson: (value) => io.stdout.write(`${JSON.stringify(value)}\n`),
    closeAll() {
      for (const ws of open.splice(0)) ws.close();
    },
  };
}
