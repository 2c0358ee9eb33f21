import type { Change } from '@creator-hub/shared/sync/index';
import { describe, expect, it } from 'vitest';
import { applyPage } from '../../src/core/sync/apply';
import { ConflictUnreadable, listConflicts, resolveConflict } from '../../src/core/sync/conflicts';
import { getCursor } from '../../src/core/sync/state';
import { openWorkspace, type Workspace } from '../../src/core/workspace';
import { tempDir } from '../helpers/tmp';

const defaultKb = (ws: Workspace) =>
  (ws.db.prepare('SELECT id FROM knowledge_bases WHERE is_default = 1').get() as { id: string }).id;

const docData = (ws: Workspace, id: string) => ({
  id,
  kb_id: defaultKb(ws),
  title: `Title ${id}`,
  source_path: `/${id}.md`,
  format: 'md',
  content_hash: `h-${id}`,
  stored_name: `s-${id}`,
  byte_size: 10,
});

const docChange = (ws: Workspace, id: string): Change => ({
  seq: 1,
  table: 'documents',
  op: 'upsert',
  key: id,
  hlc: '001800000000000-000000',
  device: 'other-device',
  data: docData(ws, id),
});

/** A refused row marked for one more try (as migration 008 marks them), its record as given. */
function retryRow(ws: Workspace, id: string, loser: string, createdAt: string) {
  ws.db
    .prepare(
      `INSERT INTO sync_conflicts (id, kind, table_name, row_key, loser, loser_hlc, loser_device,
         reason, created_at, resolution)
       VALUES (?, 'apply_failed', 'documents', ?, ?, '001700000000000-000000', 'other-device',
         'refused', ?, 'retry')`,
    )
    .run(id, `key-${id}`, loser, createdAt);
}

const titles = (ws: Workspace) =>
  (ws.db.prepare('SELECT title FROM documents ORDER BY title').all() as { title: string }[]).map(
    (r) => r.title,
  );

describe('rows marked for retry whose record is damaged', () => {
  it('stay open conflicts, are not tried again, and do not hold up the pull or the rows after them', () => {
    const ws = openWorkspace(tempDir());
    try {
      retryRow(ws, 'not-json', '{"id": "doc-x", "title": ', '2026-11-01T00:00:00.000Z');
      retryRow(ws, 'not-object', '[1, 2]', '2026-11-02T00:00:00.000Z');
      retryRow(ws, 'good', JSON.stringify(docData(ws, 'doc-2')), '2026-11-03T00:00:00.000Z');

      const stats = applyPage(ws.db, 'content', [docChange(ws, 'doc-3')], 'c1');
      expect(stats.applied).toBe(2);
      expect(titles(ws)).toEqual(['Title doc-2', 'Title doc-3']);
      expect(getCursor(ws.db, 'content')).toBe('c1');
      const open = listConflicts(ws.db);
      expect(open.map((c) => [c.id, c.kind, c.loser])).toEqual([
        ['not-json', 'apply_failed', null],
        ['not-object', 'apply_failed', null],
      ]);
      for (const c of open) expect(c.reason).toMatch(/^refused again: /);
      expect(
        ws.db.prepare("SELECT count(*) AS n FROM sync_conflicts WHERE resolution = 'retry'").get(),
      ).toEqual({ n: 0 });

      // The next pull goes through as well, and the damaged records are kept, not retried.
      applyPage(ws.db, 'content', [{ ...docChange(ws, 'doc-4'), seq: 2 }], 'c2');
      expect(titles(ws)).toEqual(['Title doc-2', 'Title doc-3', 'Title doc-4']);
      expect(listConflicts(ws.db).map((c) => c.id)).toEqual(['not-json', 'not-object']);

      // Keeping a damaged loser is refused rather than taken as a deletion; keeping the winner closes it.
      expect(() => resolveConflict(ws.db, 'not-json', 'loser')).toThrow(ConflictUnreadable);
      expect(titles(ws)).toHaveLength(3);
      resolveConflict(ws.db, 'not-json', 'winner');
      expect(listConflicts(ws.db).map((c) => c.id)).toEqual(['not-object']);
    } finally {
      ws.close();
    }
  });
});
