import type { Mutation } from '@creator-hub/shared/sync/index';
import { describe, expect, it } from 'vitest';
import { newId } from '../../src/core/ids';
import { getProgram, toDoc } from '../../src/core/programs/read';
import { createProgram, updateStep } from '../../src/core/programs/repository';
import {
  getVersion,
  hasUnpublishedChanges,
  listVersions,
  publishProgram,
  rollbackProgram,
  saveVersion,
} from '../../src/core/programs/versions';
import { deviceTransport } from '../../src/core/sync/account';
import { listConflicts } from '../../src/core/sync/conflicts';
import { syncOnce } from '../../src/core/sync/engine';
import { installSync } from '../../src/core/sync/install';
import type { Workspace } from '../../src/core/workspace';
import { tempDir } from '../helpers/tmp';
import { twoModuleProgram } from '../programs/fixtures';
import { FAST_RETRIES, liveServerForFile, loggedInWorkspace, signup } from './harness';

const live = liveServerForFile();

const sync = (ws: Workspace) => syncOnce(ws.db, deviceTransport(ws.db, FAST_RETRIES));

/** What the creator sees in `program history`: number, id, kind and note, oldest first. */
const history = (ws: Workspace, programId: string) =>
  listVersions(ws.db, programId).map(({ version, id, kind, note }) => ({
    version,
    id,
    kind,
    note,
  }));

const view = (ws: Workspace, programId: string) => toDoc(getProgram(ws.db, programId));
const failed = (ws: Workspace) => listConflicts(ws.db).filter((c) => c.kind === 'apply_failed');

async function desktops(label: string, names: string[]): Promise<Workspace[]> {
  const account = await signup(live.current, label);
  const out: Workspace[] = [];
  for (const n of names) out.push(await loggedInWorkspace(tempDir(), live.current.url, account, n));
  return out;
}

describe('program versions on two desktops through the real server', () => {
  it('keeps every version made concurrently on both desktops, in one order; publish and rollback work on both', async () => {
    const [a, b] = (await desktops('programs', ['A', 'B'])) as [Workspace, Workspace];
    try {
      // First the two settle on one Default knowledge base (see two-desktops.test.ts).
      for (const ws of [a, b, a, b, a]) await sync(ws);
      const p = createProgram(a.db, twoModuleProgram());
      expect(publishProgram(a.db, p.id, 'launch').version).toBe(1);
      await sync(a);
      await sync(b);
      expect(history(b, p.id)).toEqual(history(a, p.id));
      const firstStep = p.modules[0]?.steps[0]?.id ?? '';
      const lastStep = p.modules[1]?.steps[0]?.id ?? '';

      // Apart, each desktop makes its versions 2 and 3 of the same program.
      updateStep(a.db, firstStep, { lesson: 'A edited the welcome.' });
      expect(saveVersion(a.db, p.id, 'save', 'A save').version).toBe(2);
      expect(publishProgram(a.db, p.id, 'A publish').version).toBe(3);
      updateStep(b.db, lastStep, { lesson: 'B edited the routine.' });
      const bSave = saveVersion(b.db, p.id, 'save', 'B save');
      expect(bSave.version).toBe(2);
      expect(publishProgram(b.db, p.id, 'B publish').version).toBe(3);
      await sync(a);
      await sync(b);
      await sync(a);

      expect(failed(a)).toEqual([]);
      expect(failed(b)).toEqual([]);
      expect(listConflicts(a.db)).toEqual([]);
      const seen = history(a, p.id);
      expect(seen.map((v) => v.note).sort()).toEqual([
        'A publish',
        'A save',
        'B publish',
        'B save',
        'launch',
      ]);
      expect(seen.map((v) => v.version)).toEqual([1, 2, 3, 4, 5]);
      expect(new Set(seen.map((v) => v.id)).size).toBe(5);
      expect(history(b, p.id)).toEqual(seen);
      // Both edits merged (different steps), and both desktops agree on the latest publish.
      expect(view(b, p.id)).toEqual(view(a, p.id));
      const unpublished = hasUnpublishedChanges(a.db, getProgram(a.db, p.id));
      expect(hasUnpublishedChanges(b.db, getProgram(b.db, p.id))).toBe(unpublished);

      // "Roll back to version 1" on B is the same version on A: the launch.
      const launch = getVersion(a.db, p.id, 1);
      const back = rollbackProgram(b.db, p.id, 1);
      expect(back).toMatchObject({
        version: 6,
        kind: 'rollback',
        note: 'rolled back to version 1',
      });
      await sync(b);
      await sync(a);
      expect(view(a, p.id)).toEqual(launch);
      expect(history(a, p.id)).toEqual(history(b, p.id));

      // And on A by id, to what B saved while apart; then A publishes that as version 8.
      // B's save was its version 2; A's versions came first in clock order, so it is further on now.
      const bSaveNow = seen.find((v) => v.id === bSave.id)?.version;
      expect(bSaveNow).toBeGreaterThan(2);
      const again = rollbackProgram(a.db, p.id, bSave.id);
      expect(again.version).toBe(7);
      expect(publishProgram(a.db, p.id, 'relaunch').version).toBe(8);
      await sync(a);
      await sync(b);
      expect(view(b, p.id)).toEqual(getVersion(b.db, p.id, bSave.id));
      expect(history(b, p.id).slice(-3)).toEqual([
        { version: 6, id: back.id, kind: 'rollback', note: 'rolled back to version 1' },
        { version: 7, id: again.id, kind: 'rollback', note: `rolled back to version ${bSaveNow}` },
        expect.objectContaining({ version: 8, kind: 'publish', note: 'relaunch' }),
      ]);
      expect(history(b, p.id)).toEqual(history(a, p.id));
      expect(hasUnpublishedChanges(b.db, getProgram(b.db, p.id))).toBe(false);
      expect(listConflicts(a.db)).toEqual([]);
      expect(listConflicts(b.db)).toEqual([]);
    } finally {
      a.close();
      b.close();
    }
  });

  it('refuses malformed program versions without holding up what was queued after them', async () => {
    const [a, b, c] = (await desktops('programs-hostile', ['A', 'B', 'C'])) as [
      Workspace,
      Workspace,
      Workspace,
    ];
    try {
      installSync(a.db);
      const p = createProgram(a.db, twoModuleProgram());
      // A hand-edited workspace: a version whose id is not a UUIDv7 reaches the outbox.
      a.db
        .prepare(
          `INSERT INTO program_versions (id, program_id, hlc, kind, note, snapshot)
           VALUES ('v-1', ?, '001764151200000-000000', 'save', 'bad id', '{}')`,
        )
        .run(p.id);
      const good = saveVersion(a.db, p.id, 'save', 'good');
      const result = await sync(a);
      expect(result.push.rejected).toBe(1);
      expect(a.db.prepare('SELECT table_name, code FROM sync_rejections').all()).toEqual([
        { table_name: 'program_versions', code: 'bad_row' },
      ]);
      expect(a.db.prepare('SELECT count(*) AS n FROM sync_outbox').get()).toEqual({ n: 0 });
      expect(a.db.prepare('SELECT count(*) AS n FROM sync_batches').get()).toEqual({ n: 0 });

      // Raw pushes from a third device.
      const snapshot = JSON.stringify(view(a, p.id));
      // A clock from a year ago: the row sorts first, whatever the pushing device claims.
      const hlc = '001764151200001-000000';
      const version = (data: Record<string, string | number>): Mutation => ({
        mid: 0,
        table: 'program_versions',
        op: 'upsert',
        key: String(data.id),
        hlc,
        base: null,
        data,
      });
      const row = {
        id: newId(),
        program_id: p.id,
        hlc,
        kind: 'save',
        note: 'raw good',
        snapshot,
        created_at: '2026-11-26T10:00:00.000Z',
      };
      const { hlc: _h, ...oldForm } = row;
      const legacy = { ...oldForm, id: newId(), note: 'raw legacy', version: 1 };
      const notAProgram = { ...row, id: newId(), note: 'not a program', snapshot: '{"x":1}' };
      const raw: Mutation[] = [
        version({ ...row, id: "'; DROP TABLE program_versions; --" }),
        version({ ...row, id: newId(), kind: 'overwrite' }),
        version({ ...row, id: newId(), hlc: 'soon' }),
        version({ ...legacy, id: newId(), created_at: 'yesterday' }),
        version({ ...row, id: newId(), note: 'x'.repeat(2001) }),
        version({ ...oldForm, id: newId() }),
        version(legacy),
        version(notAProgram),
        version(row),
      ];
      const mutations = raw.map((m, i) => ({ ...m, mid: i + 1 }));
      const pushed = await deviceTransport(c.db, FAST_RETRIES).push(JSON.stringify({ mutations }));
      expect(pushed.results.map((r) => [r.status, r.code])).toEqual([
        ...Array.from({ length: 6 }, () => ['rejected', 'bad_row']),
        ['applied', undefined],
        ['applied', undefined],
        ['applied', undefined],
      ]);

      // B takes the good ones (the old form converted), refuses the one that is not a program
      // (kept as a conflict) and carries on.
      await sync(b);
      expect(history(b, p.id).map((v) => v.note)).toEqual(['raw good', 'raw legacy', 'good']);
      expect(failed(b).map((f) => [f.key, f.reason])).toEqual([
        [notAProgram.id, expect.stringContaining('program version refused')],
      ]);
      expect(b.db.prepare('SELECT hlc FROM program_versions WHERE id = ?').get(legacy.id)).toEqual({
        hlc: `${String(Date.parse(legacy.created_at)).padStart(15, '0')}-000001`,
      });
      expect(rollbackProgram(b.db, p.id, legacy.id).version).toBe(4);
      expect(view(b, p.id)).toEqual(JSON.parse(snapshot));
      expect(history(b, p.id)[2]?.id).toBe(good.id);
    } finally {
      a.close();
      b.close();
      c.close();
    }
  });
});
