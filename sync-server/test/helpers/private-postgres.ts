import { type ChildProcess, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import pg from 'pg';
import {
  alive,
  childrenOf,
  makeClusterRoot,
  ownCluster,
  signal,
  sweepStaleClusters,
} from './private-postgres-cleanup';
import { binDir, initdb, runAs } from './private-postgres-initdb';

/**
 * A throwaway PostgreSQL cluster of this test alone (initdb into a temp folder, its own port), for
 * tests that crash or stop the database: the shared one on 5432 serves other test files meanwhile.
 * Binaries from PG_BIN_DIR, else pg_config's, else /usr/lib/postgresql/15/bin. initdb and postgres
 * refuse to run as root, so under root both run as the `postgres` user; with no such user it fails
 * and says so. A cluster never outlives its test process (see private-postgres-cleanup.ts).
 */
export interface PrivatePostgres {
  /** Superuser on its `postgres` database over TCP (trust auth, like the shared test server). */
  adminUrl: string;
  port: number;
  /** Its folder: the data directory (data/) and the Unix socket directory (sock/). */
  dir: string;
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
  sweepStaleClusters();
  const bin = binDir();
  const user = runAs();
  const root = makeClusterRoot();
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
  await initdb(bin, data, spawnOptions, output).catch((error: unknown) => {
    rmSync(root, { recursive: true, force: true });
    throw error;
  });

  let port = await freePort();
  let postmaster: ChildProcess | undefined;
  const running = () => {
    const child = postmaster;
    return child?.pid && child.exitCode === null && child.signalCode === null
      ? child.pid
      : undefined;
  };
  // The postmaster is detached, so it would outlive this process: if this process exits or is
  // told to end before close(), the postmaster is killed and the folder removed.
  const release = ownCluster({ root, postmaster: running });
  const killPostmaster = () => {
    if (postmaster?.pid) signal(postmaster.pid, 'SIGKILL');
  };
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
    for (let i = 0; i < 100 && children.some(alive); i++)
      await new Promise((r) => setTimeout(r, 20));
    const left = children.filter(alive);
    if (left.length > 0) throw new Error(`private PostgreSQL: backends ${left} outlived SIGKILL`);
  };

  const cluster: PrivatePostgres = {
    get adminUrl() {
      return `postgres://postgres@127.0.0.1:${port}/postgres`;
    },
    get port() {
      return port;
    },
    dir: root,
    log: () => output.join(''),
    crash: (scope = 'all') => halt(scope),
    pause,
    resume,
    stop: () => halt('stop'),
    start: () => start(false),
    close: async () => {
      await halt('stop');
      rmSync(root, { recursive: true, force: true });
      release();
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
