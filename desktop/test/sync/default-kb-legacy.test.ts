import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Change } from '@creator-hub/shared/sync/index';
import { describe, expect, it } from 'vitest';
import { ingestPaths } from '../../src/core/ingest/ingest';
import { deviceTransport } from '../../src/core/sync/account';
import { applyPage } from '../../src/core/sync/apply';
import { listConflicts, recordApplyFailure } from '../../src/core/sync/conflicts';
import { pushAll, syncOnce } from '../../src/core/sync/engine';
import { deviceId, setCursor } from '../../src/core/sync/state';
import { openWorkspace, type Workspace } from '../../src/core/workspace';
import { tempDir } from '../helpers/tmp';
import { FAST_RETRIES, liveServerForFile, loggedInWorkspace, signup } from './harness';

const live = liveServerForFile();

const transport = (ws: Workspace) => deviceTransport(ws.db, FAST_RETRIES);

async function ingestNote(ws: Workspace, name: string) {
  const path = join(tempDir(), `${name}.md`);
  writeFileSync(path, `# ${name}\n\nA note called ${name}.\n`);
  expect((await ingestPaths(ws, [path]))[0]?.status).toBe('ok');
}

const documentsByKb = (ws: Workspace) =>
  ws.db
    .prepare(
      `SELECT kb.name, kb.is_default AS isDefault, d.title FROM documents d
       JOIN knowledge_bases kb ON kb.id = d.kb_id ORDER BY d.title`,
    )
    .all();

describe('a workspace that refused the other Default before the merge existed', () => {
  it('takes the refused rows in on the first pull after migration 008, and the conflicts close', async () => {
    const account = await signup(live.current, 'legacy');
    const homeA = tempDir();
    let a = await loggedInWorkspace(homeA, live.current.url, account, 'A');
    const b = await loggedInWorkspace(tempDir(), live.current.url, account, 'B');
    try {
      await ingestNote(a, 'Alpha');
      await ingestNote(b, 'Beta');
      await pushAll(a.db, transport(a));
      await pushAll(b.db, transport(b));
      // What a desktop from before the merge did: every row of B's Default was refused.
      const page = await transport(a).pull('content', undefined, 500);
      expect(page.hasMore).toBe(false);
      const own = deviceId(a.db);
      const theirs = page.changes.filter((c) => c.device !== own);
      expect(theirs.map((c) => c.table).sort()).toEqual(['chunks', 'documents', 'knowledge_bases']);
      a.db.transaction(() => {
        for (const c of theirs) recordApplyFailure(a.db, c, 'UNIQUE constraint failed', Date.now);
        setCursor(a.db, 'content', page.cursor);
      })();
      a.db.prepare('DELETE FROM schema_migrations WHERE version = 8').run();
      expect(listConflicts(a.db)).toHaveLength(3);
      a.close();

      a = openWorkspace(homeA);
      // Still shown until the next pull takes the rows in.
      expect(listConflicts(a.db)).toHaveLength(3);
      await syncOnce(a.db, transport(a));
      await syncOnce(b.db, transport(b));
      const expected = [
        { name: 'Default', isDefault: 1, title: 'Alpha' },
        { name: 'Default', isDefault: 1, title: 'Beta' },
      ];
      expect(documentsByKb(a)).toEqual(expected);
      expect(documentsByKb(b)).toEqual(expected);
      expect(a.db.prepare('SELECT count(*) AS n FROM chunks').get()).toEqual({ n: 2 });
      for (const ws of [a, b]) expect(listConflicts(ws.db)).toEqual([]);
    } finally {
      a.close();
      b.close();
    }
  });

  it('does not take in a refused version older than the one here', () => {
    const ws = openWorkspace(tempDir());
    try {
      const kb = ws.db.prepare('SELECT id FROM knowledge_bases WHERE is_default = 1').get() as {
        id: string;
      };
      const doc = (title: string, hlc: string): Change => ({
        seq: 1,
        table: 'documents',
        op: 'upsert',
        key: 'doc-1',
        hlc,
        device: 'other-device',
        data: {
          id: 'doc-1',
          kb_id: kb.id,
          title,
          source_path: '/guide.md',
          format: 'md',
          content_hash: 'h1',
          stored_name: 's1',
          byte_size: 10,
        },
      });
      applyPage(ws.db, 'content', [doc('Newer', '001800000000000-000000')], 'c1');
      recordApplyFailure(ws.db, doc('Older', '001700000000000-000000'), 'refused', Date.now);
      ws.db.prepare("UPDATE sync_conflicts SET resolution = 'retry'").run();
      applyPage(ws.db, 'content', [], 'c2');
      expect(ws.db.prepare('SELECT title FROM documents').all()).toEqual([{ title: 'Newer' }]);
      expect(ws.db.prepare('SELECT resolution FROM sync_conflicts').all()).toEqual([
        { resolution: 'superseded' },
      ]);
      expect(listConflicts(ws.db)).toEqual([]);
    } finally {
      ws.close();
    }
  });
});
