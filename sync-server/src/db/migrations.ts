import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

const DIR = fileURLToPath(new URL('./migrations', import.meta.url));
const FILE = /^(\d{3,})_([a-z0-9_]+)\.sql$/;

/** The numbered SQL files shipped with this build, in order. */
export function loadMigrations(dir: string = DIR): Migration[] {
  const migrations = readdirSync(dir)
    .map((file) => ({ file, match: FILE.exec(file) }))
    .filter((f) => f.match !== null)
    .map(({ file, match }) => {
      const sql = readFileSync(join(dir, file), 'utf8');
      return {
        version: Number(match?.[1]),
        name: match?.[2] ?? file,
        sql,
        checksum: createHash('sha256').update(sql).digest('hex'),
      };
    })
    .sort((a, b) => a.version - b.version);
  // Gaps are allowed so that parallel work can number apart (sync uses 100+); duplicates are not.
  migrations.forEach((m, i) => {
    if (i > 0 && m.version === migrations[i - 1]?.version)
      throw new Error(`migrations must have distinct numbers, found ${m.version} twice`);
  });
  return migrations;
}

/** grants.sql, then each module's `<name>.grants.sql` beside the migrations, in name order. */
export function loadGrantsSql(dir: string = DIR): string {
  const extra = readdirSync(dir)
    .filter((f) => f.endsWith('.grants.sql'))
    .sort()
    .map((f) => readFileSync(join(dir, f), 'utf8'));
  return [
    readFileSync(fileURLToPath(new URL('./grants.sql', import.meta.url)), 'utf8'),
    ...extra,
  ].join('\n');
}

export interface AppliedMigration {
  version: number;
  checksum: string;
}

export type SchemaStatus =
  | { current: true; version: number }
  | { current: false; version: number; expected: number; reason: string };

/** Compares what the database recorded with the files of this build. */
export function compareSchema(applied: AppliedMigration[], shipped: Migration[]): SchemaStatus {
  const expected = shipped.at(-1)?.version ?? 0;
  const version = applied.reduce((max, a) => Math.max(max, a.version), 0);
  const byVersion = new Map(shipped.map((m) => [m.version, m]));
  for (const a of applied) {
    const file = byVersion.get(a.version);
    if (!file) {
      return {
        current: false,
        version,
        expected,
        reason: `database has unknown migration ${a.version}`,
      };
    }
    if (file.checksum !== a.checksum) {
      return {
        current: false,
        version,
        expected,
        reason: `migration ${a.version} was edited after it ran`,
      };
    }
  }
  if (applied.length !== shipped.length) {
    return {
      current: false,
      version,
      expected,
      reason: 'database is behind: run the migrate step',
    };
  }
  return { current: true, version };
}
