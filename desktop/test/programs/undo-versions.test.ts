import { afterEach, describe, expect, it } from 'vitest';
import { redo, UNDO_DEPTH, undo } from '../../src/core/programs/edits';
import { getProgram, listPrograms, toDoc } from '../../src/core/programs/read';
import {
  createProgram,
  deleteModule,
  deleteProgram,
  deleteStep,
  moveStep,
  updateProgram,
  updateStep,
} from '../../src/core/programs/repository';
import {
  getVersion,
  hasUnpublishedChanges,
  listVersions,
  publishProgram,
  rollbackProgram,
  saveVersion,
  versionRecord,
} from '../../src/core/programs/versions';
import type { Workspace } from '../../src/core/workspace';
import { twoModuleProgram, workspace } from './fixtures';

let ws: Workspace;
afterEach(() => ws?.close());

/** The program as a user sees it (timestamps aside). */
const view = (id: string) => toDoc(getProgram(ws.db, id));

describe('undo and redo', () => {
  it('undoes and redoes a step edit, a move, a step delete and a module delete', () => {
    ws = workspace();
    const p = createProgram(ws.db, twoModuleProgram());
    const original = view(p.id);
    const [w1, w2] = p.modules;
    if (!w1 || !w2) throw new Error('fixture');
    const stepA = w1.steps[0]?.id ?? '';

    updateStep(ws.db, stepA, { title: 'Changed', lesson: 'new' });
    const edited = view(p.id);
    expect(undo(ws.db, p.id).label).toBe('edit step "Changed"');
    expect(view(p.id)).toEqual(original);
    redo(ws.db, p.id);
    expect(view(p.id)).toEqual(edited);
    undo(ws.db, p.id);

    moveStep(ws.db, stepA, { moduleId: w2.id, index: 1 });
    expect(view(p.id)).not.toEqual(original);
    undo(ws.db, p.id);
    expect(view(p.id)).toEqual(original);

    deleteStep(ws.db, stepA);
    expect(view(p.id).modules[0]?.steps).toHaveLength(1);
    undo(ws.db, p.id);
    expect(view(p.id)).toEqual(original);

    deleteModule(ws.db, w2.id);
    expect(view(p.id).modules).toHaveLength(1);
    expect(undo(ws.db, p.id).label).toBe('delete module');
    expect(view(p.id)).toEqual(original);
    expect(getProgram(ws.db, p.id).modules[1]?.position).toBe(w2.position);
  });

  it('a new edit ends the redo chain; an empty log says so', () => {
    ws = workspace();
    const p = createProgram(ws.db, twoModuleProgram());
    updateProgram(ws.db, p.id, { title: 'A' });
    undo(ws.db, p.id);
    updateProgram(ws.db, p.id, { title: 'B' });
    expect(() => redo(ws.db, p.id)).toThrow(/nothing to redo/);
    undo(ws.db, p.id);
    undo(ws.db, p.id); // the creation itself
    expect(listPrograms(ws.db)).toEqual([]);
    expect(() => undo(ws.db, p.id)).toThrow(expect.objectContaining({ code: 'nothing_to_undo' }));
  });

  it('undoes the deletion of a whole program, versions included', () => {
    ws = workspace();
    const p = createProgram(ws.db, twoModuleProgram());
    saveVersion(ws.db, p.id, 'save', 'first');
    const before = view(p.id);
    deleteProgram(ws.db, p.id);
    expect(listPrograms(ws.db)).toEqual([]);
    undo(ws.db);
    expect(view(p.id)).toEqual(before);
    expect(listVersions(ws.db, p.id).map((v) => v.note)).toEqual(['first']);
  });

  it('keeps a bounded log', () => {
    ws = workspace();
    const p = createProgram(ws.db, twoModuleProgram());
    for (let i = 0; i < UNDO_DEPTH + 5; i += 1)
      updateProgram(ws.db, p.id, { description: `d${i}` });
    const n = ws.db.prepare('SELECT count(*) AS n FROM program_undo').get() as { n: number };
    expect(n.n).toBe(UNDO_DEPTH);
  });
});

describe('versions, publish and rollback', () => {
  it('publishes a valid program; an edit shows unpublished changes; undo clears them', () => {
    ws = workspace();
    const p = createProgram(ws.db, twoModuleProgram());
    expect(hasUnpublishedChanges(ws.db, getProgram(ws.db, p.id))).toBe(false);
    expect(publishProgram(ws.db, p.id, 'launch')).toMatchObject({ version: 1, kind: 'publish' });
    expect(getProgram(ws.db, p.id).status).toBe('published');
    const programRow = () => ws.db.prepare('SELECT * FROM programs WHERE id = ?').get(p.id);
    const before = programRow();
    updateStep(ws.db, p.modules[0]?.steps[0]?.id ?? '', { lesson: 'edited' });
    expect(programRow()).toEqual(before);
    expect(hasUnpublishedChanges(ws.db, getProgram(ws.db, p.id))).toBe(true);
    undo(ws.db, p.id);
    expect(hasUnpublishedChanges(ws.db, getProgram(ws.db, p.id))).toBe(false);
    expect(getProgram(ws.db, p.id).status).toBe('published');
  });

  it('refuses to publish an invalid program, listing every problem', () => {
    ws = workspace();
    const p = createProgram(ws.db, {
      title: 'Broken',
      modules: [{ title: 'M', steps: [{ title: 'Empty' }] }, { title: 'No steps' }],
    });
    expect(() => publishProgram(ws.db, p.id)).toThrow(
      /cannot be published yet:\n- modules\[0\]\.steps\[0\]: step "Empty" is empty.*\n- modules\[1\]: module "No steps" has no steps/s,
    );
    expect(getProgram(ws.db, p.id).status).toBe('draft');
    expect(listVersions(ws.db, p.id)).toEqual([]);
  });

  it('keeps snapshots and rolls back to one, keeping row ids', () => {
    ws = workspace();
    const p = createProgram(ws.db, twoModuleProgram());
    const v1 = view(p.id);
    saveVersion(ws.db, p.id);
    deleteModule(ws.db, p.modules[1]?.id ?? '');
    updateProgram(ws.db, p.id, { title: 'Shorter' });
    const v2 = view(p.id);
    expect(saveVersion(ws.db, p.id).version).toBe(2);
    expect(getVersion(ws.db, p.id, 2)).toEqual(v2);

    expect(rollbackProgram(ws.db, p.id, 1)).toMatchObject({
      version: 3,
      note: 'rolled back to version 1',
    });
    expect(view(p.id)).toEqual(v1);
    expect(listVersions(ws.db, p.id).map((v) => [v.version, v.kind])).toEqual([
      [1, 'save'],
      [2, 'save'],
      [3, 'rollback'],
    ]);
    undo(ws.db, p.id);
    expect(view(p.id)).toEqual(v2);
    expect(() => rollbackProgram(ws.db, p.id, 9)).toThrow(/has no version 9/);
  });

  it('finds a version by number or id, only within its own program', () => {
    ws = workspace();
    const p = createProgram(ws.db, twoModuleProgram());
    const q = createProgram(ws.db, { ...twoModuleProgram(), title: 'Other' });
    const first = saveVersion(ws.db, p.id, 'save', 'x'.repeat(3000));
    const other = saveVersion(ws.db, q.id);
    expect(first).toMatchObject({ version: 1, kind: 'save' });
    expect(first.note).toHaveLength(2000);
    expect(versionRecord(ws.db, p.id, first.id)).toEqual(first);
    expect(versionRecord(ws.db, p.id, 1)).toEqual(first);
    expect(other.version).toBe(1);
    for (const bad of [other.id, 0, 2, 1.5, -1, 'nope']) {
      expect(() => versionRecord(ws.db, p.id, bad)).toThrow(/has no version/);
    }
    // Versions saved within one millisecond keep the order they were saved in.
    const same = () => 1_800_000_000_000;
    const a = saveVersion(ws.db, p.id, 'save', 'a', same);
    const b = saveVersion(ws.db, p.id, 'save', 'b', same);
    expect([a.version, b.version]).toEqual([2, 3]);
    expect(listVersions(ws.db, p.id).map((v) => v.id)).toEqual([first.id, a.id, b.id]);
  });
});
