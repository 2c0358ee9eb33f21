import { programTreeSchema, simulationSchema } from '@creator-hub/shared/api/programs';
import { afterEach, describe, expect, it } from 'vitest';
import { getProgram, listPrograms, toDoc } from '../../src/core/programs/read';
import { createProgram, updateStep } from '../../src/core/programs/repository';
import { Simulation } from '../../src/core/programs/simulate';
import { programTree, simulationView } from '../../src/core/programs/view';
import type { Workspace } from '../../src/core/workspace';
import { twoModuleProgram, workspace } from './fixtures';

let ws: Workspace;
afterEach(() => ws?.close());

describe('program views for the desktop API', () => {
  it('serves the tree with its current issues and undo state, matching the contract', () => {
    ws = workspace();
    const p = createProgram(ws.db, {
      title: 'Draft',
      modules: [{ title: 'M', steps: [{ title: 'Empty' }] }],
    });
    const tree = programTreeSchema.parse(programTree(ws.db, p.id));
    expect(tree.issues.map((i) => i.code)).toEqual(['empty_step']);
    expect(tree.canUndo).toBe(true);
    expect(tree.modules[0]?.steps[0]).not.toHaveProperty('position');
  });

  it('groups simulated sends by the learner day, matching the contract', () => {
    ws = workspace();
    const p = createProgram(ws.db, twoModuleProgram());
    const sim = new Simulation(toDoc(getProgram(ws.db, p.id)), {
      start: '2026-10-23',
      timeZone: 'Europe/Berlin',
      autoRespond: true,
    });
    sim.advanceDays(5);
    const view = simulationSchema.parse(simulationView(sim));
    expect(view.days.map((d) => [d.day, d.date, d.events.map((e) => e.kind)])).toEqual([
      [0, '2026-10-23', ['message', 'lesson']],
      [1, '2026-10-24', ['lesson', 'check_in']],
      [3, '2026-10-26', ['message', 'lesson', 'check_in']],
      [4, '2026-10-27', ['check_in']],
    ]);
  });

  it('reports the latest edit of any row as the program update time', async () => {
    ws = workspace();
    const p = createProgram(ws.db, twoModuleProgram());
    const before = listPrograms(ws.db)[0]?.updatedAt ?? '';
    await new Promise((r) => setTimeout(r, 5));
    updateStep(ws.db, p.modules[1]?.steps[1]?.id ?? '', { title: 'Later' });
    expect((listPrograms(ws.db)[0]?.updatedAt ?? '') > before).toBe(true);
  });
});
