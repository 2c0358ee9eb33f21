import { contentKey, type Mutation } from '@creator-hub/shared/sync/index';
import { describe, expect, it } from 'vitest';
import { newId } from '../../src/core/ids';
import { legacyPersonaId } from '../../src/core/persona/legacy';
import {
  currentPersona,
  defaultPersona,
  personaHistory,
  rollbackPersona,
  updatePersona,
} from '../../src/core/persona/store';
import { deviceTransport } from '../../src/core/sync/account';
import { listConflicts, resolveConflict } from '../../src/core/sync/conflicts';
import { syncOnce } from '../../src/core/sync/engine';
import { installSync } from '../../src/core/sync/install';
import type { Workspace } from '../../src/core/workspace';
import { tempDir } from '../helpers/tmp';
import { FAST_RETRIES, liveServerForFile, loggedInWorkspace, signup } from './harness';

const live = liveServerForFile();

const sync = (ws: Workspace) => syncOnce(ws.db, deviceTransport(ws.db, FAST_RETRIES));

/** What the creator sees in the history: number, id and name, newest first. */
const history = (ws: Workspace) =>
  personaHistory(ws.db).map((v) => ({ version: v.version, id: v.id, name: v.persona.name }));

const failed = (ws: Workspace) => listConflicts(ws.db).filter((c) => c.kind === 'apply_failed');
const edits = (ws: Workspace) => listConflicts(ws.db).filter((c) => c.kind === 'concurrent_edit');

async function desktops(label: string, names: string[]): Promise<Workspace[]> {
  const account = await signup(live.current, label);
  const out: Workspace[] = [];
  for (const n of names) out.push(await loggedInWorkspace(tempDir(), live.current.url, account, n));
  return out;
}

describe('persona versions on two desktops through the real server', () => {
  it('keeps every version saved concurrently on both desktops, in one order, and rolls back', async () => {
    const [a, b] = (await desktops('persona', ['A', 'B'])) as [Workspace, Workspace];
    try {
      // First the two settle on one Default knowledge base (see two-desktops.test.ts).
      for (const ws of [a, b, a, b, a]) await sync(ws);
      expect(failed(a)).toEqual([]);
      // Both desktops save versions while apart: each numbers its own 1 and 2.
      updatePersona(a.db, { name: 'A one' });
      updatePersona(b.db, { name: 'B one' });
      updatePersona(a.db, { name: 'A two' });
      const bTwo = updatePersona(b.db, { name: 'B two' });
      expect(bTwo.version).toBe(2);
      await sync(a);
      await sync(b);
      await sync(a);

      expect(failed(a)).toEqual([]);
      expect(failed(b)).toEqual([]);
      const seen = history(a);
      expect(seen.map((v) => v.name).sort()).toEqual(['A one', 'A two', 'B one', 'B two']);
      expect(seen.map((v) => v.version)).toEqual([4, 3, 2, 1]);
      expect(history(b)).toEqual(seen);

      // The pointer to the version in use is one editable row: the later activation wins on
      // both desktops, the other is kept as a conflict the creator can choose instead.
      expect(currentPersona(a.db).id).toBe(currentPersona(b.db).id);
      const conflictsA = edits(a);
      expect(conflictsA.map((c) => c.table)).toEqual(['persona_active']);
      expect(edits(b).map((c) => c.id)).toEqual(conflictsA.map((c) => c.id));
      const loserId = String(conflictsA[0]?.loser?.version_id);
      expect(loserId).not.toBe(currentPersona(a.db).id);
      resolveConflict(b.db, conflictsA[0]?.id ?? '', 'loser');
      await sync(b);
      await sync(a);
      expect(currentPersona(a.db).id).toBe(loserId);
      expect(currentPersona(b.db).id).toBe(loserId);
      expect(edits(a)).toEqual([]);

      // "Roll back to version 1" on B: the same version on A, by number, after sync.
      const first = seen.find((v) => v.version === 1);
      const back = rollbackPersona(b.db, 1);
      expect(back).toMatchObject({ version: 5, persona: { name: first?.name } });
      await sync(b);
      await sync(a);
      expect(currentPersona(a.db)).toMatchObject({ id: back.id, version: 5 });
      expect(currentPersona(a.db).persona.name).toBe(first?.name);

      // And back again on A, by id, to what B saved last.
      const again = rollbackPersona(a.db, bTwo.id ?? '');
      await sync(a);
      await sync(b);
      expect(currentPersona(b.db)).toMatchObject({ id: again.id, version: 6 });
      expect(currentPersona(b.db).persona.name).toBe('B two');
      expect(history(b)).toEqual(history(a));
      expect(failed(a)).toEqual([]);
      expect(failed(b)).toEqual([]);
      expect(edits(b)).toEqual([]);
    } finally {
      a.close();
      b.close();
    }
  });

  it('refuses malformed persona rows without holding up what was queued after them, and takes old-format ones', async () => {
    const [a, b, c] = (await desktops('persona-hostile', ['A', 'B', 'C'])) as [
      Workspace,
      Workspace,
      Workspace,
    ];
    try {
      installSync(a.db);
      // A hand-edited workspace: a version whose id is not a UUIDv7 reaches the outbox.
      a.db
        .prepare("INSERT INTO persona_versions (id, hlc, data) VALUES ('1', ?, ?)")
        .run('001764151200000-000000', JSON.stringify(defaultPersona()));
      const good = updatePersona(a.db, { name: 'Good' });
      const result = await sync(a);
      expect(result.push.rejected).toBe(1);
      expect(a.db.prepare('SELECT table_name, code FROM sync_rejections').all()).toEqual([
        { table_name: 'persona_versions', code: 'bad_row' },
      ]);
      expect(a.db.prepare('SELECT count(*) AS n FROM sync_outbox').get()).toEqual({ n: 0 });
      expect(a.db.prepare('SELECT count(*) AS n FROM sync_batches').get()).toEqual({ n: 0 });

      // Raw pushes from a third device: a pointer to a malformed id, malformed old-format rows (no
      // exact time, a negative number), an oversized persona, then a well-formed old-format row (as
      // a desktop from before 006 sends it) and one good version; only the last two are taken.
      const transport = deviceTransport(c.db, FAST_RETRIES);
      const hlc = '001764151200001-000000';
      const version = (data: Record<string, string | number>): Mutation => ({
        mid: 0,
        table: 'persona_versions',
        op: 'upsert',
        key: contentKey(data),
        hlc,
        base: null,
        data,
      });
      const fine = {
        id: newId(),
        hlc,
        data: JSON.stringify({ ...defaultPersona(), name: 'Raw good' }),
        note: '',
        created_at: '2026-11-26T10:00:00.000Z',
      };
      const old = {
        version: 3,
        data: JSON.stringify({ ...defaultPersona(), name: 'Raw old' }),
        note: '',
        created_at: '2026-11-26T09:00:00.000Z',
      };
      const raw: Mutation[] = [
        {
          mid: 0,
          table: 'persona_active',
          op: 'upsert',
          key: 'active',
          hlc,
          base: null,
          data: { id: 'active', version_id: "'; DROP TABLE persona_versions; --" },
        },
        version({ ...old, created_at: '2026-13-01T10:00:00.000Z' }),
        version({ ...old, version: -1 }),
        version({ ...fine, id: newId(), data: 'x'.repeat(70_000) }),
        version(old),
        version(fine),
      ];
      const mutations = raw.map((m, i) => ({ ...m, mid: i + 1 }));
      const pushed = await transport.push(JSON.stringify({ mutations }));
      expect(pushed.results.map((r) => [r.status, r.code])).toEqual([
        ['rejected', 'bad_row'],
        ['rejected', 'bad_row'],
        ['rejected', 'bad_row'],
        ['rejected', 'bad_row'],
        ['applied', undefined],
        ['applied', undefined],
      ]);

      await sync(b);
      expect(
        history(b)
          .map((v) => v.name)
          .sort(),
      ).toEqual(['Good', 'Raw good', 'Raw old']);
      // Converted on arrival as migration 006 converts its own desktop's rows.
      expect(history(b).find((v) => v.name === 'Raw old')?.id).toBe(
        legacyPersonaId(old.version, old.data, old.created_at),
      );
      expect(currentPersona(b.db).id).toBe(good.id);
      expect(failed(b)).toEqual([]);
    } finally {
      a.close();
      b.close();
      c.close();
    }
  });
});
