import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import {
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/**
 * A throwaway PostgreSQL cluster of this test alone (initdb into a temp folder, its own port), for
 * tests that crash or stop the database: the shared one on 5432 serves other test files meanwhile.
 * Binaries from PG_BIN_DIR, else pg_config's, else /usr/lib/postgresql/15/bin. initdb and postgres
 * refuse to run as root, so under root both run as the `postgres` user; with no such user it fails
 * and says so.
 */
export interface PrivatePostgres {
  /** Superuser on its `postgres` database over TCP (trust auth, like the shared test server). */
  adminUrl: string;
  port: number;
  /** Everything the postmaster has written to stdout and stderr since it was first started. */
  log(): string;
  /**
   * A crash, nothing flushed: SIGKILL to the postmaster and all its children at once (as a
   * container or cgroup kill does; Linux only), or to the postmaster alone (its orphaned backends
   * then end their sessions and exit; start() waits until they have let go of the shared memory).
   */
  crash(scope?: 'all' | 'postmaster'): Promise<void>;
  /** A hang (SIGSTOP to the postmaster and its children): connections open, nothing answers. */
  pause(): void;
  /** Ends a pause (SIGCONT): everything waiting goes on. */
  resume(): void;
  /** A clean fast shutdown (SIGINT): sessions are terminated, a checkpoint is written. */
  stop(): Promise<void>;
  /** Starts the postmaster again on the same folder and port; resolves once it takes connections. */
  start(): Promise<void>;
  /** Stops it (if running) and removes the folder. */
  close(): Promise<void>;
}

const READY_TIMEOUT_MS = 30_000;

/** PG_BIN_DIR, else what pg_config names, else Debian's PostgreSQL 15: the first holding initdb. */
function binDir(): string {
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

interface RunAs {
  uid: number;
  gid: number;
}

/** Who runs initdb and postgres: this user, or `postgres` when this is root. */
function runAs(): RunAs | undefined {
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

/** Live processes whose parent is `pid`, from /proc (Linux). */
function childrenOf(pid: number): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // "pid (comm) state ppid …": comm may hold spaces and parentheses, so read after the last ')'.
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(ppid) === pid && state !== 'Z') found.push(Number(entry));
    } catch {
      // ended meanwhile
    }
  }
  return found;
}

const gone = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ').pop()?.startsWith('Z') ?? true;
  } catch {
    return true;
  }
};

const signal = (pid: number, name: NodeJS.Signals) => {
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
};

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = binDir();
  const user = runAs();
  const root = mkdtempSync(join(tmpdir(), 'chub-pg-'));
  const data = join(root, 'data');
  const sockets = join(root, 'sock');
  mkdirSync(sockets);
  if (user) for (const dir of [root, sockets]) chownSync(dir, user.uid, user.gid);
  const spawnOptions = {
    cwd: root,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C', LANG: 'C' },
    ...(user ?? {}),
  };

  const output: string[] = [];
  const as = user ? `(as the postgres user, uid ${user.uid}, in ${root})` : `(in ${root})`;
  // initdb's own final fsync is skipped (--no-sync); the cluster itself runs with fsync on.
  await new Promise<void>((resolve, reject) => {
    const args = ['-D', data, ...'-U postgres -A trust -E UTF8 --no-locale --no-sync'.split(' ')];
    const child = spawn(join(bin, 'initdb'), args, {
      ...spawnOptions,
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
  }).catch((error: unknown) => {
    rmSync(root, { recursive: true, force: true });
    throw error;
  });

  let port = await freePort();
  let postmaster: ChildProcess | undefined;
  // If this process dies, so does the postmaster; its orphaned backends then exit by themselves.
  const killPostmaster = () => {
    if (postmaster?.pid) signal(postmaster.pid, 'SIGKILL');
  };
  process.once('exit', killPostmaster);
  const exited = (child: ChildProcess) =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve();
      else child.once('exit', () => resolve());
    });

  /** One attempt: false when the postmaster exited before taking connections. */
  const launch = async (): Promise<boolean> => {
    const args = ['-D', data, '-p', String(port), '-k', sockets];
    for (const setting of ['listen_addresses=127.0.0.1', 'fsync=on', 'synchronous_commit=on']) {
      args.push('-c', setting);
    }
    // detached: a terminal's Ctrl-C to the test run does not reach it (the backends make
    // themselves process-group leaders anyway, so crash('all') lists them from /proc).
    const child = spawn(join(bin, 'postgres'), args, {
      ...spawnOptions,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    postmaster = child;
    child.stdout?.on('data', (b: Buffer) => output.push(b.toString()));
    child.stderr?.on('data', (b: Buffer) => output.push(b.toString()));
    const ended = exited(child).then(() => 'exited' as const);
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if ((await Promise.race([ended, answers(cluster.adminUrl)])) === true) return true;
      if (child.exitCode !== null || child.signalCode !== null) return false;
      await new Promise((r) => setTimeout(r, 50));
    }
    killPostmaster();
    throw new Error(
      `private PostgreSQL: not ready after ${READY_TIMEOUT_MS} ms:\n${output.join('')}`,
    );
  };
  const start = async (retryPort: boolean) => {
    // A crashed cluster's orphans may hold its shared memory a moment longer, or the port may have
    // been taken between freePort() and the bind: try again a few times.
    for (let attempt = 0; attempt < 20; attempt++) {
      if (await launch()) return;
      if (retryPort) port = await freePort();
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`private PostgreSQL: the postmaster would not start:\n${output.join('')}`);
  };
  let paused: number[] = [];
  const pause = () => {
    const pid = postmaster?.pid;
    if (!pid || paused.length > 0) return;
    signal(pid, 'SIGSTOP'); // first, so that no backend is forked meanwhile
    paused = [pid, ...childrenOf(pid)];
    for (const c of paused.slice(1)) signal(c, 'SIGSTOP');
  };
  const resume = () => {
    for (const c of paused.reverse()) signal(c, 'SIGCONT');
    paused = [];
  };
  const halt = async (how: 'stop' | 'all' | 'postmaster') => {
    resume();
    const child = postmaster;
    const pid = child?.pid;
    if (!child || !pid || child.exitCode !== null || child.signalCode !== null) return;
    let children: number[] = [];
    if (how === 'all') {
      if (!existsSync('/proc/self/stat')) {
        throw new Error("private PostgreSQL: crash('all') lists the backends from /proc (Linux)");
      }
      signal(pid, 'SIGSTOP'); // no new backend is forked while they are listed and killed
      children = childrenOf(pid);
      for (const c of children) signal(c, 'SIGKILL');
    }
    signal(pid, how === 'stop' ? 'SIGINT' : 'SIGKILL');
    // A fast shutdown that hangs becomes a crash rather than a stuck test.
    const timer = setTimeout(killPostmaster, 15_000);
    await exited(child);
    clearTimeout(timer);
    for (let i = 0; i < 100 && !children.every(gone); i++)
      await new Promise((r) => setTimeout(r, 20));
    const alive = children.filter((c) => !gone(c));
    if (alive.length > 0) throw new Error(`private PostgreSQL: backends ${alive} outlived SIGKILL`);
  };

  const cluster: PrivatePostgres = {
    get adminUrl() {
      return `postgres://postgres@127.0.0.1:${port}/postgres`;
    },
    get port() {
      return port;
    },
    log: () => output.join(''),
    crash: (scope = 'all') => halt(scope),
    pause,
    resume,
    stop: () => halt('stop'),
    start: () => start(false),
    close: async () => {
      await halt('stop');
      process.removeListener('exit', killPostmaster);
      rmSync(root, { recursive: true, force: true });
    },
  };
  try {
    await start(true);
  } catch (error) {
    await cluster.close();
    throw error;
  }
  return cluster;
}
