import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it, onTestFinished } from 'vitest';
import { alive, sweepStaleClusters } from './private-postgres-cleanup';

const root = resolve(import.meta.dirname, '../../..');
const script = resolve(import.meta.dirname, 'private-postgres-child.ts');

interface Started {
  child: ChildProcess;
  dir: string;
  postmaster: number;
}

/** A node process that owns a private cluster, once that cluster takes connections. */
async function processWithCluster(): Promise<Started> {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  onTestFinished(() => {
    child.kill('SIGKILL');
  });
  const stderr: string[] = [];
  child.stderr?.on('data', (b: Buffer) => stderr.push(b.toString()));
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const first = await Promise.race([
    once(lines, 'line').then(([line]) => String(line)),
    once(child, 'exit').then(() => {
      throw new Error(`the child exited before its cluster was up:\n${stderr.join('')}`);
    }),
  ]);
  const { dir, postmaster } = JSON.parse(first) as { dir: string; postmaster: number };
  expect(existsSync(dir)).toBe(true);
  expect(alive(postmaster)).toBe(true);
  return { child, dir, postmaster };
}

describe('a private cluster does not outlive its test process', () => {
  it('is stopped and its folder removed when that process gets SIGTERM', async () => {
    const { child, dir, postmaster } = await processWithCluster();
    const exit = once(child, 'exit');
    child.kill('SIGTERM');
    const [code, signal] = await exit;
    // The handler re-raises the signal: the process still ends by SIGTERM, not by a normal exit.
    expect({ code, signal }).toEqual({ code: null, signal: 'SIGTERM' });
    expect(alive(postmaster)).toBe(false);
    expect(existsSync(dir)).toBe(false);
  });

  it('is swept by the next helper when that process was SIGKILLed', async () => {
    const { child, dir, postmaster } = await processWithCluster();
    const exit = once(child, 'exit');
    child.kill('SIGKILL');
    await exit;
    // Nothing could clean up: the detached postmaster lives on…
    expect(alive(postmaster)).toBe(true);
    expect(existsSync(dir)).toBe(true);
    // …until a sweep finds its owner gone.
    expect(sweepStaleClusters()).toContain(dir);
    expect(alive(postmaster)).toBe(false);
    expect(existsSync(dir)).toBe(false);
  });
});
