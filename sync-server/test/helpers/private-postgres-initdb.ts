import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** PG_BIN_DIR, else what pg_config names, else Debian's PostgreSQL 15: the first holding initdb. */
export function binDir(): string {
  const candidates = [process.env.PG_BIN_DIR, '/usr/lib/postgresql/15/bin'];
  try {
    candidates.splice(1, 0, execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim());
  } catch {
    // no pg_config on PATH
  }
  const found = candidates.find((dir) => dir && existsSync(join(dir, 'initdb')));
  if (!found) {
    const tried = candidates.filter(Boolean).join(', ');
    throw new Error(
      `private PostgreSQL: no initdb in ${tried} (set PG_BIN_DIR to the server binaries)`,
    );
  }
  return found;
}

export interface RunAs {
  uid: number;
  gid: number;
}

/** Who runs initdb and postgres: this user, or `postgres` when this is root. */
export function runAs(): RunAs | undefined {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const id = (flag: string) =>
      Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }));
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    throw new Error(
      'private PostgreSQL: this test runs as root, and initdb/postgres refuse root, but there is no ' +
        '"postgres" user to run them as: create one (useradd --system postgres) or run the tests as another user',
    );
  }
}

export interface SpawnOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  uid?: number;
  gid?: number;
}

/** initdb into `data`, its output appended to `output`; rejects with that output on failure. */
export function initdb(
  bin: string,
  data: string,
  options: SpawnOptions,
  output: string[],
): Promise<void> {
  const as =
    options.uid !== undefined
      ? `(as the postgres user, uid ${options.uid}, in ${options.cwd})`
      : `(in ${options.cwd})`;
  // initdb's own final fsync is skipped (--no-sync); the cluster itself runs with fsync on.
  return new Promise<void>((resolve, reject) => {
    const args = ['-D', data, ...'-U postgres -A trust -E UTF8 --no-locale --no-sync'.split(' ')];
    const child = spawn(join(bin, 'initdb'), args, {
      ...options,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (b: Buffer) => output.push(b.toString()));
    child.stderr.on('data', (b: Buffer) => output.push(b.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolve()
        : reject(
            new Error(`private PostgreSQL: initdb ${as} failed (${code}):\n${output.join('')}`),
          ),
    );
  });
}
