import { afterEach, describe, expect, it } from 'vitest';
import { OllamaEmbedder } from '../../src/core/embed/ollama';
import { embedPending } from '../../src/core/embed/pending';
import {
  listSpaces,
  pendingVectors,
  servingSpace,
  targetSpace,
  vecTable,
} from '../../src/core/embed/spaces';
import type { Embedder } from '../../src/core/embed/types';
import { createKnowledgeBase, findKnowledgeBase } from '../../src/core/knowledge/bases';
import { search } from '../../src/core/search/search';
import { openWorkspace, type Workspace } from '../../src/core/workspace';
import { seedDocument } from '../helpers/chunks';
import { type FakeOllama, startFakeOllama } from '../helpers/fake-ollama';
import { tempDir } from '../helpers/tmp';

const servers: FakeOllama[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});
async function fakeOllama(models: Record<string, number> = { 'nomic-embed-text': 64 }) {
  const f = await startFakeOllama({ embedModels: models });
  servers.push(f);
  return f;
}
const ollama = (f: FakeOllama, model = 'nomic-embed-text', batchSize = 4): OllamaEmbedder =>
  new OllamaEmbedder({ host: f.url, model, batchSize, attempts: 2, retryDelayMs: 1 });

function seed(ws: Workspace, kbId: string, n: number, title = 'Doc') {
  const topics = ['apples', 'rivers', 'engines', 'violins', 'glaciers'];
  return seedDocument(ws.db, {
    kbId,
    title,
    chunks: Array.from({ length: n }, (_, i) => `chunk ${i} about ${topics[i % topics.length]}`),
  });
}

const vectorCount = (ws: Workspace, spaceId: number) =>
  (
    ws.db.prepare('SELECT count(*) AS n FROM chunk_vectors WHERE space_id = ?').get(spaceId) as {
      n: number;
    }
  ).n;
const vecRows = (ws: Workspace, spaceId: number) =>
  (ws.db.prepare(`SELECT count(*) AS n FROM ${vecTable(spaceId)}`).get() as { n: number }).n;

describe('embedPending', () => {
  it('fills every pending vector, reporting progress, and marks the space ready', async () => {
    const f = await fakeOllama();
    const ws = openWorkspace(tempDir());
    const kb = findKnowledgeBase(ws.db);
    const other = createKnowledgeBase(ws.db, 'Other');
    seed(ws, kb.id, 10);
    seed(ws, other.id, 3);
    expect(pendingVectors(ws.db)).toEqual(
      new Map([
        [kb.id, 10],
        [other.id, 3],
      ]),
    );
    const progress: { kbId: string; done: number; total: number }[] = [];
    const result = await embedPending(ws, {
      batchSize: 4,
      provider: ollama(f),
      kbId: kb.id,
      onProgress: (p) => progress.push(p),
    });
    expect(result).toEqual({ embedded: 10, pending: 0 });
    expect(progress.map((p) => p.done)).toEqual([0, 4, 8, 10]);
    expect(progress.every((p) => p.total === 10 && p.kbId === kb.id)).toBe(true);
    const space = servingSpace(ws.db, kb.id);
    expect(space).toMatchObject({ provider: 'ollama', model: 'nomic-embed-text', dims: 64 });
    expect(vectorCount(ws, space?.id ?? -1)).toBe(10);
    expect(vecRows(ws, space?.id ?? -1)).toBe(10);
    expect(pendingVectors(ws.db).get(other.id)).toBe(3);
    expect(await embedPending(ws, { batchSize: 4, provider: ollama(f) })).toEqual({
      embedded: 3,
      pending: 0,
    });
    ws.close();
  });

  it('keeps vectors in step when chunks are deleted or their text changes', async () => {
    const f = await fakeOllama();
    const ws = openWorkspace(tempDir());
    const kb = findKnowledgeBase(ws.db);
    const doc = seed(ws, kb.id, 6);
    const keep = seed(ws, kb.id, 2, 'Keep');
    await embedPending(ws, { batchSize: 4, provider: ollama(f) });
    const space = servingSpace(ws.db, kb.id);
    ws.db.prepare('DELETE FROM documents WHERE id = ?').run(doc.documentId);
    expect(vectorCount(ws, space?.id ?? -1)).toBe(2);
    expect(vecRows(ws, space?.id ?? -1)).toBe(2);
    ws.db
      .prepare("UPDATE chunks SET text = 'changed', content_hash = 'x' WHERE id = ?")
      .run(keep.chunkIds[0]);
    expect(pendingVectors(ws.db).get(kb.id)).toBe(1);
    expect(vecRows(ws, space?.id ?? -1)).toBe(1);
    expect(await embedPending(ws, { batchSize: 4, provider: ollama(f) })).toEqual({
      embedded: 1,
      pending: 0,
    });
    ws.close();
  });

  it('loses nothing when the server goes down mid-way, and fills the rest when it is back', async () => {
    const first = await fakeOllama();
    const ws = openWorkspace(tempDir());
    const kb = findKnowledgeBase(ws.db);
    seed(ws, kb.id, 12);
    const result = await embedPending(ws, {
      batchSize: 4,
      provider: ollama(first),
      onProgress: (p) => {
        // The server dies right after the first batch is stored.
        if (p.done === 4) void first.close();
      },
    });
    expect(result.embedded).toBe(4);
    expect(result.pending).toBe(8);
    expect(result.error).toMatchObject({ code: 'unreachable' });
    expect((ws.db.prepare('SELECT count(*) AS n FROM chunks').get() as { n: number }).n).toBe(12);
    expect(targetSpace(ws.db, kb.id)?.status).toBe('building');
    expect(servingSpace(ws.db, kb.id)).toBeUndefined();
    // Keyword search keeps working meanwhile; hybrid falls back to it.
    const notices: string[] = [];
    const during = await search(
      ws,
      { query: 'apples' },
      { embedderFor: () => ollama(first), onNotice: (n) => notices.push(n) },
    );
    expect(during.length).toBeGreaterThan(0);
    expect(during.every((h) => h.vectorRank === undefined)).toBe(true);
    expect(notices.join()).toMatch(/keywords only/);

    const back = await fakeOllama();
    expect(await embedPending(ws, { batchSize: 4, provider: ollama(back) })).toEqual({
      embedded: 8,
      pending: 0,
    });
    expect(servingSpace(ws.db, kb.id)?.status).toBe('ready');
    ws.close();
  });

  it('switches models without mixing dimensions, and search works during the switch', async () => {
    const f = await fakeOllama({ 'nomic-embed-text': 512, 'other-embed': 384 });
    const ws = openWorkspace(tempDir());
    const kb = findKnowledgeBase(ws.db);
    seed(ws, kb.id, 10);
    await embedPending(ws, { batchSize: 4, provider: ollama(f) });
    const old = servingSpace(ws.db, kb.id);

    const stop = new AbortController();
    const partial = await embedPending(ws, {
      batchSize: 4,
      provider: ollama(f, 'other-embed'),
      signal: stop.signal,
      onProgress: (p) => {
        if (p.done === 4) stop.abort();
      },
    });
    expect(partial).toMatchObject({ embedded: 4, pending: 6, error: { code: 'aborted' } });
    const [building, serving] = listSpaces(ws.db, kb.id);
    expect(building).toMatchObject({ model: 'other-embed', dims: 384, status: 'building' });
    expect(serving).toMatchObject({ id: old?.id, model: 'nomic-embed-text', status: 'ready' });
    const sizes = ws.db
      .prepare('SELECT space_id, length(vector) AS bytes FROM chunk_vectors GROUP BY 1, 2')
      .all();
    expect(sizes).toEqual([
      { space_id: old?.id, bytes: 512 * 4 },
      { space_id: building?.id, bytes: 384 * 4 },
    ]);
    expect(pendingVectors(ws.db).get(kb.id)).toBe(6);

    // Search embeds the query with the serving space's model, not the new one.
    const models: string[] = [];
    const embedderFor = (fp: { model: string }): Embedder => {
      models.push(fp.model);
      return ollama(f, fp.model);
    };
    const during = await search(ws, { query: 'glaciers', mode: 'vector' }, { embedderFor });
    expect(models).toEqual(['nomic-embed-text']);
    expect(during[0]?.text).toMatch(/glaciers/);

    expect(await embedPending(ws, { batchSize: 4, provider: ollama(f, 'other-embed') })).toEqual({
      embedded: 6,
      pending: 0,
    });
    expect(listSpaces(ws.db, kb.id).map((s) => [s.model, s.status])).toEqual([
      ['other-embed', 'ready'],
    ]);
    const tables = ws.db
      .prepare('SELECT name FROM sqlite_master WHERE name = ?')
      .all(vecTable(old?.id ?? -1));
    expect(tables).toEqual([]);
    const after = await search(ws, { query: 'glaciers', mode: 'vector' }, { embedderFor });
    expect(models).toEqual(['nomic-embed-text', 'other-embed']);
    expect(after[0]?.text).toMatch(/glaciers/);
    ws.close();
  });

  it('returns to a previous model by abandoning the unfinished switch', async () => {
    const f = await fakeOllama({ 'nomic-embed-text': 16, 'other-embed': 8 });
    const ws = openWorkspace(tempDir());
    const kb = findKnowledgeBase(ws.db);
    seed(ws, kb.id, 8);
    await embedPending(ws, { batchSize: 4, provider: ollama(f) });
    f.removeModel('other-embed');
    const failed = await embedPending(ws, { batchSize: 4, provider: ollama(f, 'other-embed') });
    expect(failed.error).toMatchObject({ code: 'model_missing' });
    expect(listSpaces(ws.db, kb.id)).toHaveLength(1);
    f.addEmbedModel('other-embed', 8);
    const stop = new AbortController();
    await embedPending(ws, {
      batchSize: 4,
      provider: ollama(f, 'other-embed'),
      signal: stop.signal,
      onProgress: (p) => p.done > 0 && stop.abort(),
    });
    expect(listSpaces(ws.db, kb.id)).toHaveLength(2);
    expect(await embedPending(ws, { batchSize: 4, provider: ollama(f) })).toEqual({
      embedded: 0,
      pending: 0,
    });
    expect(listSpaces(ws.db, kb.id).map((s) => s.model)).toEqual(['nomic-embed-text']);
    ws.close();
  });
});
