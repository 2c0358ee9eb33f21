import type { Db } from '../db/open';
import { dropSpace, listSpaces } from '../embed/spaces';
import { numberedName } from '../knowledge/bases';
import { upsertEditable } from './apply-row';
import { deviceId } from './state';
import type { LocalTable } from './tables';

/** Synced tables whose rows belong to a knowledge base (their `kb_id`). */
const SYNCED_CHILDREN = ['documents', 'eval_cases', 'eval_runs'] as const;
/** Device-local tables that hang off a knowledge base too. */
const LOCAL_CHILDREN = ['embedding_spaces', 'conversations'] as const;

const has = (db: Db, table: string) =>
  db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) !==
  undefined;

const isDefaultRow = (data: Record<string, unknown>) =>
  data.is_default === 1 || data.is_default === true;

/** `sync_state` key prefixes of rows merged into another: `kb_alias:<id>` → the id kept. */
type Merged = 'kb_alias:' | 'document_alias:';

function aliasOf(db: Db, kind: Merged, id: string): string {
  const get = db.prepare('SELECT value FROM sync_state WHERE key = ?');
  let current = id;
  // Merges only ever go to a smaller id, so a chain ends; the bound guards a damaged table.
  for (let hops = 0; hops < 64; hops += 1) {
    const next = get.get(`${kind}${current}`) as { value: string } | undefined;
    if (!next || next.value === current) return current;
    current = next.value;
  }
  return current;
}

function setAlias(db: Db, kind: Merged, from: string, to: string): void {
  db.prepare(
    'INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  ).run(`${kind}${from}`, to);
}

/** Where rows naming knowledge base `id` now live: itself, or the default it was merged into. */
export const knowledgeBaseAlias = (db: Db, id: string): string => aliasOf(db, 'kb_alias:', id);

/** Text that is not JSON (a row this workspace will refuse anyway) is left as it came. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * A remote row as it lands here: its knowledge base (`kb_id`) and the documents an eval case
 * expects (`expected_documents`, a JSON array of ids) point at the rows they were merged into.
 */
export function withMergedIds(db: Db, data: Record<string, unknown>): Record<string, unknown> {
  const out = { ...data };
  if (typeof data.kb_id === 'string') out.kb_id = knowledgeBaseAlias(db, data.kb_id);
  if (typeof data.expected_documents === 'string') {
    const ids = parseJson(data.expected_documents);
    if (Array.isArray(ids)) {
      const kept = ids.map((id) =>
        typeof id === 'string' ? aliasOf(db, 'document_alias:', id) : id,
      );
      if (kept.some((id, i) => id !== ids[i])) out.expected_documents = JSON.stringify(kept);
    }
  }
  return out;
}

/** A document merged into its twin here: its chunks are the twin's, nothing to store. */
export const isMergedDocument = (db: Db, id: unknown): boolean =>
  typeof id === 'string' && aliasOf(db, 'document_alias:', id) !== id;

/**
 * Whether this device is the one to tell the others about a change to a local row: it wrote the
 * row's current version (or the row never came from elsewhere). Other devices make the same change
 * locally, so exactly one device sends it and no concurrent-edit conflict appears.
 */
function ownsRow(db: Db, table: string, key: string): boolean {
  const v = db
    .prepare('SELECT device FROM sync_versions WHERE table_name = ? AND row_key = ?')
    .get(table, key) as { device: string } | undefined;
  return !v || v.device === deviceId(db);
}

/** Runs `fn` with the outbox triggers on (`send`) or off, then sets them back as they were. */
function recorded(db: Db, send: boolean, fn: () => void): void {
  const { active } = db.prepare('SELECT active FROM sync_apply_guard WHERE id = 1').get() as {
    active: number;
  };
  const guard = db.prepare('UPDATE sync_apply_guard SET active = ? WHERE id = 1');
  guard.run(send ? 0 : 1);
  try {
    fn();
  } finally {
    guard.run(active);
  }
}

/**
 * The local default gives way to a remote one with a smaller id: the remote row is put in place,
 * everything under the local default moves to it, and the local default is deleted. When this
 * device owns the local default, the moves and the delete are sent like any local edit, so the
 * server and devices that join later hold one default too; otherwise its owner sends them.
 */
function mergeLocalDefaultInto(
  db: Db,
  t: LocalTable,
  local: string,
  data: Record<string, unknown>,
) {
  const remote = String(data.id);
  // Out of the way of the one-default index and the unique name, without recording anything.
  db.prepare('UPDATE knowledge_bases SET is_default = 0, name = id WHERE id = ?').run(local);
  upsertEditable(db, t, keepNamesDistinct(db, data));
  for (const table of LOCAL_CHILDREN) {
    // A space the remote default already has (same model) stays behind: see keepVectors.
    if (has(db, table))
      db.prepare(`UPDATE OR IGNORE ${table} SET kb_id = ? WHERE kb_id = ?`).run(remote, local);
  }
  if (has(db, 'embedding_spaces')) keepVectors(db, local, remote);
  recorded(db, ownsRow(db, 'knowledge_bases', local), () => {
    for (const table of SYNCED_CHILDREN) {
      if (has(db, table))
        db.prepare(`UPDATE ${table} SET kb_id = ? WHERE kb_id = ?`).run(remote, local);
    }
    db.prepare('DELETE FROM knowledge_bases WHERE id = ?').run(local);
  });
  setAlias(db, 'kb_alias:', local, remote);
}

/**
 * The spaces left under the local default are those the remote default has already, with the same
 * model: their vectors join that space (a chunk it has keeps its own) and they are dropped, prefilter
 * table and triggers included, rather than left to the knowledge base's cascade. Whatever neither
 * space had is pending there, so the embedder fills it.
 */
function keepVectors(db: Db, local: string, remote: string): void {
  const into = listSpaces(db, remote);
  for (const space of listSpaces(db, local)) {
    const same = into.find(
      (s) => s.provider === space.provider && s.model === space.model && s.dims === space.dims,
    );
    if (same)
      db.prepare(
        `INSERT OR IGNORE INTO chunk_vectors (space_id, chunk_id, vector)
         SELECT ?, chunk_id, vector FROM chunk_vectors WHERE space_id = ?`,
      ).run(same.id, space.id);
    dropSpace(db, space);
  }
}

/**
 * Every workspace starts with its own Default knowledge base, so two desktops of one tenant bring
 * two. All devices keep the one with the smaller id and merge the other into it: a remote default
 * with a larger id is not stored, its rows are taken under the local default (an alias); a remote
 * default with a smaller id replaces the local one, which hands over its documents and evaluations.
 * Returns whether the remote row still has to be stored.
 */
function mergeDefaults(db: Db, t: LocalTable, data: Record<string, unknown>): boolean {
  if (!isDefaultRow(data)) return true;
  const remote = String(data.id);
  const local = db.prepare('SELECT id FROM knowledge_bases WHERE is_default = 1').get() as
    | { id: string }
    | undefined;
  if (!local || local.id === remote) return true;
  if (remote > local.id) {
    setAlias(db, 'kb_alias:', remote, local.id);
    return false;
  }
  mergeLocalDefaultInto(db, t, local.id, data);
  return false;
}

/**
 * Two knowledge bases with one name (made on two desktops before they synced) are both kept: the
 * one with the larger id takes a free name, "Recipes (2)". Every device picks the same one; the
 * device that owns it sends the new name, the others only show it.
 */
function keepNamesDistinct(db: Db, data: Record<string, unknown>): Record<string, unknown> {
  if (typeof data.name !== 'string') return data;
  const id = String(data.id);
  const other = db
    .prepare('SELECT id, name FROM knowledge_bases WHERE name = ? AND id <> ?')
    .get(data.name, id) as { id: string; name: string } | undefined;
  if (!other) return data;
  if (id > other.id) return { ...data, name: numberedName(db, data.name, id) };
  const renamed = numberedName(db, other.name, other.id);
  recorded(db, ownsRow(db, 'knowledge_bases', other.id), () => {
    db.prepare('UPDATE knowledge_bases SET name = ? WHERE id = ?').run(renamed, other.id);
  });
  return data;
}

/** Stores a remote knowledge base row: defaults merge, equal names are told apart. */
export function applyRemoteKnowledgeBase(
  db: Db,
  t: LocalTable,
  data: Record<string, unknown>,
): void {
  if (!mergeDefaults(db, t, data)) return;
  upsertEditable(db, t, keepNamesDistinct(db, data));
}

/**
 * The same file imported into one knowledge base on two desktops (or into both Defaults) is one
 * document, as an import here would have found: every device keeps the one with the smaller id.
 * A remote twin with a larger id is not stored (its chunks are skipped); a local twin with a larger
 * id is deleted, its owner sending the delete, and the remote one stored.
 */
export function applyRemoteDocument(db: Db, t: LocalTable, data: Record<string, unknown>): void {
  const row = withMergedIds(db, data);
  const id = String(row.id);
  const twin = db
    .prepare('SELECT id FROM documents WHERE kb_id = ? AND content_hash = ? AND id <> ?')
    .get(row.kb_id, row.content_hash, id) as { id: string } | undefined;
  if (!twin) {
    upsertEditable(db, t, row);
    return;
  }
  const [kept, merged] = id < twin.id ? [id, twin.id] : [twin.id, id];
  recorded(db, ownsRow(db, 'documents', merged), () => {
    db.prepare('DELETE FROM documents WHERE id = ?').run(merged);
  });
  setAlias(db, 'document_alias:', merged, kept);
  if (kept === id) upsertEditable(db, t, row);
  expectTwin(db, merged, kept);
}

/**
 * Eval cases here that expect a merged document expect its twin. Every device rewrites them alike,
 * and each case's owner sends the rewrite: the server's row changes too, so a desktop that joins
 * later from a snapshot (holding no alias of the merged document) finds the document it has.
 */
function expectTwin(db: Db, merged: string, kept: string): void {
  if (!has(db, 'eval_cases')) return;
  const cases = db
    .prepare(
      `SELECT id, expected_documents AS expected FROM eval_cases
       WHERE CASE WHEN json_valid(expected_documents) THEN EXISTS (
         SELECT 1 FROM json_each(eval_cases.expected_documents) WHERE value = ?) END`,
    )
    .all(merged) as { id: string; expected: string }[];
  // Rewritten here, bound as plain text: a JSON value made in SQL would reach the outbox trigger's
  // json_object as an array instead of the column's string.
  const rewrite = db.prepare('UPDATE eval_cases SET expected_documents = ? WHERE id = ?');
  for (const { id, expected } of cases) {
    const ids = parseJson(expected);
    if (!Array.isArray(ids)) continue;
    const next = JSON.stringify(ids.map((doc) => (doc === merged ? kept : doc)));
    recorded(db, ownsRow(db, 'eval_cases', id), () => rewrite.run(next, id));
  }
}

/** A remote row refused earlier is settled once that row is deleted: nothing is left to take. */
export function settleRefusedRow(db: Db, table: string, key: string, at: string): void {
  db.prepare(
    `UPDATE sync_conflicts SET resolved_at = ?, resolution = 'deleted'
     WHERE kind = 'apply_failed' AND table_name = ? AND row_key = ? AND resolved_at IS NULL`,
  ).run(at, table, key);
}
