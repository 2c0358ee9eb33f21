import { afterEach, describe, expect, it } from 'vitest';
import { startBackgroundEmbedding } from '../../src/core/embed/background';
import { OllamaEmbedder } from '../../src/core/embed/ollama';
import type { EmbedPendingResult } from '../../src/core/embed/pending';
import { pendingVectors } from '../../src/core/embed/spaces';
import { findKnowledgeBase } from '../../src/core/knowledge/bases';
import { openWorkspace } from '../../src/core/workspace';
import { seedDocument } from '../helpers/chunks';
import { type FakeOllama, startFakeOllama } from '../helpers/fake-ollama';
import { tempDir } from '../helpers/tmp';

let fake: FakeOllama | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe('background embedding', () => {
  it('backs off while Ollama fails, then fills the vectors once it answers', async () => {
    fake = await startFakeOllama({ embedModels: { 'nomic-embed-text': 32 } });
    const ws = openWorkspace(tempDir());
    const kb = findKnowledgeBase(ws.db);
    seedDocument(ws.db, { kbId: kb.id, title: 'A', chunks: ['one', 'two', 'three'] });
    fake.failNext(4, 503);
    const passes: EmbedPendingResult[] = [];
    let done: () => void = () => {};
    const finished = new Promise<void>((resolve) => {
      done = resolve;
    });
    const job = startBackgroundEmbedding(ws, {
      provider: new OllamaEmbedder({ host: fake.url, attempts: 2, retryDelayMs: 1 }),
      intervalMs: 5,
      maxBackoffMs: 20,
      onPass: (r) => {
        passes.push(r);
        if (r.pending === 0 && !r.error) done();
      },
    });
    await finished;
    await job.stop();
    expect(passes[0]?.error?.code).toBe('unreachable');
    expect(passes[1]?.error?.code).toBe('unreachable');
    expect(passes.at(-1)).toEqual({ embedded: 3, pending: 0 });
    expect(pendingVectors(ws.db).get(kb.id)).toBe(0);

    // New chunks are picked up when nudged.
    seedDocument(ws.db, { kbId: kb.id, title: 'B', chunks: ['four'] });
    const again = startBackgroundEmbedding(ws, {
      provider: new OllamaEmbedder({ host: fake.url }),
      intervalMs: 60_000,
    });
    again.nudge();
    for (let i = 0; i < 100 && (pendingVectors(ws.db).get(kb.id) ?? 1) > 0; i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    await again.stop();
    expect(pendingVectors(ws.db).get(kb.id)).toBe(0);
    ws.close();
  });
});
