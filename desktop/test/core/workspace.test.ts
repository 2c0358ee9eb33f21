import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { loadMigrations, migrate } from '../../src/core/db/migrate';
import { findKnowledgeBase, listKnowledgeBases } from '../../src/core/knowledge/bases';
import { defaultHome, openWorkspace, resolveHome } from '../../src/core/workspace';
import { tempDir } from '../helpers/tmp';

describe('workspace', () => {
  it('creates the database, the originals folder and a default knowledge base', () => {
    const home = tempDir();
    const ws = openWorkspace(home);
    expect(existsSync(join(home, 'creator-hub.db'))).toBe(true);
    expect(existsSync(ws.originalsDir)).toBe(true);
    expect(listKnowledgeBases(ws.db).map((kb) => kb.name)).toEqual(['Default']);
    expect(ws.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(ws.db.pragma('foreign_keys', { simple: true })).toBe(1);
    const vec = ws.db.prepare('SELECT vec_version() AS v').get() as { v: string };
    expect(vec.v).toMatch(/^v0\.1\./);
    ws.close();
  });

  it('reopens without re-running migrations or duplicating the default knowledge base', () => {
    const home = tempDir();
    openWorkspace(home).close();
    const ws = openWorkspace(home);
    expect(listKnowledgeBases(ws.db)).toHaveLength(1);
    expect(migrate(ws.db)).toBe(0);
    expect(findKnowledgeBase(ws.db).isDefault).toBe(true);
    ws.close();
  });

  it('refuses a database written by a newer schema', () => {
    const home = tempDir();
    const db = new Database(join(home, 'x.db'));
    migrate(db);
    db.prepare('INSERT INTO schema_migrations (version, name) VALUES (999, ?)').run(
      '999_future.sql',
    );
    expect(() => migrate(db)).toThrow(/newer Creator Hub/);
    db.close();
  });

  it('numbers migrations uniquely, in order, starting at 1', () => {
    const versions = loadMigrations().map((m) => m.version);
    expect(versions[0]).toBe(1);
    expect(versions).toEqual([...new Set(versions)].sort((a, b) => a - b));
  });

  it('resolves the home folder: flag, then env, then the OS app-data folder', () => {
    expect(resolveHome('/a', { CREATOR_HUB_HOME: '/b' })).toBe('/a');
    expect(resolveHome(undefined, { CREATOR_HUB_HOME: '/b' })).toBe('/b');
    expect(defaultHome({ XDG_DATA_HOME: '/x' }, 'linux')).toBe('/x/creator-hub');
    expect(defaultHome({ APPDATA: 'C:/Users/u/AppData/Roaming' }, 'win32')).toContain(
      'Creator Hub',
    );
  });
});
