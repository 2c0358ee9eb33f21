/**
 * Persona versions from before migration 006 were keyed by a local integer. Such rows still sit on
 * servers (pushed by older desktops) and reach new workspaces when they pull; they are converted
 * here exactly as 006_persona_ids.sql converts a workspace's own rows, so the same old version is
 * the same row everywhere and a copy arriving twice is taken once.
 */

/** A persona version row as it is stored and synced now. */
export interface PersonaRow {
  id: string;
  hlc: string;
  data: string;
  note: string;
  created_at: string;
}

const CREATED_AT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.(\d{3})Z$/;

/** Milliseconds of SQLite's `strftime('%Y-%m-%dT%H:%M:%fZ')`, the only form old rows were written in. */
function createdMs(createdAt: string): number | undefined {
  const m = CREATED_AT.exec(createdAt);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s, ms] = m.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const t = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  return Number.isFinite(t) ? t : undefined;
}

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

/** The id 006 gives an old version: UUIDv7-shaped from its time, its length and its old number. */
export function legacyPersonaId(version: number, data: string, createdAt: string): string {
  const ms = createdMs(createdAt) ?? 0;
  // SQLite's length() counts characters (code points), not UTF-16 units.
  const length = [...data].length % 4096;
  return `${hex(Math.floor(ms / 65536), 8)}-${hex(ms % 65536, 4)}-7${hex(length, 3)}-8000-${hex(version, 12)}`;
}

export function legacyPersonaHlc(version: number, createdAt: string): string {
  const ms = createdMs(createdAt) ?? 0;
  return `${String(ms).padStart(15, '0')}-${String(version % 1_000_000).padStart(6, '0')}`;
}

/**
 * The new form of an old-format row (an integer `version`, no `id`), or undefined when the row is
 * not one: a well-formed old row only, since its id must come out as 006 makes it.
 */
export function upgradeLegacyPersonaRow(row: Record<string, unknown>): PersonaRow | undefined {
  const { version, data, note, created_at: createdAt } = row;
  if ('id' in row || typeof version !== 'number' || !Number.isSafeInteger(version) || version < 0)
    return undefined;
  if (typeof data !== 'string' || typeof createdAt !== 'string') return undefined;
  if (note !== undefined && note !== null && typeof note !== 'string') return undefined;
  if (createdMs(createdAt) === undefined) return undefined;
  return {
    id: legacyPersonaId(version, data, createdAt),
    hlc: legacyPersonaHlc(version, createdAt),
    data,
    note: note ?? '',
    created_at: createdAt,
  };
}
