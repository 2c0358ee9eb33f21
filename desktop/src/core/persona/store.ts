import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../db/open';
import { newId } from '../ids';
import { withClock } from '../sync/state';
import type { PersonaRow } from './legacy';
import { type Persona, PersonaError, parsePersona } from './schema';

export const DEFAULT_PERSONA_FILE = join(
  import.meta.dirname,
  '../../../../resources/personas/default.json',
);

/**
 * Versions are keyed by a UUIDv7 made on the device that saved them, so two desktops never take the
 * same key. The number shown to the creator is the version's place in (hlc, id) order, oldest = 1:
 * the same on every device once they have synced. A version saved concurrently on another device
 * can slot in before a local one and shift its number; the id never changes.
 */
export interface PersonaVersion {
  /** null for the built-in default. */
  id: string | null;
  /** 0 is the built-in default, before the creator saved anything. */
  version: number;
  persona: Persona;
  note: string;
  createdAt: string;
}

let cachedDefault: Persona | undefined;

export function defaultPersona(file = DEFAULT_PERSONA_FILE): Persona {
  if (file !== DEFAULT_PERSONA_FILE) return parsePersona(JSON.parse(readFileSync(file, 'utf8')));
  cachedDefault ??= parsePersona(JSON.parse(readFileSync(file, 'utf8')));
  return structuredClone(cachedDefault);
}

const builtIn = (): PersonaVersion => ({
  id: null,
  version: 0,
  persona: defaultPersona(),
  note: 'default',
  createdAt: '',
});

const toVersion = (row: PersonaRow, version: number): PersonaVersion => ({
  id: row.id,
  version,
  // Stored rows were validated on the way in; parsing again guards against hand-edited databases.
  persona: parsePersona(JSON.parse(row.data)),
  note: row.note,
  createdAt: row.created_at,
});

/** The display number of a stored version: how many versions sort at or before it. */
function numberOf(db: Db, row: PersonaRow): number {
  const { n } = db
    .prepare('SELECT count(*) AS n FROM persona_versions WHERE (hlc, id) <= (?, ?)')
    .get(row.hlc, row.id) as { n: number };
  return n;
}

const rowById = (db: Db, id: string) =>
  db.prepare('SELECT * FROM persona_versions WHERE id = ?').get(id) as PersonaRow | undefined;

/**
 * The persona applied to answers now: the version the active pointer names, else (no pointer yet,
 * or its version has not arrived) the newest saved version, else the default.
 */
export function currentPersona(db: Db): PersonaVersion {
  const active = db
    .prepare(
      `SELECT v.* FROM persona_active a JOIN persona_versions v ON v.id = a.version_id
       WHERE a.id = 'active'`,
    )
    .get() as PersonaRow | undefined;
  const row =
    active ??
    (db.prepare('SELECT * FROM persona_versions ORDER BY hlc DESC, id DESC LIMIT 1').get() as
      | PersonaRow
      | undefined);
  return row ? toVersion(row, numberOf(db, row)) : builtIn();
}

/** The current persona when the creator has saved one; undefined while the default is in use. */
export function savedPersona(db: Db): PersonaVersion | undefined {
  const current = currentPersona(db);
  return current.id === null ? undefined : current;
}

export type PersonaPatch = Partial<Omit<Persona, 'rules'>> & {
  rules?: Partial<Persona['rules']>;
};

function save(db: Db, persona: Persona, note: string, now: () => number): PersonaVersion {
  const id = newId();
  const hlc = withClock(db, now, (clock) => clock.tick());
  db.prepare('INSERT INTO persona_versions (id, hlc, data, note) VALUES (?, ?, ?, ?)').run(
    id,
    hlc,
    JSON.stringify(persona),
    note.slice(0, 200),
  );
  activate(db, id);
  return getPersonaVersion(db, id);
}

/** Points the workspace at a stored version (an editable row: it syncs last-writer-wins). */
function activate(db: Db, id: string): void {
  db.prepare(
    `INSERT INTO persona_active (id, version_id) VALUES ('active', ?)
     ON CONFLICT (id) DO UPDATE SET version_id = excluded.version_id`,
  ).run(id);
}

/** Saves a new version with the given fields changed; the others are kept. It becomes current. */
export function updatePersona(
  db: Db,
  patch: PersonaPatch,
  note = '',
  now: () => number = Date.now,
): PersonaVersion {
  return db.transaction(() => {
    const { persona } = currentPersona(db);
    const next = parsePersona({
      ...persona,
      ...patch,
      rules: { ...persona.rules, ...patch.rules },
    });
    return save(db, next, note, now);
  })();
}

/** A version by its number from the history (0 = the default) or by its id. */
export function getPersonaVersion(db: Db, version: number | string): PersonaVersion {
  if (version === 0) return builtIn();
  const row =
    typeof version === 'string'
      ? rowById(db, version)
      : Number.isSafeInteger(version) && version > 0
        ? (db
            .prepare('SELECT * FROM persona_versions ORDER BY hlc, id LIMIT 1 OFFSET ?')
            .get(version - 1) as PersonaRow | undefined)
        : undefined;
  if (!row) throw new PersonaError('version_not_found', `there is no persona version ${version}`);
  return toVersion(row, typeof version === 'number' ? version : numberOf(db, row));
}

/** Every saved version, newest first. */
export function personaHistory(db: Db): PersonaVersion[] {
  const rows = db.prepare('SELECT * FROM persona_versions ORDER BY hlc, id').all() as PersonaRow[];
  return rows.map((row, i) => toVersion(row, i + 1)).reverse();
}

/**
 * Makes an older version (by number or id) current again by saving a copy of it as the newest
 * version: history only grows, so a rollback can itself be rolled back.
 */
export function rollbackPersona(
  db: Db,
  version: number | string,
  now: () => number = Date.now,
): PersonaVersion {
  return db.transaction(() => {
    const target = getPersonaVersion(db, version);
    return save(db, target.persona, `rollback to version ${target.version}`, now);
  })();
}
