import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Runs the bench module at `moduleUrl` again in a child process (through tsx) with `env` added,
 * so its servers get an event loop of their own. Resolves with the child, once it has written its
 * first line to stdout, and that line; rejects if the child exits first. `exited` settles when the
 * child exits.
 */
export async function startServeChild(moduleUrl: string, env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(moduleUrl)], {
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  const line = await new Promise<string>((resolve, reject) => {
    let buffer = '';
    child.stdout.on('data', (d: Buffer) => {
      buffer += d.toString();
      const nl = buffer.indexOf('\n');
      if (nl >= 0) resolve(buffer.slice(0, nl));
    });
    child.on('exit', (code) => reject(new Error(`bench server exited (${code})`)));
  });
  return { child, exited, line };
}
