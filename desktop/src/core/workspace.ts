import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Db, openDatabase } from './db/open';
import { ensureDefaultKnowledgeBase } from './knowledge/bases';
import { installSync } from './sync/install';

export const DATABASE_FILE = 'creator-hub.db';
export const ORIGINALS_DIR = 'originals';

export interface Workspace {
  readonly home: string;
  readonly db: Db;
  /** Folder holding the stored originals, each under a generated file name. */
  readonly originalsDir: string;
  close(): void;
}

/** The OS app-data folder: where a user expects an app to keep its data. */
export function defaultHome(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  if (platform === 'win32')
    return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Creator Hub');
  if (platform === 'darwin')
    return join(homedir(), 'Library', 'Application Support', 'Creator Hub');
  return join(env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'creator-hub');
}

/** `--home` wins over `CREATOR_HUB_HOME`, which wins over the OS default. */
export function resolveHome(
  flag: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): string {
  return resolve(flag ?? env.CREATOR_HUB_HOME ?? defaultHome(env));
}

export function openWorkspace(home: string): Workspace {
  const originalsDir = join(home, ORIGINALS_DIR);
  mkdirSync(originalsDir, { recursive: true });
  const db = openDatabase(join(home, DATABASE_FILE));
  ensureDefaultKnowledgeBase(db);
  // A migration that rebuilt a synced table dropped its triggers: put them back before any local
  // change (a delete made before the next sync would otherwise never be sent).
  if (db.prepare("SELECT 1 FROM sync_state WHERE key LIKE 'covered:%' LIMIT 1").get()) {
    installSync(db);
  }
  return { home, db, originalsDir, close: () => db.close() };
}
