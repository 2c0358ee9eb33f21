import type { ApiHandlers } from '@creator-hub/shared/api/index';
import { ApiError } from '@creator-hub/shared/api/index';
import { Ollama } from 'ollama';
import { chatConfigFromEnv } from '../chat/config';
import { embedderForFingerprint } from '../embed/config';
import { findKnowledgeBase, getKnowledgeBase } from '../knowledge/bases';
import { draftProgram, searchDraftChunks } from '../programs/draft';
import { undo } from '../programs/edits';
import { getProgram, getStepRow, listPrograms, programIdOfModule, toDoc } from '../programs/read';
import {
  addModule,
  addStep,
  createProgram,
  deleteModule,
  deleteProgram,
  deleteStep,
  moveStep,
  updateModule,
  updateProgram,
  updateStep,
} from '../programs/repository';
import { Simulation } from '../programs/simulate';
import { programTree, simulationView } from '../programs/view';
import type { ApiContext } from './context';
import { coreEnv } from './settings-store';

type ProgramHandlers = Pick<
  ApiHandlers,
  | 'programs.list'
  | 'programs.get'
  | 'programs.create'
  | 'programs.update'
  | 'programs.remove'
  | 'programs.addModule'
  | 'programs.updateModule'
  | 'programs.removeModule'
  | 'programs.addStep'
  | 'programs.updateStep'
  | 'programs.moveStep'
  | 'programs.removeStep'
  | 'programs.undo'
  | 'programs.draft'
  | 'programs.simulate'
>;

export function programHandlers(ctx: ApiContext): ProgramHandlers {
  const { db } = ctx.ws;
  const tree = (programId: string) => programTree(db, programId);
  const ofStep = (stepId: string) => getStepRow(db, stepId).program_id;
  return {
    'programs.list': async () =>
      listPrograms(db).map((p) => ({
        id: p.id,
        title: p.title,
        status: p.status,
        modules: p.modules,
        steps: p.steps,
        updatedAt: p.updatedAt,
      })),
    'programs.get': async ({ programId }) => tree(programId),
    'programs.create': async ({ title, description }) =>
      tree(createProgram(db, { title, description: description ?? '' }).id),
    'programs.update': async ({ programId, title, description }) =>
      tree(updateProgram(db, programId, { title, description }).id),
    'programs.remove': async ({ programId }) => {
      deleteProgram(db, programId);
      return { ok: true };
    },
    'programs.addModule': async ({ programId, title }) => {
      addModule(db, programId, { title });
      return tree(programId);
    },
    'programs.updateModule': async ({ moduleId, title, description }) => {
      updateModule(db, moduleId, { title, description });
      return tree(programIdOfModule(db, moduleId));
    },
    'programs.removeModule': async ({ moduleId }) => {
      const programId = programIdOfModule(db, moduleId);
      deleteModule(db, moduleId);
      return tree(programId);
    },
    'programs.addStep': async ({ moduleId, title }) => {
      addStep(db, moduleId, { title });
      return tree(programIdOfModule(db, moduleId));
    },
    'programs.updateStep': async ({ stepId, step }) => {
      updateStep(db, stepId, step);
      return tree(ofStep(stepId));
    },
    'programs.moveStep': async ({ stepId, toModuleId, toIndex }) => {
      moveStep(db, stepId, { moduleId: toModuleId, index: toIndex });
      return tree(ofStep(stepId));
    },
    'programs.removeStep': async ({ stepId }) => {
      const programId = ofStep(stepId);
      deleteStep(db, stepId);
      return tree(programId);
    },
    'programs.undo': async ({ programId }) => {
      undo(db, programId);
      return tree(programId);
    },
    'programs.draft': async ({ goal, audience, weeks, kbId }) => {
      const env = coreEnv(db, ctx.env);
      const config = chatConfigFromEnv(env);
      const kb = kbId ? getKnowledgeBase(db, kbId) : findKnowledgeBase(db);
      const embedderFor = embedderForFingerprint(env);
      const retrieve = searchDraftChunks(ctx.ws, kb.id, { embedderFor });
      const result = await draftProgram(
        { goal, audience, weeks },
        {
          retrieve,
          ollama: new Ollama({ host: config.host }),
          model: config.model,
          host: config.host,
        },
      );
      if (!result.ok) {
        const code =
          result.code === 'llm_unavailable' || result.code === 'model_missing'
            ? 'unavailable'
            : 'failed';
        throw new ApiError(code, result.message);
      }
      return tree(createProgram(db, result.program, `draft program "${result.program.title}"`).id);
    },
    'programs.simulate': async ({ programId, startDate, timeZone, days }) => {
      const sim = new Simulation(toDoc(getProgram(db, programId)), {
        start: startDate,
        timeZone,
        autoRespond: true,
      });
      sim.advanceDays(days);
      return simulationView(sim);
    },
  };
}
