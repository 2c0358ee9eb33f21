import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import type pg from 'pg';
import type { Clock } from '../../src/clock';
import { type Config, loadConfig } from '../../src/config';
import { createDb, createPool, type Db } from '../../src/db/db';
import type { WithTenantHooks } from '../../src/db/with-tenant';
import { type App, createApp } from '../../src/http/app';
import { createLogger } from '../../src/logger';

export const TEST_JWT_SECRET = 'test-secret-that-is-at-least-32-characters-long';

export class TestClock implements Clock {
  private offsetMs = 0;
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}

export function testConfig(appUrl: string, env: Record<string, string> = {}): Config {
  return loadConfig({
    DATABASE_URL: appUrl,
    JWT_SECRET: TEST_JWT_SECRET,
    LOG_LEVEL: 'info',
    ...env,
  });
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  text: string;
  json: Record<string, unknown>;
}

export interface TestServer {
  url: string;
  app: App;
  db: Db;
  pool: pg.Pool;
  clock: TestClock;
  config: Config;
  logs: string[];
  api(
    method: string,
    path: string,
    options?: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> },
  ): Promise<ApiResponse>;
  close(): Promise<void>;
}

export interface ServerOptions {
  env?: Record<string, string>;
  hooks?: WithTenantHooks;
  /** Replace parts of the real Db (the negative-control test swaps withTenant). */
  patchDb?: (db: Db, pool: pg.Pool) => Db;
}

/** The real app on 127.0.0.1 with a real pool connected as the app role. */
export async function startServer(
  appUrl: string,
  options: ServerOptions = {},
): Promise<TestServer> {
  const config = testConfig(appUrl, options.env);
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      logs.push(chunk.toString('utf8'));
      done();
    },
  });
  const logger = createLogger(config.logLevel, sink);
  const pool = createPool(config.databaseUrl, config.poolMax, logger);
  const realDb = createDb(pool, { hooks: options.hooks });
  const db = options.patchDb ? options.patchDb(realDb, pool) : realDb;
  const clock = new TestClock();
  const app = createApp({ db, clock, config, logger });
  const server = createServer(app.app);
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const api: TestServer['api'] = async (method, path, o = {}) => {
    const headers: Record<string, string> = { ...(o.headers ?? {}) };
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    let body: string | undefined = o.raw;
    if (o.body !== undefined) body = JSON.stringify(o.body);
    if (body !== undefined && !headers['content-type'])
      headers['content-type'] = 'application/json';
    const res = await fetch(`${url}${path}`, { method: method.toUpperCase(), headers, body });
    const text = await res.text();
    let json: Record<string, unknown> = {};
    if (text && res.headers.get('content-type')?.includes('json')) json = JSON.parse(text);
    return { status: res.status, headers: res.headers, text, json };
  };

  return {
    url,
    app,
    db,
    pool,
    clock,
    config,
    logs,
    api,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await db.close();
    },
  };
}

export interface Account {
  userId: string;
  tenantId: string;
  email: string;
  password: string;
  accessToken: string;
  refreshToken: string;
}

let counter = 0;

export async function signup(
  s: TestServer,
  label: string,
  password = 'a long enough password',
): Promise<Account> {
  counter += 1;
  const email = `${label}-${counter}-${Date.now()}@example.com`;
  const res = await s.api('post', '/v1/auth/signup', {
    body: { email, password, tenantName: `${label} studio` },
  });
  if (res.status !== 201) throw new Error(`signup failed: ${res.status} ${res.text}`);
  const body = res.json as {
    user: { id: string };
    tenant: { id: string };
    tokens: { accessToken: string; refreshToken: string };
  };
  return {
    userId: body.user.id,
    tenantId: body.tenant.id,
    email,
    password,
    accessToken: body.tokens.accessToken,
    refreshToken: body.tokens.refreshToken,
  };
}

/** Counts argon2 work done through the app's hasher. */
export function countHashing(s: TestServer): { calls: number; restore(): void } {
  const passwords = s.app.auth.passwords;
  const original = { hash: passwords.hash, verify: passwords.verify };
  const counter = {
    calls: 0,
    restore: () => Object.assign(passwords, original),
  };
  passwords.hash = (p) => {
    counter.calls += 1;
    return original.hash(p);
  };
  passwords.verify = (h, p) => {
    counter.calls += 1;
    return original.verify(h, p);
  };
  return counter;
}
