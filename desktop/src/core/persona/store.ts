import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../db/open';
import { type Persona, PersonaError, parsePersona } from './schema';

export const DEFAULT_PERSONA_FILE = join(
  import.meta.dirname,
  '../../../../resources/personas/default.json',
);

export interface PersonaVersion {
  /** 0 is the built-in default, before the creator saved anything. */
  version: number;
  persona: Persona;
  note: string;
  createdAt: string;
}

interface VersionRow {
  version: number;
  data: string;
  note: string;
  created_at: string;
}

let cachedDefault: Persona | undefined;

export function defaultPersona(file = DEFAULT_PERSONA_FILE): Persona {
  if (file !== DEFAULT_PERSONA_FILE) return parsePersona(JSON.parse(readFileSync(file, 'utf8')));
  cachedDefault ??= parsePersona(JSON.parse(readFileSync(file, 'utf8')));
  return structuredClone(cachedDefault);
}

const builtIn = (): PersonaVersion => ({
  version: 0,
  persona: defaultPersona(),
  note: 'default',
  createdAt: '',
});

const toVersion = (row: VersionRow): PersonaVersion => ({
  version: row.version,
  // Stored rows were validated on the way in; parsing again guards against hand-edited databases.
  persona: parsePersona(JSON.parse(row.data)),
  note: row.note,
  createdAt: row.created_at,
});

/** The persona applied to answers now: the newest saved version, or the default. */
export function currentPersona(db: Db): PersonaVersion {
  const row = db.prepare('SELECT * FROM persona_versions ORDER BY version DESC LIMIT 1').get() as
    | VersionRow
    | undefined;
  return row ? toVersion(row) : builtIn();
}

export type PersonaPatch = Partial<Omit<Persona, 'rules'>> & {
  rules?: Partial<Persona['rules']>;
};

function save(db: Db, persona: Persona, note: string): PersonaVersion {
  const info = db
    .prepare('INSERT INTO persona_versions (data, note) VALUES (?, ?)')
    .run(JSON.stringify(persona), note.slice(0, 200));
  return getPersonaVersion(db, Number(info.lastInsertRowid));
}

/** Saves a new version with the given fields changed; the others are kept. */
export function updatePersona(db: Db, patch: PersonaPatch, note = ''): PersonaVersion {
  return db.transaction(() => {
    const { persona } = currentPersona(db);
    const next = parsePersona({
      ...persona,
      ...patch,
      rules: { ...persona.rules, ...patch.rules },
    });
    return save(db, next, note);
  })();
}

export function getPersonaVersion(db: Db, version: number): PersonaVersion {
  if (version === 0) return builtIn();
  const row = db.prepare('SELECT * FROM persona_versions WHERE version = ?').get(version) as
    | VersionRow
    | undefined;
  if (!row) throw new PersonaError('version_not_found', `there is no persona version ${version}`);
  return toVersion(row);
}

/** Every saved version, newest first. */
export function personaHistory(db: Db): PersonaVersion[] {
  const rows = db
    .prepare('SELECT * FROM persona_versions ORDER BY version DESC')
    .all() as VersionRow[];
  return rows.map(toVersion);
}

/**
 * Makes an older version current again by saving a copy of it as the newest version: history only
 * grows, so a rollback can itself be rolled back.
 */
export function rollbackPersona(db: Db, version: number): PersonaVersion {
  return db.transaction(() => {
    const target = getPersonaVersion(db, version);
    return save(db, target.persona, `rollback to version ${version}`);
  })();
}
