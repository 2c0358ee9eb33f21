import {
  type CreateRelease,
  modelStateSchema,
  type PullResponse,
  type PushResponse,
  pullResponseSchema,
  pushResponseSchema,
  type ReleaseInfo,
  releaseInfoSchema,
  releaseListSchema,
  type SnapshotResponse,
  type Stream,
  snapshotResponseSchema,
} from '@creator-hub/shared/sync/index';
import { z } from 'zod';

/** An answer from the server that retrying will not change (4xx), with its code and sentence. */
export class SyncHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly expectedMid?: number,
  ) {
    super(message);
    this.name = 'SyncHttpError';
  }
}

/** The server could not be reached (or kept failing) after every retry. */
export class SyncUnreachable extends Error {
  readonly code = 'unreachable';
}

export class SyncInterrupted extends Error {
  readonly code = 'cancelled';
}

export interface TransportOptions {
  baseUrl: string;
  token?: string;
  /** Retries of one request on network errors, timeouts, 5xx and 429. */
  retries?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  timeoutMs?: number;
  signal?: AbortSignal;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

/**
 * The URL of an API path on a server that may sit under a path prefix (`https://host/creator-hub/`
 * behind a reverse proxy). `new URL('/v1/…', base)` would drop the prefix, so the path is resolved
 * relative to the base's folder, with or without its trailing slash.
 */
export function serverEndpoint(baseUrl: string, path: string): URL {
  const base = new URL(baseUrl);
  base.search = '';
  base.hash = '';
  if (!base.pathname.endsWith('/')) base.pathname += '/';
  return new URL(path.replace(/^\/+/, ''), base);
}

const ErrorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The one HTTP client of the sync protocol (fetch), with retries and jittered exponential backoff. */
export class SyncTransport {
  constructor(private readonly o: TransportOptions) {}

  withToken(token: string): SyncTransport {
    return new SyncTransport({ ...this.o, token });
  }

  withSignal(signal: AbortSignal | undefined): SyncTransport {
    return signal ? new SyncTransport({ ...this.o, signal }) : this;
  }

  async request(
    method: 'GET' | 'POST',
    path: string,
    body?: string,
    token = this.o.token,
  ): Promise<unknown> {
    const retries = this.o.retries ?? 8;
    const sleep = this.o.sleep ?? defaultSleep;
    let lastError = 'no attempt';
    for (let attempt = 0; attempt <= retries; attempt++) {
      if (this.o.signal?.aborted) throw new SyncInterrupted('interrupted');
      if (attempt > 0) await sleep(this.delay(attempt));
      if (this.o.signal?.aborted) throw new SyncInterrupted('interrupted');
      let res: Response;
      let text: string;
      try {
        const timeout = AbortSignal.timeout(this.o.timeoutMs ?? 30_000);
        const signal = this.o.signal ? AbortSignal.any([timeout, this.o.signal]) : timeout;
        const headers: Record<string, string> = {};
        if (body !== undefined) headers['content-type'] = 'application/json';
        if (token) headers.authorization = `Bearer ${token}`;
        res = await fetch(serverEndpoint(this.o.baseUrl, path), { method, headers, body, signal });
        text = await res.text();
      } catch (error) {
        if (this.o.signal?.aborted) throw new SyncInterrupted('interrupted');
        lastError = error instanceof Error ? error.message : String(error);
        continue;
      }
      if (res.status >= 500 || res.status === 429) {
        lastError = `HTTP ${res.status}`;
        continue;
      }
      const json = parseJson(text);
      if (res.status >= 400) throw toHttpError(res, json);
      if (json === undefined && text !== '') {
        lastError = 'a truncated or malformed response';
        continue;
      }
      return json;
    }
    throw new SyncUnreachable(`the server at ${this.o.baseUrl} did not answer (${lastError})`);
  }

  private delay(attempt: number): number {
    const base = this.o.baseDelayMs ?? 200;
    const cap = this.o.maxDelayMs ?? 5_000;
    const exp = Math.min(cap, base * 2 ** (attempt - 1));
    return exp / 2 + (this.o.random ?? Math.random)() * (exp / 2);
  }

  async push(body: string): Promise<PushResponse> {
    return pushResponseSchema.parse(await this.request('POST', '/v1/sync/push', body));
  }

  async pull(stream: Stream, cursor: string | undefined, limit: number): Promise<PullResponse> {
    const query = new URLSearchParams({ stream, limit: String(limit) });
    if (cursor) query.set('cursor', cursor);
    return pullResponseSchema.parse(await this.request('GET', `/v1/sync/pull?${query}`));
  }

  async snapshot(
    stream: Stream,
    page: string | undefined,
    limit: number,
  ): Promise<SnapshotResponse> {
    const query = new URLSearchParams({ stream, limit: String(limit) });
    if (page) query.set('page', page);
    return snapshotResponseSchema.parse(await this.request('GET', `/v1/sync/snapshot?${query}`));
  }

  async model(): Promise<string | null> {
    return modelStateSchema.parse(await this.request('GET', '/v1/sync/model')).fingerprint;
  }

  async replaceModel(fingerprint: string): Promise<void> {
    await this.request('POST', '/v1/sync/model', JSON.stringify({ fingerprint }));
  }

  async createRelease(input: CreateRelease): Promise<ReleaseInfo> {
    return releaseInfoSchema.parse(
      await this.request('POST', '/v1/releases', JSON.stringify(input)),
    );
  }

  async releases(): Promise<ReleaseInfo[]> {
    return releaseListSchema.parse(await this.request('GET', '/v1/releases')).releases;
  }

  async rollback(version: number, note: string): Promise<ReleaseInfo> {
    const body = JSON.stringify({ note });
    return releaseInfoSchema.parse(
      await this.request('POST', `/v1/releases/${version}/rollback`, body),
    );
  }
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function toHttpError(res: Response, json: unknown): SyncHttpError {
  const parsed = ErrorBody.safeParse(json);
  const code = parsed.success ? parsed.data.error.code : `http_${res.status}`;
  const message = parsed.success
    ? parsed.data.error.message
    : `The server answered HTTP ${res.status}.`;
  const expected = Number(res.headers.get('x-expected-mid'));
  return new SyncHttpError(
    res.status,
    code,
    message,
    Number.isSafeInteger(expected) && expected > 0 ? expected : undefined,
  );
}
