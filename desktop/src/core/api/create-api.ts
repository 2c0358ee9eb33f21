import type { ApiHandlers } from '@creator-hub/shared/api/index';
import type { Workspace } from '../workspace';
import { chatHandlers } from './chat-handlers';
import type { ApiContext } from './context';
import { embedHandlers, fillPendingVectorsInBackground } from './embed-handlers';
import { evalHandlers } from './eval-handlers';
import { createEventBus, type EventBus } from './events';
import { knowledgeHandlers } from './knowledge-handlers';
import { personaHandlers } from './persona-handlers';
import { programHandlers } from './program-handlers';
import { publishHandlers } from './publish-handlers';
import { settingsHandlers } from './settings-handlers';

export interface DesktopApi {
  handlers: ApiHandlers;
  events: EventBus;
  /** Releases what the handlers opened; the workspace itself is closed by its owner. */
  close(): void;
}

export interface DesktopApiOptions {
  ws: Workspace;
  env?: NodeJS.ProcessEnv;
  version?: string;
  /** Fill pending vectors in the background every this many ms (the app does; tests opt in). */
  backgroundEmbeddingMs?: number;
}

/** The one API object over the core: every transport serves exactly these handlers. */
export function createDesktopApi(options: DesktopApiOptions): DesktopApi {
  const events = createEventBus();
  const ctx: ApiContext = {
    ws: options.ws,
    events,
    env: options.env ?? process.env,
    aborts: new Map(),
    version: options.version ?? '0.1.0',
    disposers: [],
  };
  const handlers: ApiHandlers = {
    ...settingsHandlers(ctx),
    ...knowledgeHandlers(ctx),
    ...chatHandlers(ctx),
    ...personaHandlers(ctx),
    ...programHandlers(ctx),
    ...evalHandlers(ctx),
    ...embedHandlers(ctx),
    // Only the Electron shell can open a browser; it replaces this handler (browser mode opens a tab).
    'app.openExternal': async () => ({ opened: false }),
    'chat.cancel': async ({ opId }) => {
      ctx.aborts.get(opId)?.abort();
      return { ok: true };
    },
    ...publishHandlers(ctx),
  };
  if (options.backgroundEmbeddingMs !== undefined) {
    fillPendingVectorsInBackground(ctx, options.backgroundEmbeddingMs);
  }
  const close = () => {
    for (const dispose of ctx.disposers.splice(0)) dispose();
  };
  return { handlers, events, close };
}
