/**
 * First publish of 10k chunks (768-d) to a local sync server, beside a plain INSERT loop of the same
 * rows into the same PostgreSQL, and a no-op sync. Goals (QUALITY.md): publish <= 10 s and
 * >= 2,000 chunks/s; no-op sync <= 50 ms. The server (express + pg pool as the app role) runs in a
 * child process, as it would on another machine; both share the 2 cores with PostgreSQL, so compare
 * the ratio to the INSERT loop measured just before and just after the publish in the same run
 * (their mean), and mind the load average printed with it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { deviceTransport, login } from '../desktop/src/core/sync/account';
import { syncOnce } from '../desktop/src/core/sync/engine';
import { installSync } from '../desktop/src/core/sync/install';
import { publish } from '../desktop/src/core/sync/publish';
import { openWorkspace } from '../desktop/src/core/workspace';
import { startServer } from '../sync-server/test/helpers/server';
import { createTestDatabase } from '../sync-server/test/helpers/test-db';
import { startServeChild } from './lib/child';

const CHUNKS = Number(process.env.BENCH_SYNC_CHUNKS ?? 10_000);
const DIMS = 768;
const DOCS = 20;
const print = (o: Record<string, unknown>) =>
  process.stdout.write(`${JSON.stringify({ bench: 'sync', ...o })}\n`);
const round2 = (x: number) => Math.round(x * 100) / 100;
const median = (xs: number[]) =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

function chunkText(i: number): string {
  return `Chunk ${i}: ${'lorem ipsum dolor sit amet consectetur '.repeat(20)}`.slice(0, 800);
}

function vectorOf(i: number): Float32Array {
  const v = new Float32Array(DIMS);
  for (let k = 0; k < DIMS; k++) v[k] = Math.sin(i * 31 + k) / Math.sqrt(DIMS);
  return v;
}

/** The same rows, one plain INSERT each (one transaction), straight into PostgreSQL. */
async function insertLoop(adminUrl: string, table: string): Promise<number> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(
      `CREATE TABLE ${table} (id text PRIMARY KEY, data jsonb NOT NULL, vector bytea NOT NULL)`,
    );
    const started = performance.now();
    await client.query('BEGIN');
    for (let i = 0; i < CHUNKS; i++) {
      const data = {
        document_id: `d${i % DOCS}`,
        ordinal: i,
        section: '',
        page: null,
        text: chunkText(i),
        content_hash: `c${i}`,
      };
      const v = vectorOf(i);
      await client.query(`INSERT INTO ${table} (id, data, vector) VALUES ($1, $2, $3)`, [
        `k${i}`,
        JSON.stringify(data),
        Buffer.from(v.buffer),
      ]);
    }
    await client.query('COMMIT');
    return performance.now() - started;
  } finally {
    await client.end();
  }
}

interface Served {
  url: string;
  adminUrl: string;
}

/** Child process: a test database and the real server on it, until stdin closes. */
async function serve(): Promise<void> {
  const t = await createTestDatabase();
  const server = await startServer(t.appUrl, { env: { LOG_LEVEL: 'silent' } });
  process.stdout.write(`${JSON.stringify({ url: server.url, adminUrl: t.adminUrl })}\n`);
  const stop = async () => {
    await server.close();
    await t.drop();
    process.exit(0);
  };
  process.stdin.on('end', () => void stop()).resume();
}

async function startChild(): Promise<{ served: Served; stop: () => Promise<void> }> {
  const { child, exited, line } = await startServeChild(import.meta.url, { BENCH_SYNC_SERVE: '1' });
  return {
    served: JSON.parse(line) as Served,
    stop: async () => {
      child.stdin.end();
      await exited;
    },
  };
}

export async function run(): Promise<void> {
  const { served, stop } = await startChild();
  const home = mkdtempSync(join(tmpdir(), 'chub-bench-sync-'));
  const ws = openWorkspace(home);
  try {
    const email = `bench-${Date.now()}@example.com`;
    const password = 'a long enough password';
    const res = await fetch(`${served.url}/v1/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password, tenantName: 'bench' }),
    });
    if (res.status !== 201) throw new Error(`signup failed: ${res.status}`);
    await login(ws.db, { serverUrl: served.url, email, password, deviceName: 'bench' });
    installSync(ws.db);
    const kb = ws.db.prepare('SELECT id FROM knowledge_bases WHERE is_default = 1').get() as {
      id: string;
    };
    ws.db.transaction(() => {
      const space = ws.db
        .prepare(
          "INSERT INTO embedding_spaces (kb_id, provider, model, dims, status) VALUES (?, 'ollama', 'nomic-embed-text', ?, 'ready')",
        )
        .run(kb.id, DIMS).lastInsertRowid;
      const doc = ws.db.prepare(
        `INSERT INTO documents (id, kb_id, title, source_path, format, content_hash, stored_name, byte_size)
         VALUES (?, ?, ?, ?, 'txt', ?, ?, 1)`,
      );
      for (let d = 0; d < DOCS; d++)
        doc.run(`d${d}`, kb.id, `Doc ${d}`, `/doc${d}.txt`, `h${d}`, `s${d}`);
      const chunk = ws.db.prepare(
        'INSERT INTO chunks (document_id, ordinal, text, content_hash) VALUES (?, ?, ?, ?)',
      );
      const vec = ws.db.prepare(
        'INSERT INTO chunk_vectors (space_id, chunk_id, vector) VALUES (?, ?, ?)',
      );
      for (let i = 0; i < CHUNKS; i++) {
        const id = chunk.run(`d${i % DOCS}`, i, chunkText(i), `c${i}`).lastInsertRowid;
        const v = vectorOf(i);
        vec.run(space, id, Buffer.from(v.buffer));
      }
    })();

    const transport = deviceTransport(ws.db);
    // Other work on the machine skews every figure: print the 1-minute load average with them.
    // The baseline runs just before and just after the publish; the ratio is to their mean.
    const loadBefore = loadavg()[0] ?? 0;
    const baselineBeforeMs = await insertLoop(served.adminUrl, 'bench_chunks_before');
    const started = performance.now();
    const release = await publish(ws.db, transport);
    const publishMs = performance.now() - started;
    const baselineAfterMs = await insertLoop(served.adminUrl, 'bench_chunks_after');
    const baselineMs = (baselineBeforeMs + baselineAfterMs) / 2;
    print({
      metric: 'first_publish',
      chunks: CHUNKS,
      dims: DIMS,
      ms: Math.round(publishMs),
      chunksPerSecond: Math.round(CHUNKS / (publishMs / 1000)),
      releaseChunks: release.counts.chunks ?? 0,
      goalMs: 10_000,
      goalChunksPerSecond: 2_000,
      loadAvg1m: { before: round2(loadBefore), after: round2(loadavg()[0] ?? 0) },
    });
    print({
      metric: 'insert_loop_baseline',
      chunks: CHUNKS,
      ms: Math.round(baselineMs),
      beforeMs: Math.round(baselineBeforeMs),
      afterMs: Math.round(baselineAfterMs),
      chunksPerSecond: Math.round(CHUNKS / (baselineMs / 1000)),
      publishToBaseline: round2(publishMs / baselineMs),
    });

    // Catch up on the echo of our own publish, then measure syncs with nothing to do.
    const catchUpStart = performance.now();
    await syncOnce(ws.db, transport);
    const catchUpMs = performance.now() - catchUpStart;
    const noop: number[] = [];
    for (let i = 0; i < 21; i++) {
      const s = performance.now();
      await syncOnce(ws.db, transport);
      noop.push(performance.now() - s);
    }
    print({ metric: 'first_pull_of_own_publish', ms: Math.round(catchUpMs) });
    print({
      metric: 'noop_sync',
      medianMs: Math.round(median(noop) * 10) / 10,
      maxMs: Math.round(Math.max(...noop)),
      goalMs: 50,
    });
  } finally {
    ws.close();
    rmSync(home, { recursive: true, force: true });
    await stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}` && process.env.BENCH_SYNC_SERVE === '1') {
  serve().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
