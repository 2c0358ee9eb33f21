import { describe, expect, it } from 'vitest';
import { compactChanges } from '../../../sync-server/src/sync/pull';
import { deviceTransport } from '../../src/core/sync/account';
import { listConflicts, resolveConflict } from '../../src/core/sync/conflicts';
import { syncOnce } from '../../src/core/sync/engine';
import type { Workspace } from '../../src/core/workspace';
import { tempDir } from '../helpers/tmp';
import { FAST_RETRIES, liveServerForFile, loggedInWorkspace, signup } from './harness';
import { addStep, createProgram, renameStep, steps } from './steps';

const live = liveServerForFile();

const sync = (ws: Workspace) => syncOnce(ws.db, deviceTransport(ws.db, FAST_RETRIES));

describe('two desktops through the real server', () => {
  it('carries programs across, and keeps both versions of a concurrent edit', async () => {
    const account = await signup(live.current, 'two');
    const a = await loggedInWorkspace(tempDir(), live.current.url, account, 'A');
    const b = await loggedInWorkspace(tempDir(), live.current.url, account, 'B');
    try {
      const { moduleId } = createProgram(a.db);
      const stepId = addStep(a.db, moduleId, 'Intro');
      await sync(a);
      const pulled = await sync(b);
      expect(pulled.pull.content.changes).toBeGreaterThan(0);
      expect(steps(b.db)).toEqual([{ id: stepId, title: 'Intro' }]);
      // Applying remote rows wrote nothing into B's outbox.
      expect(
        b.db
          .prepare("SELECT count(*) AS n FROM sync_outbox WHERE table_name = 'program_steps'")
          .get(),
      ).toEqual({ n: 0 });

      renameStep(a.db, stepId, 'Intro by A');
      renameStep(b.db, stepId, 'Intro by B');
      await sync(a);
      await sync(b);
      await sync(a);
      const final = steps(a.db);
      expect(steps(b.db)).toEqual(final);
      const kept = [final[0]?.title];
      // Each workspace made its own empty Default knowledge base: both keep the same one.
      const edits = (ws: Workspace) =>
        listConflicts(ws.db).filter((c) => c.kind === 'concurrent_edit');
      expect(listConflicts(a.db).filter((c) => c.kind === 'apply_failed')).toEqual([]);
      expect(listConflicts(b.db).filter((c) => c.kind === 'apply_failed')).toEqual([]);
      const defaults = (ws: Workspace) =>
        ws.db.prepare('SELECT id, name FROM knowledge_bases WHERE is_default = 1').all();
      expect(defaults(a)).toHaveLength(1);
      expect(defaults(b)).toEqual(defaults(a));
      const conflictsA = edits(a);
      const conflictsB = edits(b);
      expect(conflictsA).toHaveLength(1);
      expect(conflictsB.map((c) => c.id)).toEqual(conflictsA.map((c) => c.id));
      const loser = conflictsA[0]?.loser?.title;
      kept.push(String(loser));
      expect(kept.sort()).toEqual(['Intro by A', 'Intro by B']);

      // The creator keeps the losing version: it becomes current everywhere, the conflict closes.
      const conflictId = conflictsA[0]?.id ?? '';
      resolveConflict(a.db, conflictId, 'loser');
      await sync(a);
      await sync(b);
      expect(steps(b.db)[0]?.title).toBe(loser);
      expect(steps(a.db)[0]?.title).toBe(loser);
      expect(edits(a)).toHaveLength(0);
      expect(edits(b)).toHaveLength(0);
    } finally {
      a.close();
      b.close();
    }
  });

  it('rebuilds from a snapshot when the server answers 410 resync_required', async () => {
    const account = await signup(live.current, 'resync');
    const a = await loggedInWorkspace(tempDir(), live.current.url, account, 'A');
    try {
      const { moduleId } = createProgram(a.db);
      const kept = addStep(a.db, moduleId, 'Kept');
      const gone = addStep(a.db, moduleId, 'Gone');
      await sync(a);
      a.db.prepare('DELETE FROM program_steps WHERE id = ?').run(gone);
      renameStep(a.db, kept, 'Kept, renamed');
      await sync(a);
      // The server drops its whole change log: cursors from before are no longer served.
      await live.current.db.withTenant(account.tenantId, (tx) =>
        compactChanges(tx, 'content', 1_000),
      );
      const b = await loggedInWorkspace(tempDir(), live.current.url, account, 'B');
      try {
        const result = await sync(b);
        expect(result.pull.content.snapshots).toBe(1);
        expect(steps(b.db)).toEqual([{ id: kept, title: 'Kept, renamed' }]);
        // Back on ordinary pulls afterwards.
        renameStep(a.db, kept, 'After the snapshot');
        await sync(a);
        const next = await sync(b);
        expect(next.pull.content.snapshots).toBe(0);
        expect(steps(b.db)).toEqual([{ id: kept, title: 'After the snapshot' }]);
      } finally {
        b.close();
      }
    } finally {
      a.close();
    }
  });
});
