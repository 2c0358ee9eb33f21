import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Private clusters must not outlive the test process that made them. The postmaster runs detached
 * (its own process group), so neither the death of this process nor a Ctrl-C reaches it: on exit
 * and on SIGINT/SIGTERM/SIGHUP this process kills the clusters it owns and removes their folders.
 * A SIGKILL leaves no chance for that, so every folder carries its owner's pid, and the next helper
 * to start sweeps the clusters whose owner is gone.
 */

const PREFIX = 'chub-pg-';
const OWNER_FILE = 'owner.pid';
/** Folders without an owner file come from before owners were written: swept once this old. */
const UNOWNED_STALE_MS = 30 * 60_000;
const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

export const signal = (pid: number, name: NodeJS.Signals) => {
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
};

/** Whether pid names a live process (a zombie is not; without /proc, kill(pid, 0) decides). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

/** Live processes whose parent is `pid`, from /proc (Linux). */
export function childrenOf(pid: number): number[] {
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

const existsProc = () => {
  try {
    readFileSync('/proc/self/stat');
    return true;
  } catch {
    return false;
  }
};

const sleepSync = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * SIGKILL to a postmaster and its backends; returns once all are gone (at most ~5 s). Synchronous,
 * as an exit handler must be.
 */
export function killClusterSync(postmaster: number): void {
  signal(postmaster, 'SIGSTOP'); // no new backend is forked while they are listed
  const all = [postmaster, ...(existsProc() ? childrenOf(postmaster) : [])];
  for (const pid of all) signal(pid, 'SIGKILL');
  for (let i = 0; i < 250 && all.some(alive); i++) sleepSync(20);
}

/** A new cluster folder, with this process's pid in it as its owner. */
export function makeClusterRoot(): string {
  const root = mkdtempSync(join(tmpdir(), PREFIX));
  writeFileSync(join(root, OWNER_FILE), String(process.pid));
  return root;
}

const removeRoot = (root: string) => {
  try {
    rmSync(root, { recursive: true, force: true, maxRetries: 3, retryDelay: 50 });
  } catch {
    // left for the next sweep rather than failing an exit handler
  }
};

interface Owned {
  root: string;
  /** The running postmaster's pid, if any. */
  postmaster(): number | undefined;
}
const owned = new Set<Owned>();

function cleanUpAll(): void {
  for (const cluster of owned) {
    const pid = cluster.postmaster();
    if (pid) killClusterSync(pid);
    removeRoot(cluster.root);
  }
  owned.clear();
}

function onSignal(name: NodeJS.Signals): void {
  cleanUpAll();
  uninstall();
  // Re-raised for the default action (the process ends by this signal), unless someone else
  // listens: they have had this signal already and decide.
  if (process.listenerCount(name) === 0) process.kill(process.pid, name);
}

function install(): void {
  process.on('exit', cleanUpAll);
  for (const name of SIGNALS) process.on(name, onSignal);
}

function uninstall(): void {
  process.removeListener('exit', cleanUpAll);
  for (const name of SIGNALS) process.removeListener(name, onSignal);
}

/**
 * Kills the cluster and removes its folder if this process exits or is told to end before the
 * returned release() (which close() calls once it has done both itself).
 */
export function ownCluster(cluster: Owned): () => void {
  if (owned.size === 0) install();
  owned.add(cluster);
  return () => {
    owned.delete(cluster);
    if (owned.size === 0) uninstall();
  };
}

/** The pid in the folder's owner file; undefined when there is none (or it is unreadable). */
function ownerOf(root: string): number | undefined {
  try {
    const pid = Number(readFileSync(join(root, OWNER_FILE), 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** The postmaster still running on this folder: postmaster.pid's pid, if its command names it. */
function runningPostmaster(root: string): number | undefined {
  const data = join(root, 'data');
  try {
    const pid = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
    // NUL-separated arguments, or one string once a process has rewritten its title.
    const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
    return command.includes(`${data} `) ? pid : undefined;
  } catch {
    return undefined; // no postmaster.pid, or that process is gone (or not on Linux)
  }
}

/**
 * Stops and removes the private clusters left by test processes that died without cleaning up
 * (SIGKILL, OOM): those whose owner pid is no longer alive. Returns the folders removed.
 */
export function sweepStaleClusters(): string[] {
  const removed: string[] = [];
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith(PREFIX)) continue;
    const root = join(tmpdir(), name);
    const owner = ownerOf(root);
    try {
      if (owner !== undefined && alive(owner)) continue;
      if (owner === undefined && Date.now() - statSync(root).mtimeMs < UNOWNED_STALE_MS) continue;
    } catch {
      continue; // removed meanwhile
    }
    const postmaster = runningPostmaster(root);
    if (postmaster) killClusterSync(postmaster);
    removeRoot(root);
    removed.push(root);
  }
  return removed;
}
