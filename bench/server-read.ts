/**
 * Authenticated read API (auth + RLS transaction) vs plain Node HTTP on loopback.
 * Goal (QUALITY.md): >= 800 req/s, p99 <= 100 ms. Prints JSON lines.
 * Servers run in a child process, the load generator here; both share the 2 cores with PostgreSQL,
 * so compare the ratio measured in the same run.
 */
import { Agent, createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signup, startServer } from '../sync-server/test/helpers/server';
import { createTestDatabase } from '../sync-server/test/helpers/test-db';
import { startServeChild } from './lib/child';

const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 5000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);

interface LoadResult {
  requests: number;
  errors: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/** Keeps CONCURRENCY keep-alive requests in flight for the duration. */
async function load(
  url: string,
  headers: Record<string, string>,
  durationMs = DURATION_MS,
): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const latencies: number[] = [];
  let errors = 0;
  const end = Date.now() + durationMs;
  const once = () =>
    new Promise<void>((resolve) => {
      const started = process.hrtime.bigint();
      const req = request(url, { agent, headers }, (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode === 200)
            latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
          else errors += 1;
          resolve();
        });
      });
      req.on('error', () => {
        errors += 1;
        resolve();
      });
      req.end();
    });
  const started = Date.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (Date.now() < end) await once();
    }),
  );
  const elapsed = (Date.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    errors,
    rps: Math.round(latencies.length / elapsed),
    p50Ms: Math.round(percentile(latencies, 50) * 100) / 100,
    p99Ms: Math.round(percentile(latencies, 99) * 100) / 100,
  };
}

async function plainServer(): Promise<{ url: string; server: Server }> {
  const body = JSON.stringify({ devices: [] });
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server };
}

interface Targets {
  plainUrl: string;
  apiUrl: string;
  token: string;
}

/** Child-process side: both servers, on loopback, until SIGTERM or the parent goes away. */
async function serve(): Promise<void> {
  const db = await createTestDatabase();
  const s = await startServer(db.appUrl, { env: { LOG_LEVEL: 'warn', DATABASE_POOL_MAX: '10' } });
  const plain = await plainServer();
  const account = await signup(s, 'bench');
  for (let i = 0; i < 5; i += 1) {
    await s.api('post', `/v1/tenants/${account.tenantId}/devices`, {
      token: account.accessToken,
      body: { name: `d${i}` },
    });
  }
  const targets: Targets = {
    plainUrl: plain.url,
    apiUrl: `${s.url}/v1/tenants/${account.tenantId}/devices`,
    token: account.accessToken,
  };
  process.stdout.write(`${JSON.stringify(targets)}\n`);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    plain.server.close();
    s.close()
      .then(() => db.drop())
      .finally(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  // The parent holds our stdin open: if it dies without signalling, clean up anyway.
  process.stdin.on('end', stop).resume();
}

/** The servers run in a child process so the load generator does not share their event loop. */
export async function run(): Promise<void> {
  const { child, exited, line } = await startServeChild(import.meta.url, { BENCH_SERVE: '1' });
  try {
    const targets = JSON.parse(line) as Targets;
    const auth = { authorization: `Bearer ${targets.token}` };
    await load(targets.plainUrl, {}, 1000); // warm-up, discarded
    await load(targets.apiUrl, auth, 1000);
    const baseline = await load(targets.plainUrl, {});
    const api = await load(targets.apiUrl, auth);
    const common = { bench: 'server-read', concurrency: CONCURRENCY, durationMs: DURATION_MS };
    console.log(JSON.stringify({ ...common, target: 'plain-node-http', ...baseline }));
    console.log(
      JSON.stringify({
        ...common,
        target: 'GET /v1/tenants/{id}/devices (JWT + session check + RLS transaction)',
        ...api,
        ratioRpsToBaseline: Math.round((api.rps / baseline.rps) * 1000) / 1000,
        goal: { minRps: 800, maxP99Ms: 100 },
        meetsGoal: api.rps >= 800 && api.p99Ms <= 100,
      }),
    );
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  (process.env.BENCH_SERVE === '1' ? serve() : run()).catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
