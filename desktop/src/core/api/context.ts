import type { Workspace } from '../workspace';
import type { EventBus } from './events';

/** What every handler group needs; built once per workspace by createDesktopApi. */
export interface ApiContext {
  ws: Workspace;
  events: EventBus;
  /** The process environment the core reads its defaults from (OLLAMA_HOST, models...). */
  env: NodeJS.ProcessEnv;
  /** Cancels long calls (chat, pulls) by their opId. */
  aborts: Map<string, AbortController>;
  /** The app version shown in the UI. */
  version: string;
  /** Resources a handler group opened (e.g. a second connection), released by DesktopApi.close. */
  disposers: (() => void)[];
}

/** Registers an AbortController under an opId for the duration of `run`. */
export async function withAbort<T>(
  ctx: ApiContext,
  opId: string,
  run: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  ctx.aborts.set(opId, controller);
  try {
    return await run(controller.signal);
  } finally {
    ctx.aborts.delete(opId);
  }
}
