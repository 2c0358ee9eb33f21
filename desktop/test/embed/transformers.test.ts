import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { embedderForFingerprint, embedderFromSettings } from '../../src/core/embed/config';
import { embedPending } from '../../src/core/embed/pending';
import { servingSpace } from '../../src/core/embed/spaces';
import { TransformersEmbedder } from '../../src/core/embed/transformers';
import { dot } from '../../src/core/embed/vectors';
import { findKnowledgeBase } from '../../src/core/knowledge/bases';
import { search } from '../../src/core/search/search';
import { openWorkspace } from '../../src/core/workspace';
import { seedDocument } from '../helpers/chunks';
import { tempDir } from '../helpers/tmp';

const TINY = join(import.meta.dirname, '..', 'fixtures', 'models', 'tiny-random-bert-embedder');

describe('transformers provider (tiny offline model)', () => {
  it('embeds in-process from a local folder: 32-d unit vectors, identical text identical', async () => {
    const embedder = new TransformersEmbedder({ model: TINY, batchSize: 2 });
    expect(embedder.model).toBe(TINY);
    const [a, b, c] = await embedder.embed(
      ['the cat sat on the mat', 'the cat sat on the mat', 'quantum chromodynamics lecture'],
      'document',
    );
    expect(a).toHaveLength(32);
    expect(dot(a as Float32Array, a as Float32Array)).toBeCloseTo(1, 5);
    expect(dot(a as Float32Array, b as Float32Array)).toBeCloseTo(1, 5);
    expect(dot(a as Float32Array, c as Float32Array)).toBeLessThan(0.999);
    // Inputs past the model's 512 tokens are cut, not an error.
    expect(await embedder.embed(['word '.repeat(2000)], 'query')).toHaveLength(1);
  });

  it('fills pending vectors and serves vector search under its own fingerprint', async () => {
    const ws = openWorkspace(tempDir());
    const kb = findKnowledgeBase(ws.db);
    seedDocument(ws.db, {
      kbId: kb.id,
      title: 'Notes',
      chunks: ['alpha beta gamma', 'delta epsilon zeta', 'eta theta iota'],
    });
    const provider = embedderFromSettings({ provider: 'transformers', model: TINY }, {});
    expect(provider).toBeInstanceOf(TransformersEmbedder);
    const result = await embedPending(ws, { provider: provider as TransformersEmbedder });
    expect(result).toEqual({ embedded: 3, pending: 0 });
    expect(servingSpace(ws.db, kb.id)).toMatchObject({
      provider: 'transformers',
      model: TINY,
      dims: 32,
    });
    const hits = await search(
      ws,
      { query: 'Notes\n\ndelta epsilon zeta', mode: 'vector', k: 3 },
      { embedderFor: embedderForFingerprint({}) },
    );
    expect(hits[0]?.text).toBe('delta epsilon zeta');
    expect(hits[0]?.score).toBeCloseTo(1, 4);
    ws.close();
  });

  it('reports a folder that holds no model as a missing model', async () => {
    const embedder = new TransformersEmbedder({ model: tempDir() });
    await expect(embedder.embed(['x'], 'document')).rejects.toMatchObject({
      code: 'model_missing',
    });
  });

  it('chooses no embedder for provider none, and rejects unknown providers', () => {
    expect(embedderFromSettings({ provider: 'none' }, {})).toBeUndefined();
    expect(embedderFromSettings({}, { CREATOR_HUB_EMBED_PROVIDER: 'none' })).toBeUndefined();
    expect(() => embedderFromSettings({ provider: 'magic' }, {})).toThrow(/unknown embedding/);
    expect(embedderFromSettings({}, { CREATOR_HUB_EMBED_MODEL: 'all-minilm' })?.model).toBe(
      'all-minilm',
    );
  });
});
