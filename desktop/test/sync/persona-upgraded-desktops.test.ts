import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { loadMigrations, migrate } from '../../src/core/db/migrate';
import { legacyPersonaId } from '../../src/core/persona/legacy';
import { currentPersona, defaultPersona } from '../../src/core/persona/store';
import { deviceTransport } from '../../src/core/sync/account';
import { listConflicts } from '../../src/core/sync/conflicts';
import { syncOnce } from '../../src/core/sync/engine';
import { installSync } from '../../src/core/sync/install';
import { DATABASE_FILE, type Workspace } from '../../src/core/workspace';
import { tempDir } from '../helpers/tmp';
import { FAST_RETRIES, liveServerForFile, loggedInWorkspace, signup } from './harness';

const live = liveServerForFile();

const sync = (ws: Workspace) => syncOnce(ws.db, deviceTransport(ws.db, FAST_RETRIES));

/** The persona version both desktops held before 006 (one saved it, the other had pulled it). */
const OLD = {
  version: 1,
  data: JSON.stringify({ ...defaultPersona(), name: 'Before the upgrade' }),
  note: '',
  created_at: '2026-10-01T08:00:00.000Z',
};

/** A workspace file as Creator Hub wrote it before 006, holding OLD. */
function homeAt005(): string {
  const home = tempDir();
  const db = new Database(join(home, DATABASE_FILE));
  try {
    migrate(
      db,
      loadMigrations().filter((m) => m.version <= 5),
    );
    installSync(db);
    db.prepare(
      'INSERT INTO persona_versions (version, data, note, created_at) VALUES (?, ?, ?, ?)',
    ).run(OLD.version, OLD.data, OLD.note, OLD.created_at);
  } finally {
    db.close();
  }
  return home;
}

describe('two desktops upgraded past 006', () => {
  it('each sends the same persona pointer without a base version, and no conflict is shown', async () => {
    const account = await signup(live.current, 'persona-upgraded');
    const a = await loggedInWorkspace(homeAt005(), live.current.url, account, 'A');
    const b = await loggedInWorkspace(homeAt005(), live.current.url, account, 'B');
    try {
      for (const ws of [a, b, a, b]) await sync(ws);
      const id = legacyPersonaId(OLD.version, OLD.data, OLD.created_at);
      expect(currentPersona(a.db).id).toBe(id);
      expect(currentPersona(b.db).id).toBe(id);
      for (const ws of [a, b]) {
        expect(listConflicts(ws.db).filter((c) => c.table.startsWith('persona'))).toEqual([]);
      }
      // Nor does the server keep one (a desktop would drop it, but others may not be so new).
      const page = await deviceTransport(a.db, FAST_RETRIES).pull('content', undefined, 1000);
      expect(page.hasMore).toBe(false);
      const records = page.changes.filter((c) => c.table === 'sync_conflicts');
      expect(records.map((c) => c.data?.table)).not.toContain('persona_active');
    } finally {
      a.close();
      b.close();
    }
  });
});
