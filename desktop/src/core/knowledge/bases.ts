import type { Db } from '../db/open';
import { newId } from '../ids';

export const DEFAULT_KB_NAME = 'Default';

export interface KnowledgeBase {
  id: string;
  name: string;
  description: string;
  isDefault: boolean;
  createdAt: string;
}

interface KnowledgeBaseRow {
  id: string;
  name: string;
  description: string;
  is_default: number;
  created_at: string;
}

const toKnowledgeBase = (row: KnowledgeBaseRow): KnowledgeBase => ({
  id: row.id,
  name: row.name,
  description: row.description,
  isDefault: row.is_default === 1,
  createdAt: row.created_at,
});

export class KnowledgeBaseNotFound extends Error {
  readonly code = 'kb_not_found';
  constructor(key: string, by: 'name' | 'id' = 'name') {
    super(
      by === 'name' ? `no knowledge base named "${key}"` : `no knowledge base with id "${key}"`,
    );
  }
}

export function ensureDefaultKnowledgeBase(db: Db): KnowledgeBase {
  const row = db.prepare('SELECT * FROM knowledge_bases WHERE is_default = 1').get() as
    | KnowledgeBaseRow
    | undefined;
  if (row) return toKnowledgeBase(row);
  return createKnowledgeBase(db, DEFAULT_KB_NAME, { isDefault: true });
}

export function createKnowledgeBase(
  db: Db,
  name: string,
  options: { description?: string; isDefault?: boolean } = {},
): KnowledgeBase {
  const trimmed = name.trim();
  if (trimmed.length === 0 || trimmed.length > 100) {
    throw new Error('a knowledge base name must be 1 to 100 characters');
  }
  const id = newId();
  db.prepare(
    'INSERT INTO knowledge_bases (id, name, description, is_default) VALUES (?, ?, ?, ?)',
  ).run(id, trimmed, options.description ?? '', options.isDefault ? 1 : 0);
  return getKnowledgeBase(db, id);
}

/**
 * A name for a knowledge base that another one already calls `name`: the first "name (2)",
 * "name (3)"… that no knowledge base but `id` holds (case-insensitive), within 100 characters.
 */
export function numberedName(db: Db, name: string, id: string): string {
  const taken = db.prepare('SELECT 1 FROM knowledge_bases WHERE name = ? AND id <> ?');
  for (let n = 2; ; n += 1) {
    const suffix = ` (${n})`;
    const candidate = `${name.slice(0, 100 - suffix.length).trimEnd()}${suffix}`;
    if (!taken.get(candidate, id)) return candidate;
  }
}

export function listKnowledgeBases(db: Db): KnowledgeBase[] {
  const rows = db
    .prepare('SELECT * FROM knowledge_bases ORDER BY is_default DESC, name')
    .all() as KnowledgeBaseRow[];
  return rows.map(toKnowledgeBase);
}

export function getKnowledgeBase(db: Db, id: string): KnowledgeBase {
  const row = db.prepare('SELECT * FROM knowledge_bases WHERE id = ?').get(id) as
    | KnowledgeBaseRow
    | undefined;
  if (!row) throw new KnowledgeBaseNotFound(id, 'id');
  return toKnowledgeBase(row);
}

/** Finds a knowledge base by name (case-insensitive); no name means the default one. */
export function findKnowledgeBase(db: Db, name?: string): KnowledgeBase {
  if (name === undefined) return ensureDefaultKnowledgeBase(db);
  const row = db.prepare('SELECT * FROM knowledge_bases WHERE name = ?').get(name.trim()) as
    | KnowledgeBaseRow
    | undefined;
  if (!row) throw new KnowledgeBaseNotFound(name);
  return toKnowledgeBase(row);
}

/** Finds a knowledge base by name, creating it when the user names a new one. */
export function findOrCreateKnowledgeBase(db: Db, name?: string): KnowledgeBase {
  try {
    return findKnowledgeBase(db, name);
  } catch (error) {
    if (error instanceof KnowledgeBaseNotFound && name !== undefined) {
      return createKnowledgeBase(db, name);
    }
    throw error;
  }
}
