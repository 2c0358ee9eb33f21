import { type Change, contentKey } from '@creator-hub/shared/sync/index';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newId } from '../../src/core/ids';
import { legacyPersonaId, upgradeLegacyPersonaRow } from '../../src/core/persona/legacy';
import { currentPersona, defaultPersona, personaHistory } from '../../src/core/persona/store';
import { applyPage } from '../../src/core/sync/apply';
import { listConflicts } from '../../src/core/sync/conflicts';
import { getCursor } from '../../src/core/sync/state';
import { openWorkspace, type Workspace } from '../../src/core/workspace';
import { tempDir } from '../helpers/tmp';

let ws: Workspace;
beforeEach(() => {
  ws = openWorkspace(tempDir());
});
afterEach(() => ws.close());

let seq = 0;
const HLC = '001764151200000-000000';
function change(table: string, data: Record<string, string | number>, key?: string): Change {
  seq += 1;
  return {
    seq,
    table,
    op: 'upsert',
    key: key ?? (table === 'persona_active' ? 'active' : contentKey(data)),
    hlc: HLC,
    device: 'other-device',
    data,
  };
}

const persona = (name: string) => JSON.stringify({ ...defaultPersona(), name });

describe('pulled persona rows', () => {
  it('converts an old-format row from an older desktop, and takes its migrated twin as the same row', () => {
    const old = {
      version: 7,
      data: persona('Old'),
      note: 'n',
      created_at: '2026-03-04T05:06:07.089Z',
    };
    const twin = upgradeLegacyPersonaRow(old);
    expect(twin?.id).toBe(legacyPersonaId(7, old.data, old.created_at));
    applyPage(ws.db, 'content', [change('persona_versions', old)], 'c1');
    applyPage(ws.db, 'content', [change('persona_versions', old)], 'c2');
    applyPage(ws.db, 'content', [change('persona_versions', { ...(twin ?? old) })], 'c3');
    expect(personaHistory(ws.db).map((v) => [v.id, v.persona.name, v.note])).toEqual([
      [twin?.id, 'Old', 'n'],
    ]);
    expect(listConflicts(ws.db)).toEqual([]);
    // Nothing applied from the server goes back into the outbox.
    expect(ws.db.prepare('SELECT count(*) AS n FROM sync_outbox').get()).toEqual({ n: 0 });
  });

  it('refuses malformed rows as apply_failed conflicts and applies the rest of the page', () => {
    const good = {
      id: newId(),
      hlc: HLC,
      data: persona('Good'),
      note: '',
      created_at: '2026-11-26T10:00:00.000Z',
    };
    const page = [
      change('persona_versions', { ...good, id: '../../etc/passwd' }),
      change('persona_versions', { ...good, id: newId(), data: '{"name": 1}' }),
      change('persona_versions', { ...good, id: newId(), data: 'not json' }),
      change('persona_versions', {
        version: 1,
        data: persona('Bad date'),
        note: '',
        created_at: 'soon',
      }),
      change('persona_active', { id: 'active', version_id: 'x' }),
      change('persona_versions', good),
      change('persona_active', { id: 'active', version_id: good.id }),
    ];
    const stats = applyPage(ws.db, 'content', page, 'after-page');
    expect(stats).toMatchObject({ applied: 2, failed: 5 });
    const failed = listConflicts(ws.db);
    expect(failed.every((c) => c.kind === 'apply_failed')).toBe(true);
    const reasons = failed.map((c) => `${c.table}: ${c.reason}`).sort();
    expect(reasons).toEqual([
      expect.stringMatching(/^persona_active: "persona_active" row: version_id: /),
      // An old-format row (no id) is judged by the old form: its time is what is wrong.
      expect.stringMatching(/^persona_versions: "persona_versions" row: created_at: /),
      expect.stringMatching(/^persona_versions: "persona_versions" row: id: /),
      expect.stringMatching(/^persona_versions: persona version refused: .*not valid JSON/),
      expect.stringMatching(/^persona_versions: persona version refused: invalid persona/),
    ]);
    expect(currentPersona(ws.db)).toMatchObject({ id: good.id, version: 1 });
    expect(personaHistory(ws.db)).toHaveLength(1);
    expect(getCursor(ws.db, 'content')).toBe('after-page');
  });
});
