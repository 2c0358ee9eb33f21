import type { Change } from '@creator-hub/shared/sync/index';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newId } from '../../src/core/ids';
import { getProgram, toDoc } from '../../src/core/programs/read';
import { createProgram } from '../../src/core/programs/repository';
import {
  legacyProgramVersionHlc,
  upgradeLegacyProgramVersion,
} from '../../src/core/programs/version-rows';
import { getVersion, listVersions, saveVersion } from '../../src/core/programs/versions';
import { applyPage } from '../../src/core/sync/apply';
import { listConflicts } from '../../src/core/sync/conflicts';
import { getCursor } from '../../src/core/sync/state';
import { openWorkspace, type Workspace } from '../../src/core/workspace';
import { tempDir } from '../helpers/tmp';
import { twoModuleProgram } from '../programs/fixtures';

let ws: Workspace;
let programId: string;
let snapshot: string;
beforeEach(() => {
  ws = openWorkspace(tempDir());
  programId = createProgram(ws.db, twoModuleProgram()).id;
  snapshot = JSON.stringify(toDoc(getProgram(ws.db, programId)));
});
afterEach(() => ws.close());

let seq = 0;
const HLC = '001764151200000-000000';
function change(data: Record<string, string | number>, hlc = HLC): Change {
  seq += 1;
  return {
    seq,
    table: 'program_versions',
    op: 'upsert',
    key: String(data.id),
    hlc,
    device: 'other-device',
    data,
  };
}

const notes = () => listVersions(ws.db, programId).map((v) => [v.version, v.note]);

describe('pulled program versions', () => {
  it('converts an old-format row from an older desktop, and takes its migrated twin as the same row', () => {
    const old = {
      id: newId(),
      program_id: programId,
      version: 3,
      kind: 'publish',
      note: 'old',
      snapshot,
      created_at: '2026-03-04T05:06:07.089Z',
    };
    const twin = upgradeLegacyProgramVersion(old);
    expect(twin).toMatchObject({ id: old.id, hlc: '001772600767089-000003' });
    expect(twin).not.toHaveProperty('version');
    expect(legacyProgramVersionHlc(3, old.created_at)).toBe(twin?.hlc);
    applyPage(ws.db, 'content', [change(old)], 'c1');
    applyPage(ws.db, 'content', [change(old, '001764151200000-000001')], 'c2');
    applyPage(
      ws.db,
      'content',
      [change(twin as Record<string, string>, '001764151200000-000002')],
      'c3',
    );
    expect(notes()).toEqual([[1, 'old']]);
    expect(ws.db.prepare('SELECT * FROM program_versions').all()).toEqual([twin]);
    expect(listConflicts(ws.db)).toEqual([]);
    // Nothing applied from the server goes back into the outbox.
    expect(ws.db.prepare('SELECT count(*) AS n FROM sync_outbox').get()).toEqual({ n: 0 });
  });

  it('slots pulled versions into the local order by clock, numbering them alike everywhere', () => {
    const mine = saveVersion(ws.db, programId, 'save', 'mine', () =>
      Date.parse('2026-05-01T00:00:00Z'),
    );
    expect(mine.version).toBe(1);
    const before = {
      id: newId(),
      program_id: programId,
      kind: 'save',
      note: 'earlier elsewhere',
      snapshot,
    };
    applyPage(
      ws.db,
      'content',
      [
        change({
          ...before,
          hlc: '001777593600000-000000',
          created_at: '2026-05-01T00:00:00.000Z',
        }),
        change({
          ...before,
          id: newId(),
          note: 'later elsewhere',
          hlc: '001777593600001-000000',
          created_at: '2026-05-01T00:00:00.001Z',
        }),
      ],
      'c1',
    );
    // The same millisecond and counter as "mine" on another device: the id breaks the tie.
    expect(notes().map((n) => n[1])).toEqual(
      [mine.id, before.id].sort()[0] === mine.id
        ? ['mine', 'earlier elsewhere', 'later elsewhere']
        : ['earlier elsewhere', 'mine', 'later elsewhere'],
    );
    expect(getVersion(ws.db, programId, 3)).toEqual(JSON.parse(snapshot));
  });

  it('refuses malformed rows as apply_failed conflicts and applies the rest of the page', () => {
    const good = {
      id: newId(),
      program_id: programId,
      hlc: HLC,
      kind: 'save',
      note: 'good',
      snapshot,
      created_at: '2026-11-26T10:00:00.000Z',
    };
    const page = [
      change({ ...good, id: '../../etc/passwd' }),
      change({ ...good, id: newId(), kind: 'delete-all' }),
      change({ ...good, id: newId(), snapshot: 'not json' }),
      change({ ...good, id: newId(), snapshot: '{"title": 1}' }),
      change({ ...good, id: newId(), program_id: newId() }),
      change({ ...good, id: newId(), hlc: 'later' }),
      change(good),
    ];
    const stats = applyPage(ws.db, 'content', page, 'after-page');
    expect(stats).toMatchObject({ applied: 1, failed: 6 });
    const failed = listConflicts(ws.db);
    expect(failed.every((c) => c.kind === 'apply_failed')).toBe(true);
    expect(failed.map((c) => c.reason).sort()).toEqual([
      expect.stringMatching(/^"program_versions" row: hlc: /),
      expect.stringMatching(/^"program_versions" row: id: /),
      expect.stringMatching(/^"program_versions" row: kind: /),
      // A version of a program this workspace does not have.
      expect.stringMatching(/FOREIGN KEY/),
      expect.stringMatching(/^program version refused: Invalid input/),
      expect.stringMatching(/^program version refused: .*not valid JSON/),
    ]);
    expect(notes()).toEqual([[1, 'good']]);
    expect(getCursor(ws.db, 'content')).toBe('after-page');
  });
});
