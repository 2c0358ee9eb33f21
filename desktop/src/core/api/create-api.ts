import { ApiError, type ApiHandlers } from '@creator-hub/shared/api/index';
import type { Workspace } from '../workspace';
import type { ApiContext } from './context';
import { createEventBus, type EventBus } from './events';
import { knowledgeHandlers } from './knowledge-handlers';
import { settingsHandlers } from './settings-handlers';

export interface DesktopApi {
  handlers: ApiHandlers;
  events: EventBus;
}

export interface DesktopApiOptions {
  ws: Workspace;
  env?: NodeJS.ProcessEnv;
  version?: string;
}

const missing = (feature: string) => async (): Promise<never> => {
  throw new ApiError('unavailable', `${feature} is not part of this build yet.`);
};

/** The one API object over the core: every transport serves exactly these handlers. */
export function createDesktopApi(options: DesktopApiOptions): DesktopApi {
  const events = createEventBus();
  const ctx: ApiContext = {
    ws: options.ws,
    events,
    env: options.env ?? process.env,
    aborts: new Map(),
    version: options.version ?? '0.1.0',
  };
  const handlers: ApiHandlers = {
    ...settingsHandlers(ctx),
    ...knowledgeHandlers(ctx),
    'embed.run': missing('Re-embedding'),
    // Only the Electron shell can open a browser; it replaces this handler (browser mode opens a tab).
    'app.openExternal': async () => ({ opened: false }),
    'chat.ask': missing('Chat'),
    'chat.cancel': async ({ opId }) => {
      ctx.aborts.get(opId)?.abort();
      return { ok: true };
    },
    'chat.conversations': missing('Chat'),
    'chat.messages': missing('Chat'),
    'persona.get': missing('The persona'),
    'persona.save': missing('The persona'),
    'persona.history': missing('The persona'),
    'persona.rollback': missing('The persona'),
    'persona.preview': missing('The persona'),
    'programs.list': missing('Programs'),
    'programs.get': missing('Programs'),
    'programs.create': missing('Programs'),
    'programs.update': missing('Programs'),
    'programs.remove': missing('Programs'),
    'programs.addModule': missing('Programs'),
    'programs.updateModule': missing('Programs'),
    'programs.removeModule': missing('Programs'),
    'programs.addStep': missing('Programs'),
    'programs.updateStep': missing('Programs'),
    'programs.moveStep': missing('Programs'),
    'programs.removeStep': missing('Programs'),
    'programs.undo': missing('Programs'),
    'programs.draft': missing('Programs'),
    'programs.simulate': missing('Programs'),
    'evals.list': missing('Evaluation'),
    'evals.add': missing('Evaluation'),
    'evals.update': missing('Evaluation'),
    'evals.accept': missing('Evaluation'),
    'evals.remove': missing('Evaluation'),
    'evals.generate': missing('Evaluation'),
    'evals.run': missing('Evaluation'),
    'evals.runs': missing('Evaluation'),
    'evals.getRun': missing('Evaluation'),
    'publish.status': async () => ({
      serverUrl: null,
      account: null,
      loggedIn: false,
      pending: 0,
      lastSyncAt: null,
      conflicts: 0,
      unavailable: 'Publishing needs the sync client, which is not part of this build yet.',
    }),
    'publish.login': missing('Publishing'),
    'publish.logout': missing('Publishing'),
    'publish.publish': missing('Publishing'),
    'publish.sync': missing('Publishing'),
    'publish.releases': async () => [],
    'publish.rollback': missing('Publishing'),
    'publish.conflicts': async () => [],
    'publish.resolveConflict': missing('Publishing'),
  };
  return { handlers, events };
}
