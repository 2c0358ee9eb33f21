import { type ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import type { ChunkingOptions } from './chunk';
import { type ParsedChunks, parseFile } from './parse';
import type { ParseReply, ParseRequest } from './protocol';
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

/**
 * Parses in a separate Node process with a heap cap and a timeout. One process is reused across files
 * and replaced after it is killed or dies; requests are served one at a time.
 */
export function createParserProcess(limits: Partial<ParseLimits> = {}): Parser {
  const lim = { ...DEFAULT_LIMITS, ...limits };
  let child: ChildProcess | null = null;
  let stderrTail = '';
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
    child?.kill('SIGKILL');
    child = null;
  };

  const spawn = (): ChildProcess => {
    stderrTail = '';
    const proc = fork(WORKER_ENTRY, [], {
      execArgv: ['--import', 'tsx', `--max-old-space-size=${lim.maxHeapMb}`],
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    proc.stderr?.on('data', (data: Buffer) => {
      stderrTail = (stderrTail + data.toString('utf8')).slice(-4000);
    });
    proc.on('message', (reply: ParseReply) => {
      if (proc !== child || reply.id !== pending?.id) return;
      if (reply.ok) settle({ ok: reply.result });
      else settle({ error: reject(reply.code, reply.reason) });
    });
    proc.on('exit', (code, signal) => {
      // A process we killed ourselves (timeout, close) has already been replaced and its job settled.
      if (child !== proc) return;
      child = null;
      const oom = OOM_PATTERN.test(stderrTail) || signal === 'SIGABRT' || code === 134;
      settle({
        error: oom
          ? reject('out_of_memory', 'the parser ran out of memory on this file')
          : reject(
              'parser_crashed',
              `the parser stopped unexpectedly (${signal ?? `exit ${code}`})`,
            ),
      });
    });
    proc.on('error', () => {});
    return proc;
  };

  const run = (path: string, format: Format, chunking: Partial<ChunkingOptions>) =>
    new Promise<ParsedChunks>((resolve, fail) => {
      child ??= spawn();
      const id = nextId++;
      const timer = setTimeout(() => {
        settle({ error: reject('timeout', `parsing took longer than ${lim.timeoutMs / 1000} s`) });
        kill();
      }, lim.timeoutMs);
      pending = { id, resolve, fail, timer };
      const request: ParseRequest = { id, path, format, maxBytes: lim.maxBytes, chunking };
      child.send(request);
    });

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
