import { PassThrough } from 'node:stream';
import { runCli } from '../../src/cli/program';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON lines. */
  json<T = unknown>(): T[];
}

/** Runs the CLI in-process with captured streams: what a user would see, without a process spawn. */
export async function cli(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  /** Lines fed to an interactive command, e.g. chat. */
  stdin?: NodeJS.ReadableStream,
): Promise<CliResult> {
  const out = new PassThrough();
  const err = new PassThrough();
  const chunks = { out: [] as Buffer[], err: [] as Buffer[] };
  out.on('data', (c: Buffer) => chunks.out.push(c));
  err.on('data', (c: Buffer) => chunks.err.push(c));
  const code = await runCli(args, { stdin, stdout: out, stderr: err, env, isTTY: false });
  const stdout = Buffer.concat(chunks.out).toString('utf8');
  return {
    code,
    stdout,
    stderr: Buffer.concat(chunks.err).toString('utf8'),
    json: <T>() =>
      stdout
        .split('\n')
        .filter((l) => l.trim().startsWith('{'))
        .map((l) => JSON.parse(l) as T),
  };
}
