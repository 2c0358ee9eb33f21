import type { ApiHandlers, ModelInfo } from '@creator-hub/shared/api/index';
import { Ollama } from 'ollama';
import type { ApiContext } from './context';
import { withAbort } from './context';
import { FEATURES } from './features';
import { isOnboarded, markOnboarded, readSettings, writeSettings } from './settings-store';

type SettingsHandlers = Pick<
  ApiHandlers,
  | 'app.info'
  | 'app.finishOnboarding'
  | 'settings.get'
  | 'settings.update'
  | 'models.list'
  | 'models.pull'
>;

const PROBE_TIMEOUT_MS = 1500;

/** Whether Ollama answers at `host`, within a short timeout. */
export async function probeOllama(host: string) {
  try {
    const res = await fetch(`${host}/api/version`, {
      signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
    });
    if (!res.ok)
      return { host, reachable: false, version: null, error: `Ollama answered ${res.status}` };
    const body = (await res.json()) as { version?: unknown };
    return { host, reachable: true, version: String(body.version ?? ''), error: null };
  } catch {
    return { host, reachable: false, version: null, error: `Ollama is not running at ${host}` };
  }
}

async function listModels(host: string): Promise<ModelInfo[]> {
  const client = new Ollama({ host });
  const { models } = await client.list();
  return Promise.all(
    models.map(async (m): Promise<ModelInfo> => {
      const show = await client.show({ model: m.name }).catch(() => null);
      const embedding = show?.capabilities?.includes('embedding') ?? /embed/.test(m.name);
      return { name: m.name, size: m.size, kind: embedding ? 'embedding' : 'chat' };
    }),
  );
}

export function settingsHandlers(ctx: ApiContext): SettingsHandlers {
  const { db } = ctx.ws;
  const host = () => readSettings(db, ctx.env).ollamaHost;
  return {
    'app.info': async () => ({
      version: ctx.version,
      home: ctx.ws.home,
      firstRun: !isOnboarded(db),
      ollama: await probeOllama(host()),
      features: { ...FEATURES },
    }),
    'app.finishOnboarding': async () => {
      markOnboarded(db);
      return { ok: true };
    },
    'settings.get': async () => readSettings(db, ctx.env),
    'settings.update': async (patch) => {
      writeSettings(db, patch);
      return readSettings(db, ctx.env);
    },
    'models.list': async () => {
      try {
        return { reachable: true, error: null, models: await listModels(host()) };
      } catch {
        return { reachable: false, error: `Ollama is not running at ${host()}`, models: [] };
      }
    },
    'models.pull': ({ opId, name }) =>
      withAbort(ctx, opId, async () => {
        const client = new Ollama({ host: host() });
        for await (const part of await client.pull({ model: name, stream: true })) {
          ctx.events.emit('models.pull', {
            opId,
            status: part.status,
            completed: part.completed,
            total: part.total,
          });
        }
        return { ok: true };
      }),
  };
}
