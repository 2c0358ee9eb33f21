import { z } from 'zod';
import { formatHlc, HLC_PATTERN } from './hlc';

/**
 * The tables that sync, named once for both sides. One writer per table: `content` tables are
 * written by desktops, `activity` tables by the server. Editable rows merge last-writer-wins by
 * (HLC, device) and keep the loser as a conflict; insert-only rows are keyed by a hash of their
 * content, so the same row sent twice is the same row.
 */
export type Stream = 'content' | 'activity';
export const STREAMS: readonly Stream[] = ['content', 'activity'];

export interface SyncTable {
  readonly name: string;
  readonly stream: Stream;
  readonly writer: 'desktop' | 'server';
  readonly mode: 'lww' | 'insert_only';
  /**
   * lww: the primary-key columns (the wire key is their value, or a JSON array of them).
   * insert_only: the columns that find the row in a local table (the wire key is the content hash).
   */
  readonly key: readonly string[];
  /** Columns that only mean something on one device (local integer ids): never sent. */
  readonly local?: readonly string[];
  /** Rows carry an embedding with the model fingerprint. */
  readonly embedded?: boolean;
}

const content = (t: Omit<SyncTable, 'stream' | 'writer'>): SyncTable => ({
  ...t,
  stream: 'content',
  writer: 'desktop',
});
const activity = (name: string): SyncTable => ({
  name,
  stream: 'activity',
  writer: 'server',
  mode: 'lww',
  key: ['id'],
});

export const SYNC_TABLES: readonly SyncTable[] = [
  content({ name: 'knowledge_bases', mode: 'lww', key: ['id'] }),
  content({ name: 'documents', mode: 'lww', key: ['id'] }),
  content({
    name: 'chunks',
    mode: 'insert_only',
    key: ['document_id', 'ordinal'],
    local: ['id'],
    embedded: true,
  }),
  content({ name: 'programs', mode: 'lww', key: ['id'] }),
  content({ name: 'program_modules', mode: 'lww', key: ['id'] }),
  content({ name: 'program_steps', mode: 'lww', key: ['id'] }),
  // Immutable snapshots keyed by a UUIDv7 made on the saving device (their key since 003; the
  // per-program number they also carried collided between desktops until migration 007).
  content({ name: 'program_versions', mode: 'lww', key: ['id'] }),
  // Versions are immutable and keyed by a UUIDv7 made on the saving device; the pointer to the
  // version in use is one editable row, so concurrent activations merge like any other edit.
  content({ name: 'persona_versions', mode: 'insert_only', key: ['id'] }),
  content({ name: 'persona_active', mode: 'lww', key: ['id'] }),
  content({ name: 'eval_cases', mode: 'lww', key: ['id'], local: ['source_chunk_id'] }),
  content({ name: 'eval_runs', mode: 'lww', key: ['id'] }),
  content({ name: 'eval_results', mode: 'lww', key: ['run_id', 'case_id'] }),
  // Written by the server for later issues; the stream, pull and desktop mirror exist now.
  activity('learners'),
  activity('learner_progress'),
  activity('learner_conversations'),
  activity('analytics_rollups'),
];

/** Conflict records travel in the content stream under this reserved name; nobody pushes it. */
export const CONFLICTS_TABLE = 'sync_conflicts';

const BY_NAME = new Map(SYNC_TABLES.map((t) => [t.name, t]));

export function syncTable(name: string): SyncTable | undefined {
  return BY_NAME.get(name);
}

/** A UUIDv7 in its canonical lower-case form. */
export const UUID_V7_PATTERN =
  /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** `strftime('%Y-%m-%dT%H:%M:%fZ')`, the form desktops write creation times in. */
export const CREATED_AT_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * Milliseconds of a creation time in that form, read as SQLite's strftime('%s') reads it in the
 * migrations that convert old rows (31 February is 2 March; a 13th month is no time), so a row
 * converted on arrival gets the id and clock its own desktop's migration gives it. Undefined for
 * no time or one before 1970, which no desktop wrote.
 */
export function createdAtMs(createdAt: string): number | undefined {
  if (!CREATED_AT_PATTERN.test(createdAt)) return undefined;
  const ms = Date.parse(createdAt);
  return Number.isFinite(ms) && ms >= 0 ? ms : undefined;
}

/** The clock migrations 006 and 007 give an old row: its creation time, its old number as the counter. */
export const legacyHlc = (version: number, createdAt: string): string =>
  formatHlc({ ms: createdAtMs(createdAt) ?? 0, counter: version % 1_000_000 });

/** The exact creation time of an old-format row, from which its new id or clock is derived. */
const legacyCreatedAt = z
  .string()
  .regex(CREATED_AT_PATTERN)
  .refine((t) => createdAtMs(t) !== undefined, 'not a time');

const programVersion = z.object({
  id: z.string().regex(UUID_V7_PATTERN),
  program_id: z.string().min(1).max(64),
  kind: z.enum(['save', 'publish', 'rollback']),
  note: z.string().max(2000),
  // The program's export document as JSON text (parsed again by the desktop that applies it).
  snapshot: z.string().min(2).max(200_000), // SYNC_LIMITS.valueChars (protocol imports this file)
  created_at: z.string().max(40),
});
const currentProgramVersion = programVersion.extend({ hlc: z.string().regex(HLC_PATTERN) });
/**
 * A program version as desktops from before migration 007 push it: a per-program number instead of
 * a clock. Still taken (its key was always the id), and converted by the desktop that applies it,
 * which derives the clock from the creation time and the number, so the time must be exact.
 */
const legacyProgramVersion = programVersion.extend({
  version: z.number().int().min(1).max(999_999),
  created_at: legacyCreatedAt,
});

const personaVersion = z.object({
  id: z.string().regex(UUID_V7_PATTERN),
  hlc: z.string().regex(HLC_PATTERN),
  // The persona as JSON text: its fields are bounded well below this (desktop persona schema).
  data: z.string().min(2).max(64_000),
  note: z.string().max(200),
  created_at: z.string().max(40),
});
/**
 * A persona version as desktops from before migration 006 push it: keyed by a local number, with
 * no id or clock. Still taken, like old program versions, and converted by the desktop that applies
 * it (core/persona/legacy.ts) exactly as 006 converts that desktop's own rows.
 */
const legacyPersonaVersion = personaVersion.omit({ id: true, hlc: true }).extend({
  version: z.number().int().min(0).max(999_999),
  created_at: legacyCreatedAt,
});

/**
 * Shapes of rows whose columns other rows and devices rely on. Extra columns are allowed (a newer
 * desktop may add some); what is named here must hold. Checked by the server before a push is
 * taken and by desktops before a pulled row is applied.
 */
type Shape = z.ZodType | ((data: Record<string, unknown>) => z.ZodType);
const ROW_SHAPES: Readonly<Record<string, Shape>> = {
  // A row lacking what only the new form has (persona: an id; program: a clock) is judged as the
  // old form, so a bad row gets the reason that applies.
  persona_versions: (data) => ('id' in data ? personaVersion : legacyPersonaVersion),
  persona_active: z.object({
    id: z.literal('active'),
    version_id: z.string().regex(UUID_V7_PATTERN),
  }),
  program_versions: (data) => ('hlc' in data ? currentProgramVersion : legacyProgramVersion),
};

/** Why a row cannot be an upsert of its table, in one sentence; undefined when it can. */
export function rowProblem(table: string, data: Record<string, unknown>): string | undefined {
  const entry = ROW_SHAPES[table];
  if (!entry) return undefined;
  const shape = typeof entry === 'function' ? entry(data) : entry;
  const result = shape.safeParse(data);
  if (result.success) return undefined;
  const issue = result.error.issues[0];
  return `"${table}" row: ${issue?.path.join('.') || 'row'}: ${issue?.message ?? 'invalid'}`;
}

/** Wire key of an editable row: the key value, or a JSON array when the key has several columns. */
export function lwwKey(table: SyncTable, row: Record<string, unknown>): string {
  const values = table.key.map((k) => row[k] ?? null);
  return values.length === 1 ? String(values[0]) : JSON.stringify(values);
}
