/**
 * Persona versions from before migration 006 were keyed by a local integer. Such rows still sit on
 * servers (pushed by older desktops) and reach new workspaces when they pull; they are converted
 * here exactly as 006_persona_ids.sql converts a workspace's own rows, so the same old version is
 * the same row everywhere and a copy arriving twice is taken once.
 */

import { createdAtMs, legacyHlc } from '@creator-hub/shared/sync/index';

/** A persona version row as it is stored and synced now. */
export interface PersonaRow {
  id: string;
  hlc: string;
  data: string;
  note: string;
  created_at: string;
}

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

/** The id 006 gives an old version: UUIDv7-shaped from its time, its length and its old number. */
export function legacyPersonaId(version: number, data: string, createdAt: string): string {
  const ms = createdAtMs(createdAt) ?? 0;
  // SQLite's length() counts characters (code points), not UTF-16 units.
  const length = [...data].length % 4096;
  return `${hex(Math.floor(ms / 65536), 8)}-${hex(ms % 65536, 4)}-7${hex(length, 3)}-8000-${hex(version, 12)}`;
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
  if (createdAtMs(createdAt) === undefined) return undefined;
  return {
    id: legacyPersonaId(version, data, createdAt),
    hlc: legacyHlc(version, createdAt),
    data,
    note: note ?? '',
    created_at: createdAt,
  };
}
