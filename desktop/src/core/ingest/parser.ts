import { type ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import type { ChunkingOptions } from './chunk';
import { type ParsedChunks, parseFile } from './parse';
import type { ParseReply, ParseRequest, WorkerReady } from './protocol';
import { type Format, IngestRejection, reject } from './types';

export interface ParseLimits {
  /** Files larger than this are refused before a byte is read. */
  maxBytes: number;
  /** A parse taking longer is abandoned and its process killed. */
  timeoutMs: number;
  /** V8 heap limit of the parser process (--max-old-space-size). */
  maxHeapMb: number;
}

export const DEFAULT_LIMITS: Readonly<ParseLimits> = Object.freeze({
  maxBytes: 64 * 1024 * 1024,
  timeoutMs: 60_000,
  maxHeapMb: 512,
});

/** Turns a file into chunks or throws an IngestRejection. */
export interface Parser {
  parse(path: string, format: Format, chunking?: Partial<ChunkingOptions>): Promise<ParsedChunks>;
  close(): void;
}

const WORKER_ENTRY = join(import.meta.dirname, 'parse-worker.ts');
const OOM_PATTERN = /heap out of memory|Reached heap limit|Allocation failed/i;

interface Pending {
  id: number;
  resolve(result: ParsedChunks): void;
  fail(error: IngestRejection): void;
  timer: NodeJS.Timeout;
}

interface Worker {
  proc: ChildProcess;
  /** Settles when the process has loaded its parsers (or failed to). */
  ready: Promise<void>;
  stderrTail: string;
}

/** A parser process that has not said "ready" by then is broken (bad install, no memory). */
const START_TIMEOUT_MS = 60_000;

const isReady = (message: unknown): message is WorkerReady =>
  typeof message === 'object' && message !== null && 'ready' in message;

/**
 * Parses in a separate Node process with a heap cap and a timeout. One process is reused across files
 * and replaced after it is killed or dies; requests are served one at a time, and a request's timeout
 * starts once the process is ready.
 */
export function createParserProcess(limits: Partial<ParseLimits> = {}): Parser {
  const lim = { ...DEFAULT_LIMITS, ...limits };
  let worker: Worker | null = null;
  let pending: Pending | null = null;
  let queue: Promise<unknown> = Promise.resolve();
  let nextId = 1;

  const settle = (outcome: { ok: ParsedChunks } | { error: IngestRejection }): void => {
    const p = pending;
    if (!p) return;
    pending = null;
    clearTimeout(p.timer);
    if ('ok' in outcome) p.resolve(outcome.ok);
    else p.fail(outcome.error);
  };

  const kill = (): void => {
    worker?.proc.kill('SIGKILL');
    worker = null;
  };

  const exitReason = (w: Worker, code: number | null, signal: string | null): IngestRejection =>
    OOM_PATTERN.test(w.stderrTail) || signal === 'SIGABRT' || code === 134
      ? reject('out_of_memory', 'the parser ran out of memory on this file')
      : reject('parser_crashed', `the parser stopped unexpectedly (${signal ?? `exit ${code}`})`);

  const spawn = (): Worker => {
    const proc = fork(WORKER_ENTRY, [], {
      execArgv: ['--import', 'tsx', `--max-old-space-size=${lim.maxHeapMb}`],
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    const w: Worker = { proc, ready: Promise.resolve(), stderrTail: '' };
    proc.stderr?.on('data', (data: Buffer) => {
      w.stderrTail = (w.stderrTail + data.toString('utf8')).slice(-4000);
    });
    proc.on('error', () => {});
    w.ready = new Promise<void>((resolve, fail) => {
      const timer = setTimeout(
        () => fail(reject('parser_crashed', 'the parser did not start')),
        START_TIMEOUT_MS,
      );
      proc.on('message', (message: ParseReply | WorkerReady) => {
        if (isReady(message)) {
          clearTimeout(timer);
          resolve();
        } else if (w === worker && message.id === pending?.id) {
          settle(
            message.ok ? { ok: message.result } : { error: reject(message.code, message.reason) },
          );
        }
      });
      proc.on('exit', (code, signal) => {
        clearTimeout(timer);
        fail(exitReason(w, code, signal));
        // A process we killed ourselves (timeout, close) has already been replaced and its job settled.
        if (w !== worker) return;
        worker = null;
        settle({ error: exitReason(w, code, signal) });
      });
    });
    return w;
  };

  const run = async (path: string, format: Format, chunking: Partial<ChunkingOptions>) => {
    worker ??= spawn();
    const w = worker;
    try {
      await w.ready;
    } catch (error) {
      if (w === worker) kill();
      throw error;
    }
    return new Promise<ParsedChunks>((resolve, fail) => {
      const id = nextId++;
      const timer = setTimeout(() => {
        settle({ error: reject('timeout', `parsing took longer than ${lim.timeoutMs / 1000} s`) });
        kill();
      }, lim.timeoutMs);
      pending = { id, resolve, fail, timer };
      const request: ParseRequest = { id, path, format, maxBytes: lim.maxBytes, chunking };
      w.proc.send(request);
    });
  };

  return {
    parse(path, format, chunking = {}) {
      const result = queue.then(() => run(path, format, chunking));
      queue = result.catch(() => undefined);
      return result;
    },
    close: kill,
  };
}

/**
 * Parses in this process: no isolation, no timeout. For trusted input only — tests of the storage
 * path, benchmarks that measure parsing itself.
 */
export function createInProcessParser(limits: Partial<ParseLimits> = {}): Parser {
  const { maxBytes } = { ...DEFAULT_LIMITS, ...limits };
  return {
    parse: (path, format, chunking = {}) => parseFile(path, format, maxBytes, chunking),
    close: () => {},
  };
}

export function isRejection(error: unknown): error is IngestRejection {
  return error instanceof IngestRejection;
}
