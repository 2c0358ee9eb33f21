import { describe, expect, it } from 'vitest';
import { createKnowledgeBase, findKnowledgeBase } from '../../src/core/knowledge/bases';
import { toFtsQuery } from '../../src/core/search/fts-query';
import { search } from '../../src/core/search/search';
import { openWorkspace } from '../../src/core/workspace';
import { seedDocument } from '../helpers/chunks';
import { tempDir } from '../helpers/tmp';

function setup() {
  const ws = openWorkspace(tempDir());
  const main = findKnowledgeBase(ws.db);
  const other = createKnowledgeBase(ws.db, 'Other');
  const garden = seedDocument(ws.db, {
    kbId: main.id,
    title: 'Garden',
    chunks: [
      { text: 'Tomatoes need full sun and regular watering.', section: 'Vegetables', page: 2 },
      'Roses are pruned in late winter.',
    ],
  });
  const kitchen = seedDocument(ws.db, {
    kbId: main.id,
    title: 'Kitchen',
    chunks: ['Roast the tomatoes with garlic and olive oil.'],
  });
  seedDocument(ws.db, { kbId: other.id, title: 'Elsewhere', chunks: ['Tomatoes grow in Spain.'] });
  return { ws, main, other, garden, kitchen };
}

describe('keyword search', () => {
  it('finds chunks by words, best first, with citation metadata', async () => {
    const { ws, main, garden } = setup();
    const hits = await search(ws, { query: 'watering tomatoes', kbId: main.id, mode: 'keyword' });
    expect(hits.map((h) => h.text)).toEqual([
      'Tomatoes need full sun and regular watering.',
      'Roast the tomatoes with garlic and olive oil.',
    ]);
    expect(hits[0]).toMatchObject({
      documentId: garden.documentId,
      title: 'Garden',
      path: '/docs/Garden.txt',
      section: 'Vegetables',
      page: 2,
      keywordRank: 1,
    });
    expect(hits[0]?.score).toBeGreaterThan(hits[1]?.score ?? Number.POSITIVE_INFINITY);
    ws.close();
  });

  it('filters by knowledge base and by document', async () => {
    const { ws, other, kitchen } = setup();
    const all = await search(ws, { query: 'tomatoes', mode: 'keyword' });
    expect(all).toHaveLength(3);
    const inOther = await search(ws, { query: 'tomatoes', kbId: other.id, mode: 'keyword' });
    expect(inOther.map((h) => h.title)).toEqual(['Elsewhere']);
    const inDoc = await search(ws, { query: 'tomatoes', documentId: kitchen.documentId });
    expect(inDoc.map((h) => h.title)).toEqual(['Kitchen']);
    ws.close();
  });

  it('stems words (porter) and respects k', async () => {
    const { ws } = setup();
    expect((await search(ws, { query: 'pruning', mode: 'keyword' })).map((h) => h.title)).toEqual([
      'Garden',
    ]);
    expect(await search(ws, { query: 'tomatoes', k: 1, mode: 'keyword' })).toHaveLength(1);
    ws.close();
  });

  it('never throws on hostile query text', async () => {
    const { ws } = setup();
    const hostile = [
      '"',
      '"unbalanced',
      'tomatoes AND',
      'OR OR OR',
      'NEAR(tomatoes roses, 2)',
      'text:tomatoes',
      '{text section}: roses',
      '^tomatoes*',
      '(((',
      "'; DROP TABLE chunks; --",
      '\u0000tomatoes\u0000',
      '-roses +garlic',
      'x'.repeat(100_000),
      '',
      '   ',
      '🍅🍅',
      Array.from({ length: 5000 }, (_, i) => `w${i}`).join(' '),
    ];
    for (const q of hostile) {
      await expect(search(ws, { query: q, mode: 'keyword' })).resolves.toBeInstanceOf(Array);
    }
    expect((await search(ws, { query: '"tomatoes AND (garlic', mode: 'keyword' }))[0]?.title).toBe(
      'Kitchen',
    );
    expect(await search(ws, { query: '*** ((( ', mode: 'keyword' })).toEqual([]);
    ws.close();
  });

  it('builds quoted OR expressions and drops stop words unless nothing else is left', () => {
    expect(toFtsQuery('What is "NEAR" the river?')).toBe('"near" OR "river"');
    expect(toFtsQuery('the what')).toBe('"the" OR "what"');
    expect(toFtsQuery('!!!')).toBeNull();
  });

  it('returns nothing for an empty knowledge base', async () => {
    const ws = openWorkspace(tempDir());
    const empty = createKnowledgeBase(ws.db, 'Empty');
    expect(await search(ws, { query: 'anything', kbId: empty.id })).toEqual([]);
    ws.close();
  });
});
