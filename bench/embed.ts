import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OllamaEmbedder } from '../desktop/src/core/embed/ollama';
import { embedPending } from '../desktop/src/core/embed/pending';
import { findKnowledgeBase } from '../desktop/src/core/knowledge/bases';
import { openWorkspace } from '../desktop/src/core/workspace';
import { rng } from './lib/vectors';

/**
 * Embedding pipeline overhead: chunks/s through embedPending (read pending, HTTP /api/embed via
 * the real ollama client, parse, normalise, store float32 + binary prefilter) against an
 * Ollama-protocol server that answers instantly with a precomputed 768-d vector. The goal is
 * ≥ 2,000 chunks/s, so a real model is always the bottleneck. Env BENCH_EMBED_N (default 20,000).
 */
const N = Number(process.env.BENCH_EMBED_N ?? 20_000);
const DIMS = 768;

const line = (o: Record<string, unknown>) =>
  process.stdout.write(`${JSON.stringify({ bench: 'embed', n: N, dims: DIMS, ...o })}\n`);

async function instantOllama(): Promise<{ url: string; close: () => Promise<void> }> {
  const next = rng(3);
  const vector = JSON.stringify(Array.from({ length: DIMS }, () => next() - 0.5));
  const server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(parts).toString('utf8')) as { input: string[] };
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(
        `{"model":"nomic-embed-text","embeddings":[${body.input.map(() => vector).join(',')}]}`,
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export async function run(): Promise<void> {
  const server = await instantOllama();
  const home = mkdtempSync(join(tmpdir(), 'bench-embed-'));
  const ws = openWorkspace(home);
  try {
    const kb = findKnowledgeBase(ws.db);
    const next = rng(5);
    const text = () =>
      Array.from({ length: 150 }, () => `word${Math.floor(next() * 10000)}`).join(' ');
    const insertDoc = ws.db.prepare(
      `INSERT INTO documents (id, kb_id, title, source_path, format, content_hash, stored_name, byte_size)
       VALUES (?, ?, ?, ?, 'txt', ?, ?, 0)`,
    );
    const insertChunk = ws.db.prepare(
      'INSERT INTO chunks (document_id, ordinal, section, text, content_hash) VALUES (?, ?, ?, ?, ?)',
    );
    ws.db.transaction(() => {
      for (let i = 0; i < N; i++) {
        const doc = `doc-${Math.floor(i / 100)}`;
        if (i % 100 === 0) insertDoc.run(doc, kb.id, doc, `/bench/${doc}.txt`, doc, doc);
        insertChunk.run(doc, i % 100, 'Section', text(), String(i));
      }
    })();
    const rssBefore = process.memoryUsage().rss;
    for (const batchSize of [32, 64, 128]) {
      ws.db.exec('DELETE FROM chunk_vectors');
      const provider = new OllamaEmbedder({ host: server.url, batchSize });
      const started = performance.now();
      const cpu = process.cpuUsage();
      const result = await embedPending(ws, { provider, batchSize });
      const seconds = (performance.now() - started) / 1000;
      const used = process.cpuUsage(cpu);
      // CPU time of this process (client, store and the instant server): on a shared, loaded
      // machine wall time mostly measures waiting for a core.
      const cpuSeconds = (used.user + used.system) / 1e6;
      if (result.error || result.pending !== 0)
        throw result.error ?? new Error('vectors left pending');
      const chunksPerSecond = Math.round(N / seconds);
      line({
        batchSize,
        seconds: Math.round(seconds * 100) / 100,
        chunksPerSecond,
        cpuSeconds: Math.round(cpuSeconds * 100) / 100,
        chunksPerCpuSecond: Math.round(N / cpuSeconds),
        goal: 2000,
        ratioToGoal: Math.round((chunksPerSecond / 2000) * 100) / 100,
      });
    }
    line({
      phase: 'memory',
      rssBeforeMB: Math.round(rssBefore / 2 ** 20),
      rssAfterMB: Math.round(process.memoryUsage().rss / 2 ** 20),
      peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    });
  } finally {
    ws.close();
    rmSync(home, { recursive: true, force: true });
    await server.close();
  }
}
