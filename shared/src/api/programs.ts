import { z } from 'zod';
import {
  checkInSchema,
  completionRuleSchema,
  linkSchema,
  scheduleSchema,
} from '../programs/schema';
import { id, method, opId } from './define';

export const programIssueSchema = z.object({
  path: z.string(),
  code: z.string(),
  message: z.string(),
});

export const stepViewSchema = z.object({
  id: z.string(),
  title: z.string(),
  lesson: z.string(),
  links: z.array(linkSchema),
  checkIn: checkInSchema.nullable(),
  proactiveMessage: z.string().nullable(),
  schedule: scheduleSchema,
  completion: completionRuleSchema,
});

export const programTreeSchema = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  status: z.enum(['draft', 'published']),
  modules: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      description: z.string(),
      steps: z.array(stepViewSchema),
    }),
  ),
  /** Rules the program breaks right now, each naming its field (`modules[0].steps[1].title`). */
  issues: z.array(programIssueSchema),
  canUndo: z.boolean(),
});

export const programSummarySchema = z.object({
  id: z.string(),
  title: z.string(),
  status: z.enum(['draft', 'published']),
  modules: z.number().int(),
  steps: z.number().int(),
  updatedAt: z.string(),
});

export const stepEditSchema = z.object({
  title: z.string().max(200),
  lesson: z.string().max(50_000),
  checkIn: checkInSchema.nullable(),
  proactiveMessage: z.string().max(2000).nullable(),
  schedule: scheduleSchema,
  completion: completionRuleSchema,
});

export const simulationSchema = z.object({
  timeZone: z.string(),
  days: z.array(
    z.object({
      day: z.number().int(),
      date: z.string(),
      events: z.array(
        z.object({
          at: z.string(),
          kind: z.enum(['lesson', 'check_in', 'message']),
          stepId: z.string(),
          title: z.string(),
          text: z.string(),
        }),
      ),
    }),
  ),
});

const tree = programTreeSchema;
const title = z.string().trim().min(1).max(200);

export const programMethods = {
  'programs.list': method(z.object({}).strict(), z.array(programSummarySchema)),
  'programs.get': method(z.object({ programId: id }), tree),
  'programs.create': method(
    z.object({ title, description: z.string().max(5000).optional() }),
    tree,
  ),
  'programs.update': method(
    z.object({ programId: id, title, description: z.string().max(5000) }),
    tree,
  ),
  'programs.remove': method(z.object({ programId: id }), z.object({ ok: z.literal(true) })),
  'programs.addModule': method(z.object({ programId: id, title }), tree),
  'programs.updateModule': method(
    z.object({ moduleId: id, title, description: z.string().max(5000) }),
    tree,
  ),
  'programs.removeModule': method(z.object({ moduleId: id }), tree),
  'programs.addStep': method(z.object({ moduleId: id, title }), tree),
  'programs.updateStep': method(z.object({ stepId: id, step: stepEditSchema }), tree),
  'programs.moveStep': method(
    z.object({ stepId: id, toModuleId: id, toIndex: z.number().int().min(0).max(1000) }),
    tree,
  ),
  'programs.removeStep': method(z.object({ stepId: id }), tree),
  'programs.undo': method(z.object({ programId: id }), tree),
  'programs.draft': method(
    z.object({
      opId,
      goal: z.string().trim().min(1).max(1000),
      audience: z.string().max(500),
      weeks: z.number().int().min(1).max(52),
      kbId: id.optional(),
    }),
    tree,
  ),
  'programs.simulate': method(
    z.object({
      programId: id,
      startDate: z.iso.date(),
      timeZone: z.string().min(1).max(64),
      days: z.number().int().min(1).max(366),
    }),
    simulationSchema,
  ),
} as const;

export type ProgramTree = z.infer<typeof programTreeSchema>;
export type ProgramSummary = z.infer<typeof programSummarySchema>;
export type StepView = z.infer<typeof stepViewSchema>;
export type StepEdit = z.infer<typeof stepEditSchema>;
export type Simulation = z.infer<typeof simulationSchema>;
