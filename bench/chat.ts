import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ollama } from 'ollama';
import { ask } from '../desktop/src/core/chat/ask';
import { chatConfigFromEnv } from '../desktop/src/core/chat/config';
import { createOllamaChatModel } from '../desktop/src/core/chat/llm';
import { DEFAULT_CHUNKING } from '../desktop/src/core/ingest/chunk';
import { findKnowledgeBase } from '../desktop/src/core/knowledge/bases';
import { search } from '../desktop/src/core/search/search';
import { openWorkspace } from '../desktop/src/core/workspace';
import { startFakeOllama } from '../desktop/test/helpers/fake-ollama';
import { loadArticles, loadQuestions, storeArticles, structuredChunks } from './lib/squad';

/**
 * Time to first streamed token added by our code, against a fake model that answers instantly:
 * the baseline is the bare `ollama` client streaming from the same server; ours is a full ask()
 * (follow-up check, keyword retrieval over the SQuAD subset's 2,272 chunks, support score, prompt
 * assembly, citation stream) on the same questions. Env: BENCH_CHAT_RUNS (default 60).
 */
const line = (o: Record<string, unknown>) =>
  process.stdout.write(`${JSON.stringify({ bench: 'chat', ...o })}\n`);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
};
const p95 = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * 0.95))] ?? Number.NaN;
};
const ms = (x: number) => Math.round(x * 100) / 100;

export async function run(): Promise<void> {
  const runs = Number(process.env.BENCH_CHAT_RUNS ?? 60);
  const home = mkdtempSync(join(tmpdir(), 'bench-chat-'));
  const ws = openWorkspace(home);
  const server = await startFakeOllama({ chat: () => 'An instant answer from the passages [1].' });
  try {
    const kbId = findKnowledgeBase(ws.db).id;
    storeArticles(ws.db, kbId, loadArticles(), (t) => structuredChunks(t, DEFAULT_CHUNKING), true);
    const questions = loadQuestions()
      .slice(0, runs)
      .map((q) => q.question);
    const client = new Ollama({ host: server.url });
    const model = createOllamaChatModel({ ...chatConfigFromEnv({}), host: server.url });
    const deps = {
      db: ws.db,
      model,
      retrieve: (query: string, o: { kbId?: string }) =>
        search(ws, { query, kbId: o.kbId, k: 8, mode: 'keyword' }),
      // Every question answered, so each run streams (the refusal path never calls the model).
      policy: { minCoverage: 0 },
    };

    const baseline: number[] = [];
    const ours: number[] = [];
    const retrieval: number[] = [];
    for (const [i, question] of questions.entries()) {
      // Alternate the order so neither side always runs with a warmer cache.
      const order = i % 2 === 0 ? ['base', 'ours'] : ['ours', 'base'];
      for (const side of order) {
        const start = performance.now();
        if (side === 'base') {
          const stream = await client.chat({
            model: 'llama3.2:3b',
            messages: [{ role: 'user', content: question }],
            stream: true,
          });
          let first = 0;
          for await (const _ of stream) {
            first ||= performance.now() - start;
          }
          baseline.push(first);
        } else {
          let first = 0;
          await ask(deps, {
            question,
            kbId,
            onToken: () => {
              first ||= performance.now() - start;
            },
          });
          ours.push(first);
        }
      }
      const t = performance.now();
      await search(ws, { query: question, kbId, k: 8, mode: 'keyword' });
      retrieval.push(performance.now() - t);
    }
    const added = median(ours) - median(baseline);
    line({
      metric: 'time-to-first-token',
      runs: questions.length,
      baselineMedianMs: ms(median(baseline)),
      oursMedianMs: ms(median(ours)),
      oursP95Ms: ms(p95(ours)),
      addedMedianMs: ms(added),
      ratio: ms(median(ours) / median(baseline)),
      retrievalMedianMs: ms(median(retrieval)),
      goalAddedMs: 30,
    });
  } finally {
    await server.close();
    ws.close();
    rmSync(home, { recursive: true, force: true });
  }
}
