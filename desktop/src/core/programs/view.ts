import type { ProgramTree, Simulation as SimulationView } from '@creator-hub/shared/api/programs';
import type { Db } from '../db/open';
import { canUndo } from './edits';
import { getProgram } from './read';
import type { Simulation } from './simulate';
import { checkProgram } from './versions';

/** A program as the desktop API serves it: the tree, the rules it breaks now, and undo state. */
export function programTree(db: Db, programId: string): ProgramTree {
  const program = getProgram(db, programId);
  return {
    id: program.id,
    title: program.title,
    description: program.description,
    status: program.status,
    modules: program.modules.map((m) => ({
      id: m.id,
      title: m.title,
      description: m.description,
      steps: m.steps.map(({ moduleId: _m, position: _p, ...step }) => step),
    })),
    issues: checkProgram(db, program),
    canUndo: canUndo(db, programId),
  };
}

const SENT = new Set(['lesson', 'check_in', 'message']);

/** What a simulation sent, grouped by the learner's calendar day. */
export function simulationView(sim: Simulation): SimulationView {
  const days = new Map<number, SimulationView['days'][number]>();
  for (const e of sim.events) {
    if (!SENT.has(e.kind)) continue;
    const day = days.get(e.day) ?? { day: e.day, date: e.at.slice(0, 10), events: [] };
    day.events.push({
      at: e.at,
      kind: e.kind as 'lesson' | 'check_in' | 'message',
      stepId: e.stepId,
      title: e.step,
      text: e.text,
    });
    days.set(e.day, day);
  }
  return { timeZone: sim.options.timeZone, days: [...days.values()] };
}
