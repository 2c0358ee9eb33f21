import { join } from 'node:path';
import { HLC_PATTERN } from '@creator-hub/shared/sync/index';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { loadMigrations, migrate } from '../../src/core/db/migrate';
import { undo } from '../../src/core/programs/edits';
import { getProgram, listPrograms, toDoc } from '../../src/core/programs/read';
import { createProgram, deleteProgram } from '../../src/core/programs/repository';
import {
  legacyProgramVersionHlc,
  upgradeLegacyProgramVersion,
} from '../../src/core/programs/version-rows';
import {
  getVersion,
  hasUnpublishedChanges,
  listVersions,
  rollbackProgram,
  saveVersion,
} from '../../src/core/programs/versions';
import { listConflicts } from '../../src/core/sync/conflicts';
import { installSync } from '../../src/core/sync/install';
import { DATABASE_FILE, openWorkspace } from '../../src/core/workspace';
import { tempDir } from '../helpers/tmp';
import { twoModuleProgram } from './fixtures';

interface OldRow {
  id: string;
  program_id: string;
  version: number;
  kind: string;
  note: string;
  snapshot: string;
  created_at: string;
}

const OTHER_DEVICE_ID = '01a21000-0000-7000-8000-00000000000b';

function conflict(db: Database.Database, id: string, loser: unknown): void {
  db.prepare(
    `INSERT INTO sync_conflicts (id, kind, table_name, row_key, loser, loser_hlc, loser_device, reason, created_at)
     VALUES (?, 'apply_failed', 'program_versions', 'k', ?, '001767398400000-000000', 'dev-b',
       'UNIQUE constraint failed: program_versions.program_id, program_versions.version',
       '2026-01-03T00:00:01.000Z')`,
  ).run(id, JSON.stringify(loser));
}

/** A workspace file as Creator Hub wrote it before 007: synced, with numbered program versions. */
function workspaceAt006(home: string) {
  const db = new Database(join(home, DATABASE_FILE));
  migrate(
    db,
    loadMigrations().filter((m) => m.version <= 6),
  );
  installSync(db);
  const p = createProgram(db, twoModuleProgram());
  const snapshot = JSON.stringify(toDoc(getProgram(db, p.id)));
  const own: OldRow[] = [
    {
      id: '01a21000-0000-7000-8000-000000000001',
      program_id: p.id,
      version: 1,
      kind: 'save',
      note: 'first',
      snapshot,
      created_at: '2026-01-02T03:04:05.006Z',
    },
    {
      id: '01a21000-0000-7000-8000-000000000002',
      program_id: p.id,
      version: 2,
      kind: 'publish',
      note: 'launch',
      snapshot,
      // The same millisecond as version 1: the old number keeps their order.
      created_at: '2026-01-02T03:04:05.006Z',
    },
  ];
  const insert = db.prepare(
    `INSERT INTO program_versions (id, program_id, version, kind, note, snapshot, created_at)
     VALUES (@id, @program_id, @version, @kind, @note, @snapshot, @created_at)`,
  );
  for (const r of own) insert.run(r);
  db.prepare("UPDATE programs SET status = 'published' WHERE id = ?").run(p.id);
  // Another desktop's version 2 collided with ours and was refused; so was a version from a desktop
  // on 007 already (no number: the old schema needs one). A malformed one stays a conflict.
  const refused: OldRow = {
    ...own[0],
    id: OTHER_DEVICE_ID,
    version: 2,
    kind: 'save',
    note: 'other desktop',
    created_at: '2026-01-03T00:00:00.000Z',
  } as OldRow;
  conflict(db, 'c1', refused);
  const { version: _v, ...rest } = refused;
  const current = {
    ...rest,
    id: '01a21000-0000-7000-8000-00000000000c',
    hlc: '001767398400000-000000',
    note: 'from 007',
  };
  conflict(db, 'c2', current);
  conflict(db, 'c3', { ...refused, id: 'not-an-id' });
  // A second program, deleted with its version: the undo log holds the old form of the row.
  const q = createProgram(db, { ...twoModuleProgram(), title: 'Deleted' });
  insert.run({ ...own[0], id: '01a21000-0000-7000-8000-0000000000d1', program_id: q.id });
  deleteProgram(db, q.id);
  db.close();
  return { programId: p.id, deletedId: q.id, own, refused, current };
}

const outboxVersions = (db: Database.Database) =>
  (
    db
      .prepare(
        "SELECT op, data FROM sync_outbox WHERE table_name = 'program_versions' ORDER BY seq",
      )
      .all() as { op: string; data: string }[]
  ).map((r) => ({ op: r.op, data: JSON.parse(r.data) as Record<string, unknown> }));

const versionTriggers = (db: Database.Database) =>
  (
    db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'program_versions' ORDER BY name",
      )
      .all() as { name: string }[]
  ).map((r) => r.name);

const getVersionRow = (db: Database.Database, id: string) =>
  db.prepare('SELECT * FROM program_versions WHERE id = ?').get(id);

describe('migration 007: program versions ordered by clock, not numbered', () => {
  it('migrates a 006-era workspace: clocks, order, refused versions recovered, outbox, undo', () => {
    const home = tempDir();
    const { programId, deletedId, own, refused, current } = workspaceAt006(home);
    const ws = openWorkspace(home);
    try {
      const rows = ws.db.prepare('SELECT * FROM program_versions ORDER BY hlc, id').all() as Record<
        string,
        unknown
      >[];
      for (const r of rows) expect(r.hlc).toMatch(HLC_PATTERN);
      // Each old row is exactly what the converter makes of its old form (pulled copies match).
      const expected = [...own, refused].map((r) => upgradeLegacyProgramVersion({ ...r }));
      expect(rows).toEqual(expect.arrayContaining([...expected, current]));
      expect(rows).toHaveLength(4);
      expect(listVersions(ws.db, programId).map((v) => [v.version, v.note, v.id])).toEqual([
        [1, 'first', own[0]?.id],
        [2, 'launch', own[1]?.id],
        [3, 'from 007', current.id],
        [4, 'other desktop', refused.id],
      ]);
      expect(rows[0]?.hlc).toBe('001767323045006-000001');
      expect(legacyProgramVersionHlc(2, '2026-01-02T03:04:05.006Z')).toBe(rows[1]?.hlc);
      expect(hasUnpublishedChanges(ws.db, getProgram(ws.db, programId))).toBe(false);
      expect(listConflicts(ws.db).map((c) => c.id)).toEqual(['c3']);
      expect(ws.db.prepare('SELECT id, resolution FROM sync_conflicts ORDER BY id').all()).toEqual([
        { id: 'c1', resolution: 'migrated' },
        { id: 'c2', resolution: 'migrated' },
        { id: 'c3', resolution: null },
      ]);

      // Queued rows wait in the current form; the deletions stay queued as they were.
      const queued = outboxVersions(ws.db);
      expect(queued.map((r) => r.op)).toEqual(['upsert', 'upsert', 'upsert', 'delete']);
      for (const r of queued.filter((q) => q.op === 'upsert')) {
        expect(r.data).not.toHaveProperty('version');
        expect(r.data.hlc).toMatch(HLC_PATTERN);
      }
      expect(queued[0]?.data).toEqual(upgradeLegacyProgramVersion({ ...own[0] }));

      // Opening the synced workspace rebuilt the table's sync triggers; the recovered versions are
      // recorded as their desktop's, like pulled rows.
      expect(versionTriggers(ws.db)).toEqual([
        'sync_out_program_versions_del',
        'sync_out_program_versions_ins',
        'sync_out_program_versions_upd',
      ]);
      expect(
        ws.db
          .prepare(
            "SELECT row_key, device FROM sync_versions WHERE table_name = 'program_versions' ORDER BY row_key",
          )
          .all(),
      ).toEqual([
        { row_key: OTHER_DEVICE_ID, device: 'dev-b' },
        { row_key: current.id, device: 'dev-b' },
      ]);
      // A version saved now is queued once, and nothing else: the queued rows are not queued
      // twice, the recovered ones are not sent from here.
      const saved = saveVersion(ws.db, programId, 'save', 'after');
      expect(saved.version).toBe(5);
      const after = outboxVersions(ws.db);
      expect(after).toHaveLength(5);
      expect(after[4]?.data).toMatchObject({ id: saved.id, note: 'after' });
      installSync(ws.db);
      expect(outboxVersions(ws.db)).toHaveLength(5);
      // From now on the triggers queue each version as it is saved.
      const next = saveVersion(ws.db, programId, 'save', 'next');
      expect(outboxVersions(ws.db)[5]?.data).toEqual(getVersionRow(ws.db, next.id));

      // Rollback by the numbers shown, and undo of a deletion logged in the old form.
      expect(rollbackProgram(ws.db, programId, 2).version).toBe(7);
      expect(toDoc(getProgram(ws.db, programId))).toEqual(getVersion(ws.db, programId, 2));
      undo(ws.db, programId);
      undo(ws.db, deletedId);
      expect(
        listPrograms(ws.db)
          .map((p) => p.title)
          .sort(),
      ).toEqual(['Deleted', 'Sleep reset']);
      expect(listVersions(ws.db, deletedId)).toMatchObject([{ version: 1, note: 'first' }]);
      expect(
        ws.db.prepare('SELECT hlc FROM program_versions WHERE program_id = ?').get(deletedId),
      ).toEqual({ hlc: '001767323045006-000001' });
    } finally {
      ws.close();
    }
  });

  it('sends none of the versions sync had sent before, only those saved since', () => {
    const home = tempDir();
    const { programId, own } = workspaceAt006(home);
    // As if everything queued had been sent: the outbox is empty, the versions recorded.
    const db = new Database(join(home, DATABASE_FILE));
    db.prepare('DELETE FROM sync_outbox').run();
    const sent = db.prepare(
      `INSERT INTO sync_versions (table_name, row_key, hlc, device, local_mid)
       VALUES ('program_versions', ?, '001767398400000-000001', 'this-device', 1)`,
    );
    for (const r of own) sent.run(r.id);
    db.close();
    const ws = openWorkspace(home);
    try {
      const saved = saveVersion(ws.db, programId, 'save', 'since');
      installSync(ws.db);
      expect(outboxVersions(ws.db).map((r) => r.data.id)).toEqual([saved.id]);
      // Deleting the program before the next sync still sends its versions' deletes.
      const ids = listVersions(ws.db, programId).map((v) => v.id);
      expect(ids).toHaveLength(5);
      deleteProgram(ws.db, programId);
      const deleted = ws.db
        .prepare(
          "SELECT row_key FROM sync_outbox WHERE table_name = 'program_versions' AND op = 'delete' ORDER BY row_key",
        )
        .all() as { row_key: string }[];
      expect(deleted.map((r) => r.row_key)).toEqual(ids.sort());
    } finally {
      ws.close();
    }
  });

  it('migrates a workspace that never synced: nothing queued until sync covers the table', () => {
    const home = tempDir();
    const db = new Database(join(home, DATABASE_FILE));
    migrate(
      db,
      loadMigrations().filter((m) => m.version <= 6),
    );
    const p = createProgram(db, twoModuleProgram());
    db.close();
    const ws = openWorkspace(home);
    try {
      saveVersion(ws.db, p.id, 'save', 'one');
      saveVersion(ws.db, p.id, 'save', 'two');
      expect(outboxVersions(ws.db)).toEqual([]);
      installSync(ws.db);
      expect(outboxVersions(ws.db).map((r) => r.data.note)).toEqual(['one', 'two']);
      saveVersion(ws.db, p.id, 'save', 'three');
      expect(outboxVersions(ws.db).map((r) => r.data.note)).toEqual(['one', 'two', 'three']);
    } finally {
      ws.close();
    }
  });
});
