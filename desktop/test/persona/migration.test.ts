import { join } from 'node:path';
import { HLC_PATTERN, UUID_V7_PATTERN } from '@creator-hub/shared/sync/index';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { loadMigrations, migrate } from '../../src/core/db/migrate';
import { upgradeLegacyPersonaRow } from '../../src/core/persona/legacy';
import { currentPersona, defaultPersona, personaHistory } from '../../src/core/persona/store';
import { listConflicts } from '../../src/core/sync/conflicts';
import { installSync } from '../../src/core/sync/install';
import { DATABASE_FILE, openWorkspace } from '../../src/core/workspace';
import { tempDir } from '../helpers/tmp';

const persona = (name: string) => JSON.stringify({ ...defaultPersona(), name });

interface OldRow {
  version: number;
  data: string;
  note: string;
  created_at: string;
}

/** A workspace file as Creator Hub wrote it before 006: synced, with persona versions. */
function workspaceAt005(home: string): { own: OldRow[]; refused: OldRow } {
  const db = new Database(join(home, DATABASE_FILE));
  migrate(
    db,
    loadMigrations().filter((m) => m.version <= 5),
  );
  installSync(db);
  const own: OldRow[] = [
    { version: 1, data: persona('First'), note: 'start', created_at: '2026-01-02T03:04:05.006Z' },
    // Non-ASCII text: SQLite's length() and the converter must count the same characters.
    { version: 2, data: persona('Zoë 🚀 coach'), note: '', created_at: '2026-01-02T03:04:05.006Z' },
    { version: 3, data: persona('Third'), note: 'latest', created_at: '2026-02-01T00:00:00.500Z' },
  ];
  const insert = db.prepare(
    'INSERT INTO persona_versions (version, data, note, created_at) VALUES (?, ?, ?, ?)',
  );
  for (const r of own) insert.run(r.version, r.data, r.note, r.created_at);
  // Another desktop's version 1 arrived and collided with ours: kept as an apply_failed conflict.
  const refused: OldRow = {
    version: 1,
    data: persona('Other desktop'),
    note: '',
    created_at: '2026-01-03T00:00:00.000Z',
  };
  db.prepare(
    `INSERT INTO sync_conflicts (id, kind, table_name, row_key, loser, loser_hlc, loser_device, reason, created_at)
     VALUES ('c1', 'apply_failed', 'persona_versions', 'hash', ?, '001767398400000-000000', 'dev-b',
       'another row already holds this place', '2026-01-03T00:00:01.000Z')`,
  ).run(JSON.stringify(refused));
  db.close();
  return { own, refused };
}

describe('migration 006: persona versions keyed by id', () => {
  it('migrates a 005-era workspace: ids, order, current version, refused versions recovered', () => {
    const home = tempDir();
    const { own, refused } = workspaceAt005(home);
    const ws = openWorkspace(home);
    try {
      const rows = ws.db.prepare('SELECT * FROM persona_versions ORDER BY hlc, id').all() as Record<
        string,
        unknown
      >[];
      expect(rows).toHaveLength(4);
      for (const r of rows) {
        expect(r.id).toMatch(UUID_V7_PATTERN);
        expect(r.hlc).toMatch(HLC_PATTERN);
      }
      // Each row is exactly what the converter makes of its old form (pulled copies match).
      const expected = [...own, refused].map((r) => upgradeLegacyPersonaRow({ ...r }));
      expect(rows).toEqual(expect.arrayContaining(expected));
      expect(personaHistory(ws.db).map((v) => [v.version, v.persona.name])).toEqual([
        [4, 'Third'],
        [3, 'Other desktop'],
        [2, 'Zoë 🚀 coach'],
        [1, 'First'],
      ]);
      // What was in use stays in use.
      expect(currentPersona(ws.db)).toMatchObject({ version: 4, persona: { name: 'Third' } });
      expect(listConflicts(ws.db)).toEqual([]);
      expect(ws.db.prepare("SELECT resolution FROM sync_conflicts WHERE id = 'c1'").get()).toEqual({
        resolution: 'migrated',
      });

      // Old-format rows queued before are dropped; opening the synced workspace re-covers the table
      // and queues every version in the new form, once.
      const queued = () =>
        ws.db
          .prepare(
            "SELECT table_name, data FROM sync_outbox WHERE table_name LIKE 'persona%' ORDER BY seq",
          )
          .all() as { table_name: string; data: string }[];
      const sent = queued();
      installSync(ws.db);
      expect(queued()).toEqual(sent);
      expect(sent.filter((r) => r.table_name === 'persona_versions')).toHaveLength(4);
      for (const r of sent.filter((s) => s.table_name === 'persona_versions'))
        expect(Object.keys(JSON.parse(r.data)).sort()).toEqual([
          'created_at',
          'data',
          'hlc',
          'id',
          'note',
        ]);
      expect(
        sent.filter((r) => r.table_name === 'persona_active').map((r) => JSON.parse(r.data)),
      ).toEqual([{ id: 'active', version_id: currentPersona(ws.db).id }]);
    } finally {
      ws.close();
    }
  });

  it('migrates an unsynced workspace without persona versions to an empty, working store', () => {
    const home = tempDir();
    const db = new Database(join(home, DATABASE_FILE));
    migrate(
      db,
      loadMigrations().filter((m) => m.version <= 5),
    );
    db.close();
    const ws = openWorkspace(home);
    try {
      expect(currentPersona(ws.db)).toMatchObject({ id: null, version: 0 });
      expect(ws.db.prepare('SELECT count(*) AS n FROM persona_active').get()).toEqual({ n: 0 });
    } finally {
      ws.close();
    }
  });
});
