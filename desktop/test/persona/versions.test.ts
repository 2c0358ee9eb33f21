import { join } from 'node:path';
import { UUID_V7_PATTERN } from '@creator-hub/shared/sync/index';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createDesktopApi } from '../../src/core/api/create-api';
import { dispatch } from '../../src/core/api/dispatch';
import { openDatabase } from '../../src/core/db/open';
import { newId } from '../../src/core/ids';
import { setShadowPersona, shadowPersonaTables } from '../../src/core/persona/preview';
import {
  currentPersona,
  defaultPersona,
  getPersonaVersion,
  personaHistory,
  rollbackPersona,
  savedPersona,
  updatePersona,
} from '../../src/core/persona/store';
import { DATABASE_FILE, openWorkspace, type Workspace } from '../../src/core/workspace';
import { tempDir } from '../helpers/tmp';

let ws: Workspace;
let home: string;
beforeEach(() => {
  home = tempDir();
  ws = openWorkspace(home);
});
afterEach(() => ws.close());

/** A version as another desktop saved it (it arrives through sync with its own id and clock). */
function remoteVersion(db: Workspace['db'], hlc: string, name: string): string {
  const id = newId();
  db.prepare('INSERT INTO persona_versions (id, hlc, data, note) VALUES (?, ?, ?, ?)').run(
    id,
    hlc,
    JSON.stringify({ ...defaultPersona(), name }),
    'remote',
  );
  return id;
}

const names = (db: Workspace['db']) => personaHistory(db).map((v) => [v.version, v.persona.name]);

describe('persona versions keyed by id', () => {
  it('gives each saved version a UUIDv7 and a clock, and points the workspace at it', () => {
    let t = Date.parse('2026-11-26T10:00:00Z');
    const now = () => t;
    const v1 = updatePersona(ws.db, { name: 'One' }, '', now);
    t += 1;
    const v2 = updatePersona(ws.db, { name: 'Two' }, '', now);
    expect(v1.id).toMatch(UUID_V7_PATTERN);
    expect(v2.id).toMatch(UUID_V7_PATTERN);
    expect(v1.id).not.toBe(v2.id);
    const rows = ws.db.prepare('SELECT id, hlc FROM persona_versions ORDER BY hlc').all();
    expect(rows).toEqual([
      { id: v1.id, hlc: `${String(t - 1).padStart(15, '0')}-000000` },
      { id: v2.id, hlc: `${String(t).padStart(15, '0')}-000000` },
    ]);
    expect(ws.db.prepare('SELECT * FROM persona_active').all()).toEqual([
      { id: 'active', version_id: v2.id },
    ]);
    expect(getPersonaVersion(ws.db, v1.id ?? '')).toMatchObject({ version: 1, id: v1.id });
    expect(savedPersona(ws.db)?.id).toBe(v2.id);
  });

  it('numbers versions by clock, so one from another device slots in where it was made', () => {
    const t = Date.parse('2026-11-26T10:00:00Z');
    updatePersona(ws.db, { name: 'Local early' }, '', () => t);
    const local = updatePersona(ws.db, { name: 'Local late' }, '', () => t + 2000);
    remoteVersion(ws.db, `${String(t + 1000).padStart(15, '0')}-000000`, 'Remote middle');
    expect(names(ws.db)).toEqual([
      [3, 'Local late'],
      [2, 'Remote middle'],
      [1, 'Local early'],
    ]);
    // The pointer, not the number, decides what is in use: still the local save.
    expect(currentPersona(ws.db)).toMatchObject({ id: local.id, version: 3 });
    expect(getPersonaVersion(ws.db, 2).persona.name).toBe('Remote middle');
  });

  it('breaks clock ties by id, the same way on every device', () => {
    const hlc = '001764151200000-000000';
    const a = remoteVersion(ws.db, hlc, 'A');
    const b = remoteVersion(ws.db, hlc, 'B');
    const [first, second] = [a, b].sort();
    expect(personaHistory(ws.db).map((v) => v.id)).toEqual([second, first]);
  });

  it('follows the pointer, and falls back to the newest version while its target is missing', () => {
    const one = updatePersona(ws.db, { name: 'One' });
    updatePersona(ws.db, { name: 'Two' });
    ws.db.prepare("UPDATE persona_active SET version_id = ? WHERE id = 'active'").run(one.id);
    expect(currentPersona(ws.db).persona.name).toBe('One');
    ws.db
      .prepare("UPDATE persona_active SET version_id = ? WHERE id = 'active'")
      .run('01900000-0000-7000-8000-000000000000');
    expect(currentPersona(ws.db).persona.name).toBe('Two');
    ws.db.prepare('DELETE FROM persona_active').run();
    expect(currentPersona(ws.db).persona.name).toBe('Two');
  });

  it('rolls back by id or by number, copying the version and pointing at the copy', () => {
    const one = updatePersona(ws.db, { name: 'One' });
    updatePersona(ws.db, { name: 'Two' });
    const byId = rollbackPersona(ws.db, one.id ?? '');
    expect(byId).toMatchObject({ version: 3, note: 'rollback to version 1' });
    expect(byId.id).not.toBe(one.id);
    expect(currentPersona(ws.db).id).toBe(byId.id);
    const byNumber = rollbackPersona(ws.db, 2);
    expect(byNumber.persona.name).toBe('Two');
    expect(currentPersona(ws.db)).toMatchObject({ version: 4, persona: { name: 'Two' } });
    expect(() => rollbackPersona(ws.db, 'no-such-id')).toThrow(/no persona version no-such-id/);
    expect(() => rollbackPersona(ws.db, 1.5)).toThrow(/no persona version 1.5/);
    expect(personaHistory(ws.db)).toHaveLength(4);
  });

  it('previews a draft on a shadowing connection without touching the workspace', () => {
    updatePersona(ws.db, { name: 'Saved' });
    const outbox = ws.db.prepare('SELECT count(*) AS n FROM sync_outbox').get();
    const draft = openDatabase(join(home, DATABASE_FILE));
    try {
      shadowPersonaTables(draft);
      setShadowPersona(draft, { ...defaultPersona(), name: 'Draft' });
      setShadowPersona(draft, { ...defaultPersona(), name: 'Draft 2' });
      expect(currentPersona(draft).persona.name).toBe('Draft 2');
      expect(currentPersona(ws.db).persona.name).toBe('Saved');
      expect(personaHistory(ws.db)).toHaveLength(1);
      expect(ws.db.prepare('SELECT count(*) AS n FROM sync_outbox').get()).toEqual(outbox);
    } finally {
      draft.close();
    }
  });

  it('is reached through the API by id or number, with the id in every answer', async () => {
    const api = createDesktopApi({ ws, env: { OLLAMA_HOST: 'http://127.0.0.1:9' } });
    const one = updatePersona(ws.db, { name: 'One' });
    updatePersona(ws.db, { name: 'Two' });
    const byId = await dispatch(api.handlers, 'persona.rollback', { id: one.id });
    expect(byId).toMatchObject({ ok: true, value: { version: 3, persona: { name: 'One' } } });
    const byNumber = await dispatch(api.handlers, 'persona.rollback', { version: 2 });
    expect(byNumber).toMatchObject({ ok: true, value: { version: 4, persona: { name: 'Two' } } });
    const history = await dispatch(api.handlers, 'persona.history', {});
    expect(history).toMatchObject({ ok: true });
    const ids = history.ok
      ? z
          .array(z.object({ id: z.string() }))
          .parse(history.value)
          .map((v) => v.id)
      : [];
    expect(ids).toHaveLength(4);
    for (const id of ids) expect(id).toMatch(UUID_V7_PATTERN);
    for (const bad of [{ id: 'nope' }, { id: '' }, { version: 0 }, { id: one.id, version: 1 }]) {
      const r = await dispatch(api.handlers, 'persona.rollback', bad);
      expect(r.ok).toBe(false);
    }
    expect(personaHistory(ws.db)).toHaveLength(4);
  });
});
