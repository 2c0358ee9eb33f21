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
  content({ name: 'program_versions', mode: 'lww', key: ['id'] }),
  content({ name: 'persona_versions', mode: 'insert_only', key: ['version'] }),
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

/** Wire key of an editable row: the key value, or a JSON array when the key has several columns. */
export function lwwKey(table: SyncTable, row: Record<string, unknown>): string {
  const values = table.key.map((k) => row[k] ?? null);
  return values.length === 1 ? String(values[0]) : JSON.stringify(values);
}
