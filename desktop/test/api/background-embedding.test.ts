import { afterEach, describe, expect, it } from 'vitest';
import { createDesktopApi } from '../../src/core/api/create-api';
import { pendingVectors } from '../../src/core/embed/spaces';
import { findKnowledgeBase } from '../../src/core/knowledge/bases';
import { openWorkspace } from '../../src/core/workspace';
import { seedDocument } from '../helpers/chunks';
import { type FakeOllama, startFakeOllama } from '../helpers/fake-ollama';
import { tempDir } from '../helpers/tmp';

let fake: FakeOllama | undefined;
afterEach(() => fake?.close());

async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting for the background job');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('the app fills pending vectors in the background', () => {
  it('waits while the embedding model is missing, then fills the vectors once it is there', async () => {
    fake = await startFakeOllama({ embedModels: {} });
    const ws = openWorkspace(tempDir());
    const kb = findKnowledgeBase(ws.db);
    seedDocument(ws.db, { kbId: kb.id, title: 'Notes', chunks: ['one', 'two', 'three'] });
    const api = createDesktopApi({
      ws,
      env: { OLLAMA_HOST: fake.url },
      backgroundEmbeddingMs: 20,
    });
    const finished: { kbId: string; done: number; error?: string }[] = [];
    api.events.subscribe((e) => {
      if (e.event === 'embed.progress' && e.payload.finished) finished.push(e.payload);
    });

    await until(() => fake?.requests.some((r) => r.path === '/api/embed') === true);
    expect(pendingVectors(ws.db).get(kb.id)).toBe(3);

    // The creator pulls the model (or starts Ollama): no button press is needed after that.
    fake.addEmbedModel('nomic-embed-text', 768);
    await until(() => pendingVectors(ws.db).get(kb.id) === 0);
    await until(() => finished.some((f) => f.kbId === kb.id && f.done === 3 && !f.error));
    api.close();
    ws.close();
  });

  it('is off unless asked for (tests and the CLI embed on their own terms)', async () => {
    fake = await startFakeOllama();
    const ws = openWorkspace(tempDir());
    seedDocument(ws.db, { kbId: findKnowledgeBase(ws.db).id, title: 'Notes', chunks: ['one'] });
    const api = createDesktopApi({ ws, env: { OLLAMA_HOST: fake.url } });
    await new Promise((r) => setTimeout(r, 200));
    expect(fake.requests.filter((r) => r.path === '/api/embed')).toEqual([]);
    api.close();
    ws.close();
  });
});
