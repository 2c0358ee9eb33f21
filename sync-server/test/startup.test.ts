import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMigrations } from '../src/db/migrations';
import { TEST_JWT_SECRET } from './helpers/server';
import { createTestDatabase, type TestDatabase } from './helpers/test-db';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const exec = promisify(execFile);

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase({ migrate: false });
});
afterAll(async () => {
  await t?.drop();
});

/** Runs src/index.ts; resolves with the port once it listens, or with the exit code and stderr. */
function start(
  env: Record<string, string>,
): Promise<{ child: ChildProcess; port?: number; code?: number; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'sync-server/src/index.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', PORT: '0', LOG_LEVEL: 'info', ...env },
  });
  let stdout = '';
  let stderr = '';
  return new Promise((resolve) => {
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      const match = /"port":(\d+).*sync server listening/.exec(stdout);
      if (match) resolve({ child, port: Number(match[1]), stderr });
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('exit', (code) => resolve({ child, code: code ?? -1, stderr }));
  });
}

describe('process startup', () => {
  it('exits with a clear message on invalid configuration', async () => {
    const r = await start({ DATABASE_URL: t.appUrl });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('JWT_SECRET');
  });

  it('refuses to start on a database that is not migrated', async () => {
    const r = await start({ DATABASE_URL: t.appUrl, JWT_SECRET: TEST_JWT_SECRET });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/schema is not current/);
  });

  it('migrates with `npm run migrate -w sync-server`, then starts, answers /readyz and stops on SIGTERM', async () => {
    const env = { ...process.env, DATABASE_URL: t.appUrl, MIGRATION_DATABASE_URL: t.ownerUrl };
    const out = await exec('npm', ['run', 'migrate', '-w', 'sync-server'], { cwd: ROOT, env });
    const all = loadMigrations().map((m) => m.version);
    expect(out.stdout).toContain(`migrated: ${all.join(', ')}`);
    const again = await exec('npm', ['run', 'migrate', '-w', 'sync-server'], { cwd: ROOT, env });
    expect(again.stdout).toContain('database already current');

    const r = await start({ DATABASE_URL: t.appUrl, JWT_SECRET: TEST_JWT_SECRET });
    expect(r.port).toBeGreaterThan(0);
    const ready = await fetch(`http://127.0.0.1:${r.port}/readyz`);
    expect(ready.status).toBe(200);
    const exited = new Promise<number | null>((resolve) => r.child.on('exit', resolve));
    r.child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('refuses to start when DATABASE_URL is the owner role', async () => {
    const r = await start({ DATABASE_URL: t.ownerUrl, JWT_SECRET: TEST_JWT_SECRET });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/row level security would not apply/);
  });
});
