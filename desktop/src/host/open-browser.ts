import { spawn } from 'node:child_process';

/**
 * Opens a URL in the user's browser. `BROWSER=none` opens nothing (CI, tests, remote shells);
 * any other BROWSER value names the program to run, as many dev tools do.
 */
export function openBrowser(url: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const chosen = env.BROWSER?.trim();
  if (chosen === 'none') return false;
  const [command, args] = chosen
    ? [chosen, [url]]
    : process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '""', url]]
        : ['xdg-open', [url]];
  try {
    const child = spawn(command, args, { stdio: 'ignore', detached: true });
    child.on('error', () => undefined);
    child.unref();
    return true;
  } catch {
    return false;
  }
}
