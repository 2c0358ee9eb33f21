import { type ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import type { ChunkingOptions } from './chunk';
import { type ParsedChunks, parseFile, storeParsed } from './parse';
import type { ParseReply, ParseRequest, WorkerReady } from './protocol';
import type { StoreOutcome, StoreTarget } from './store';
import { type Format, type IngestRejection, reject } from './types';

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

/** Where the parser stores what it parsed: the workspace database file and the document's metadata. */
export interface StoreRequest {
  dbFile: string;
  target: StoreTarget;
}

/** Turns a file into chunks (and optionally stores them), or throws an IngestRejection. */
export interface Parser {
  parse(path: string, format: Format, chunking?: Partial<ChunkingOptions>): Promise<ParsedChunks>;
  /** Parses and writes the document in one transaction, in the parser's own process. */
  parseAndStore(
    path: string,
    format: Format,
    store: StoreRequest,
    chunking?: Partial<ChunkingOptions>,
  ): Promise<StoreOutcome>;
  close(): void;
}

/** The workspace could not be written (disk full, database locked): a failure of the app, not the file. */
export class StoreFailed extends Error {
  readonly code = 'store_failed';
  constructor(detail: string) {
    super(`the document could not be stored: ${detail}`);
  }
}

type Answer = { parsed: ParsedChunks } | { stored: StoreOutcome };

/** Plain JavaScript that loads parse-worker.ts through tsx, and pdf.js around it (see the file). */
const WORKER_ENTRY = join(import.meta.dirname, 'parser-entry.mjs');
const OOM_PATTERN = /heap out of memory|Reached heap limit|Allocation failed/i;

interface Pending {
  id: number;
  resolve(answer: Answer): void;
  fail(error: IngestRejection | StoreFailed): void;
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

function answerOf(reply: ParseReply): { ok: Answer } | { error: IngestRejection | StoreFailed } {
  if (!reply.ok) {
    return 'fatal' in reply
      ? { error: new StoreFailed(reply.fatal) }
      : { error: reject(reply.code, reply.reason) };
  }
  return { ok: 'parsed' in reply ? { parsed: reply.parsed } : { stored: reply.stored } };
}

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

  const settle = (outcome: { ok: Answer } | { error: IngestRejection | StoreFailed }): void => {
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
      execArgv: [`--max-old-space-size=${lim.maxHeapMb}`],
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
          settle(answerOf(message));
        }
      });
      proc.on('exit', (code, signal) => {
        clearTimeout(timer);
        const reason = exitReason(w, code, signal);
        fail(reason);
        // A process we killed ourselves (timeout, close) has already been replaced and its job settled.
        if (w !== worker) return;
        worker = null;
        settle({ error: reason });
      });
    });
    return w;
  };

  const run = async (request: Omit<ParseRequest, 'id'>): Promise<Answer> => {
    worker ??= spawn();
    const w = worker;
    try {
      await w.ready;
    } catch (error) {
      if (w === worker) kill();
      throw error;
    }
    return new Promise<Answer>((resolve, fail) => {
      const id = nextId++;
      const timer = setTimeout(() => {
        settle({ error: reject('timeout', `parsing took longer than ${lim.timeoutMs / 1000} s`) });
        kill();
      }, lim.timeoutMs);
      pending = { id, resolve, fail, timer };
      w.proc.send({ ...request, id } satisfies ParseRequest);
    });
  };

  const enqueue = (request: Omit<ParseRequest, 'id'>): Promise<Answer> => {
    const result = queue.then(() => run(request));
    queue = result.catch(() => undefined);
    return result;
  };

  return {
    async parse(path, format, chunking = {}) {
      const answer = await enqueue({ path, format, maxBytes: lim.maxBytes, chunking });
      if ('parsed' in answer) return answer.parsed;
      throw new Error('the parser process answered a parse request with a store outcome');
    },
    async parseAndStore(path, format, store, chunking = {}) {
      const answer = await enqueue({ path, format, maxBytes: lim.maxBytes, chunking, store });
      if ('stored' in answer) return answer.stored;
      throw new Error('the parser process answered a store request with chunks');
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
    async parseAndStore(path, format, store, chunking = {}) {
      const parsed = await parseFile(path, format, maxBytes, chunking);
      try {
        return storeParsed(store.dbFile, store.target, parsed);
      } catch (error) {
        throw new StoreFailed(error instanceof Error ? error.message : String(error));
      }
    },
    close: () => {},
  };
}
