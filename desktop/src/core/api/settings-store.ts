import { type Settings, settingsSchema } from '@creator-hub/shared/api/index';
import { DEFAULT_CHAT_MODEL, normaliseHost } from '../chat/config';
import type { Db } from '../db/open';
import { DEFAULT_OLLAMA_EMBED_MODEL } from '../embed/ollama';

// App settings live in the workspace's key/value table under one prefix, so they travel with it.
const PREFIX = 'app.';
const ONBOARDED = 'app.onboarded';

export function readSettings(db: Db, env: NodeJS.ProcessEnv): Settings {
  const rows = db.prepare("SELECT key, value FROM settings WHERE key LIKE 'app.%'").all() as {
    key: string;
    value: string;
  }[];
  const stored = Object.fromEntries(rows.map((r) => [r.key.slice(PREFIX.length), r.value]));
  const defaults: Settings = {
    ollamaHost: normaliseHost(env.OLLAMA_HOST ?? 'http://127.0.0.1:11434'),
    chatModel: env.CREATOR_HUB_CHAT_MODEL?.trim() || DEFAULT_CHAT_MODEL,
    embedModel: env.CREATOR_HUB_EMBED_MODEL?.trim() || DEFAULT_OLLAMA_EMBED_MODEL,
    theme: 'system',
  };
  const merged = settingsSchema.safeParse({ ...defaults, ...stored });
  return merged.success ? merged.data : defaults;
}

export function writeSettings(db: Db, patch: Partial<Settings>): void {
  const put = db.prepare(
    'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  );
  db.transaction(() => {
    for (const [key, value] of Object.entries(patch)) {
      if (value !== undefined) put.run(`${PREFIX}${key}`, String(value));
    }
  })();
}

/** The core reads its configuration from env variables; settings chosen in the UI override them. */
export function coreEnv(db: Db, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const s = readSettings(db, env);
  return {
    ...env,
    OLLAMA_HOST: s.ollamaHost,
    CREATOR_HUB_CHAT_MODEL: s.chatModel,
    CREATOR_HUB_EMBED_MODEL: s.embedModel,
  };
}

export function isOnboarded(db: Db): boolean {
  return db.prepare('SELECT 1 FROM settings WHERE key = ?').get(ONBOARDED) !== undefined;
}

export function markOnboarded(db: Db): void {
  db.prepare('INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)').run(ONBOARDED, '1');
}
