import type { Change } from '@creator-hub/shared/sync/index';
import { describe, expect, it } from 'vitest';
import { createKnowledgeBase, numberedName } from '../../src/core/knowledge/bases';
import { applyPage } from '../../src/core/sync/apply';
import { installSync } from '../../src/core/sync/install';
import { openWorkspace, type Workspace } from '../../src/core/workspace';
import { tempDir } from '../helpers/tmp';

function workspace(): Workspace {
  const ws = openWorkspace(tempDir());
  installSync(ws.db);
  ws.db.prepare('DELETE FROM sync_outbox').run();
  return ws;
}

const remoteKb = (id: string, name: string): Change => ({
  seq: 1,
  table: 'knowledge_bases',
  op: 'upsert',
  key: id,
  hlc: '001800000000000-000000',
  device: 'other-device',
  data: { id, name, description: '', is_default: 0 },
});

const names = (ws: Workspace) =>
  ws.db.prepare('SELECT id, name FROM knowledge_bases WHERE is_default = 0 ORDER BY id').all();

const outbox = (ws: Workspace) =>
  (
    ws.db.prepare('SELECT table_name, row_key, data FROM sync_outbox ORDER BY seq').all() as {
      table_name: string;
      row_key: string;
      data: string;
    }[]
  ).map((r) => ({ table: r.table_name, key: r.row_key, name: JSON.parse(r.data).name }));

describe('knowledge bases of one name from two desktops', () => {
  it('numbers a name past the ones taken, case-insensitively, within 100 characters', () => {
    const ws = workspace();
    try {
      createKnowledgeBase(ws.db, 'Recipes');
      const second = createKnowledgeBase(ws.db, 'recipes (2)');
      expect(numberedName(ws.db, 'Recipes', 'another')).toBe('Recipes (3)');
      expect(numberedName(ws.db, 'Recipes', second.id)).toBe('Recipes (2)');
      const long = 'x'.repeat(100);
      createKnowledgeBase(ws.db, long);
      expect(numberedName(ws.db, long, 'another')).toBe(`${'x'.repeat(96)} (2)`);
    } finally {
      ws.close();
    }
  });

  it('shows a newer remote one as "Name (2)" without sending anything', () => {
    const ws = workspace();
    try {
      const mine = createKnowledgeBase(ws.db, 'Recipes');
      ws.db.prepare('DELETE FROM sync_outbox').run();
      const theirs = `${mine.id}z`;
      applyPage(ws.db, 'content', [remoteKb(theirs, 'RECIPES')], 'c1');
      expect(names(ws)).toEqual([
        { id: mine.id, name: 'Recipes' },
        { id: theirs, name: 'RECIPES (2)' },
      ]);
      expect(outbox(ws)).toEqual([]);
    } finally {
      ws.close();
    }
  });

  it('renames its own newer one and sends the new name', () => {
    const ws = workspace();
    try {
      const mine = createKnowledgeBase(ws.db, 'Recipes');
      ws.db.prepare('DELETE FROM sync_outbox').run();
      const theirs = '00000000-0000-7000-8000-000000000000';
      applyPage(ws.db, 'content', [remoteKb(theirs, 'Recipes')], 'c1');
      expect(names(ws)).toEqual([
        { id: theirs, name: 'Recipes' },
        { id: mine.id, name: 'Recipes (2)' },
      ]);
      expect(outbox(ws)).toEqual([{ table: 'knowledge_bases', key: mine.id, name: 'Recipes (2)' }]);
    } finally {
      ws.close();
    }
  });
});
