import type { Db } from '../db/open';
import type { Persona } from './schema';

const DRAFT_ID = '00000000-0000-7000-8000-000000000000';

/**
 * Makes a connection answer with an unsaved persona: TEMP tables of the same names shadow the
 * persona tables there, so the real chat pipeline reads the draft and nothing reaches the workspace
 * (or the sync outbox, whose triggers sit on the real tables).
 */
export function shadowPersonaTables(db: Db): void {
  db.exec(`CREATE TEMP TABLE IF NOT EXISTS persona_versions (
    id TEXT PRIMARY KEY, hlc TEXT NOT NULL, data TEXT NOT NULL, note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')))`);
  db.exec(`CREATE TEMP TABLE IF NOT EXISTS persona_active (
    id TEXT PRIMARY KEY CHECK (id = 'active'), version_id TEXT NOT NULL)`);
}

/** The draft the shadowing connection answers with from now on. */
export function setShadowPersona(db: Db, persona: Persona): void {
  db.transaction(() => {
    db.prepare('DELETE FROM temp.persona_versions').run();
    db.prepare(
      "INSERT INTO temp.persona_versions (id, hlc, data, note) VALUES (?, '0', ?, 'preview')",
    ).run(DRAFT_ID, JSON.stringify(persona));
    db.prepare(
      "INSERT OR REPLACE INTO temp.persona_active (id, version_id) VALUES ('active', ?)",
    ).run(DRAFT_ID);
  })();
}
