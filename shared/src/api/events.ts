import { z } from 'zod';
import { importStatus } from './knowledge';

/** Streamed events: each carries the opId of the call that caused it (or the kbId it concerns). */
export const apiEvents = {
  'ingest.progress': z.object({
    opId: z.string(),
    index: z.number().int(),
    total: z.number().int(),
    name: z.string(),
    phase: z.enum(['queued', 'parsing', 'embedding', 'done']),
    /** 0..1 within this file. */
    fraction: z.number().min(0).max(1),
    status: importStatus.optional(),
    reason: z.string().optional(),
  }),
  'chat.token': z.object({ opId: z.string(), token: z.string() }),
  'models.pull': z.object({
    opId: z.string(),
    status: z.string(),
    completed: z.number().optional(),
    total: z.number().optional(),
  }),
  'embed.progress': z.object({
    kbId: z.string(),
    done: z.number().int(),
    total: z.number().int(),
    /** Set on the last event of a run; `error` says why it stopped early (vectors stay pending). */
    finished: z.boolean().optional(),
    error: z.string().optional(),
  }),
  'evals.progress': z.object({ opId: z.string(), done: z.number().int(), total: z.number().int() }),
  'sync.progress': z.object({
    opId: z.string(),
    phase: z.string(),
    done: z.number(),
    total: z.number(),
    bytes: z.number().optional(),
  }),
} as const;

export type ApiEvents = typeof apiEvents;
export type ApiEventName = keyof ApiEvents;
export type ApiEvent<E extends ApiEventName> = z.infer<ApiEvents[E]>;
export type ApiEventEnvelope = {
  [E in ApiEventName]: { event: E; payload: ApiEvent<E> };
}[ApiEventName];

export const API_EVENT_NAMES = Object.keys(apiEvents) as ApiEventName[];
