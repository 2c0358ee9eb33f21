import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/core/db/open';
import {
  duplicateModule,
  duplicateProgram,
  duplicateStep,
} from '../../src/core/programs/duplicate';
import type { Row } from '../../src/core/programs/edits';
import { getProgram, listPrograms, toDoc } from '../../src/core/programs/read';
import {
  addModule,
  addStep,
  createProgram,
  deleteProgram,
  moveModule,
  moveStep,
  updateModule,
  updateProgram,
  updateStep,
} from '../../src/core/programs/repository';
import { DATABASE_FILE, openWorkspace, type Workspace } from '../../src/core/workspace';
import { tempDir } from '../helpers/tmp';
import { twoModuleProgram, workspace } from './fixtures';

let ws: Workspace;
afterEach(() => ws?.close());

const titles = (id: string) =>
  getProgram(ws.db, id).modules.map((m) => [m.title, m.steps.map((s) => s.title)]);

describe('program repository', () => {
  it('stores one row per program, module and step and reads them back in order', () => {
    ws = workspace();
    const p = createProgram(ws.db, twoModuleProgram());
    const count = (t: string) =>
      (ws.db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n;
    expect([count('programs'), count('program_modules'), count('program_steps')]).toEqual([
      1, 2, 4,
    ]);
    expect(p.status).toBe('draft');
    expect(titles(p.id)).toEqual([
      ['Week 1: Foundations', ['Welcome', 'Rate your sleep']],
      ['Week 2: Routine', ['Wind-down routine', 'Check with your coach']],
    ]);
    const { id: _id, ...doc } = toDoc(p);
    const input = twoModuleProgram();
    expect(doc.modules[1]?.steps[0]?.checkIn).toEqual({
      ...input.modules?.[1]?.steps?.[0]?.checkIn,
      multiple: false,
    });
    expect(listPrograms(ws.db)).toEqual([
      expect.objectContaining({ title: 'Sleep reset', modules: 2, steps: 4, latestVersion: 0 }),
    ]);
  });

  it('rejects an invalid step edit naming the field, and changes nothing', () => {
    ws = workspace();
    const p = createProgram(ws.db, twoModuleProgram());
    const stepId = p.modules[0]?.steps[0]?.id ?? '';
    expect(() => updateStep(ws.db, stepId, { schedule: { sendTime: '9am' } })).toThrow(
      /schedule\.sendTime: must be a 24-hour time/,
    );
    expect(getProgram(ws.db, p.id)).toEqual(p);
  });

  it('reorders steps, moves them between modules and reorders modules', () => {
    ws = workspace();
    const p = createProgram(ws.db, twoModuleProgram());
    const [w1, w2] = p.modules;
    if (!w1 || !w2) throw new Error('fixture');
    moveStep(ws.db, w1.steps[1]?.id ?? '', { index: 0 });
    expect(titles(p.id)[0]).toEqual(['Week 1: Foundations', ['Rate your sleep', 'Welcome']]);
    moveStep(ws.db, w2.steps[1]?.id ?? '', { moduleId: w1.id, index: 1 });
    expect(titles(p.id)).toEqual([
      ['Week 1: Foundations', ['Rate your sleep', 'Check with your coach', 'Welcome']],
      ['Week 2: Routine', ['Wind-down routine']],
    ]);
    moveModule(ws.db, w2.id, 0);
    expect(titles(p.id).map(([t]) => t)).toEqual(['Week 2: Routine', 'Week 1: Foundations']);
    const other = createProgram(ws.db, { title: 'Other', modules: [{ title: 'X' }] });
    expect(() =>
      moveStep(ws.db, w1.steps[0]?.id ?? '', { moduleId: other.modules[0]?.id ?? '', index: 0 }),
    ).toThrow(/its own program/);
  });

  it('adds modules and steps at a given place', () => {
    ws = workspace();
    const p = createProgram(ws.db, twoModuleProgram());
    const mid = addModule(
      ws.db,
      p.id,
      { title: 'Bonus', steps: [{ title: 'Extra', lesson: 'x' }] },
      1,
    );
    addStep(ws.db, mid, { title: 'First', lesson: 'y' }, 0);
    addStep(ws.db, mid, { title: 'Last', lesson: 'z' });
    expect(titles(p.id)[1]).toEqual(['Bonus', ['First', 'Extra', 'Last']]);
  });

  it("keeps two devices' edits of different steps when their rows are merged", () => {
    ws = workspace();
    const p = createProgram(ws.db, twoModuleProgram());
    const [a, b] = p.modules[0]?.steps ?? [];
    if (!a || !b) throw new Error('fixture');
    ws.close();
    const home2 = tempDir();
    copyFileSync(join(ws.home, DATABASE_FILE), join(home2, DATABASE_FILE));
    ws = openWorkspace(ws.home);
    const other = openWorkspace(home2);
    const rows = (db: Db) => db.prepare('SELECT * FROM program_steps ORDER BY id').all() as Row[];
    const original = rows(ws.db);
    const changedRows = (db: Db) =>
      rows(db).filter(
        (r) => JSON.stringify(r) !== JSON.stringify(original.find((o) => o.id === r.id)),
      );
    // Device 1 retitles step a; device 2 moves step b to the front. Each writes only its own row.
    updateStep(ws.db, a.id, { title: 'Hello' });
    moveStep(other.db, b.id, { index: 0 });
    expect(changedRows(ws.db).map((r) => r.id)).toEqual([a.id]);
    const fromOther = changedRows(other.db);
    expect(fromOther.map((r) => r.id)).toEqual([b.id]);
    other.close();
    const cols = Object.keys(fromOther[0] ?? {});
    ws.db
      .prepare(
        `INSERT OR REPLACE INTO program_steps (${cols}) VALUES (${cols.map((c) => `@${c}`)})`,
      )
      .run(fromOther[0]);
    expect(titles(p.id)[0]).toEqual(['Week 1: Foundations', ['Rate your sleep', 'Hello']]);
  });

  it('orders equal position keys (two devices inserting at one place) by id, and still inserts among them', () => {
    ws = workspace();
    const p = createProgram(ws.db, twoModuleProgram());
    const module = p.modules[0];
    const first = module?.steps[0];
    if (!module || !first) throw new Error('fixture');
    const tied = ['zzzz-device-b', '0000-device-a'].map((id) => {
      ws.db
        .prepare(
          `INSERT INTO program_steps (id, module_id, position, title, lesson) VALUES (?, ?, ?, ?, 'x')`,
        )
        .run(id, module.id, first.position, id);
      return id;
    });
    // UUIDv7 ids start with 0 and a hex time: between the two made-up ids.
    expect(titles(p.id)[0]?.[1]).toEqual([
      '0000-device-a',
      'Welcome',
      'zzzz-device-b',
      'Rate your sleep',
    ]);
    addStep(ws.db, module.id, { title: 'Inserted', lesson: 'y' }, 1);
    expect(titles(p.id)[0]?.[1]).toEqual([
      '0000-device-a',
      'Welcome',
      'zzzz-device-b',
      'Inserted',
      'Rate your sleep',
    ]);
    expect(tied).toHaveLength(2);
  });

  it('duplicates a program, a module and a step with new ids, placed after the original', () => {
    ws = workspace();
    const p = createProgram(ws.db, twoModuleProgram());
    const copy = duplicateProgram(ws.db, p.id);
    expect(copy.title).toBe('Sleep reset (copy)');
    expect(toDoc(copy).modules.map((m) => m.steps.length)).toEqual([2, 2]);
    const ids = (x: typeof p) => x.modules.flatMap((m) => [m.id, ...m.steps.map((s) => s.id)]);
    expect(ids(copy).some((id) => ids(p).includes(id))).toBe(false);
    duplicateModule(ws.db, p.modules[0]?.id ?? '');
    duplicateStep(ws.db, p.modules[1]?.steps[0]?.id ?? '');
    expect(titles(p.id)).toEqual([
      ['Week 1: Foundations', ['Welcome', 'Rate your sleep']],
      ['Week 1: Foundations (copy)', ['Welcome', 'Rate your sleep']],
      [
        'Week 2: Routine',
        ['Wind-down routine', 'Wind-down routine (copy)', 'Check with your coach'],
      ],
    ]);
  });

  it('edits a module, refusing an empty title', () => {
    ws = workspace();
    const p = createProgram(ws.db, twoModuleProgram());
    const moduleId = p.modules[1]?.id ?? '';
    updateModule(ws.db, moduleId, { title: 'Week 2: Habits', description: 'Make it stick.' });
    expect(getProgram(ws.db, p.id).modules[1]).toMatchObject({
      title: 'Week 2: Habits',
      description: 'Make it stick.',
    });
    expect(() => updateModule(ws.db, moduleId, { title: '' })).toThrow(/title: must not be empty/);
    expect(() => updateModule(ws.db, 'nope', { title: 'x' })).toThrow(/no module "nope"/);
  });

  it('updates and deletes programs', () => {
    ws = workspace();
    const p = createProgram(ws.db, twoModuleProgram());
    updateProgram(ws.db, p.id, { title: 'Deep sleep' });
    expect(getProgram(ws.db, p.id).title).toBe('Deep sleep');
    expect(() => updateProgram(ws.db, p.id, { title: ' ' })).toThrow(/title: must not be empty/);
    deleteProgram(ws.db, p.id);
    expect(listPrograms(ws.db)).toEqual([]);
    expect(
      (ws.db.prepare('SELECT count(*) AS n FROM program_steps').get() as { n: number }).n,
    ).toBe(0);
  });
});
