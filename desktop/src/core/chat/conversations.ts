import type { Db } from '../db/open';
import { newId } from '../ids';
import type { Citation } from './citations';

export type AnswerMode = 'llm' | 'extractive';
export type MessageStatus = 'complete' | 'cancelled' | 'failed';

export interface Conversation {
  id: string;
  kbId: string | null;
  title: string;
  createdAt: string;
  updatedAt: string;
}

export interface StoredMessage {
  id: string;
  conversationId: string;
  role: 'user' | 'assistant';
  content: string;
  retrievalQuery: string | null;
  mode: AnswerMode | null;
  refused: boolean;
  citations: Citation[];
  model: string | null;
  personaVersion: number | null;
  status: MessageStatus;
  createdAt: string;
}

interface ConversationRow {
  id: string;
  kb_id: string | null;
  title: string;
  created_at: string;
  updated_at: string;
}

interface MessageRow {
  id: string;
  conversation_id: string;
  role: 'user' | 'assistant';
  content: string;
  retrieval_query: string | null;
  mode: AnswerMode | null;
  refused: number;
  citations: string;
  model: string | null;
  persona_version: number | null;
  status: MessageStatus;
  created_at: string;
}

export class ConversationNotFound extends Error {
  readonly code = 'conversation_not_found';
  constructor(id: string) {
    super(`no conversation with id "${id}"`);
  }
}

const toConversation = (r: ConversationRow): Conversation => ({
  id: r.id,
  kbId: r.kb_id,
  title: r.title,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const toMessage = (r: MessageRow): StoredMessage => ({
  id: r.id,
  conversationId: r.conversation_id,
  role: r.role,
  content: r.content,
  retrievalQuery: r.retrieval_query,
  mode: r.mode,
  refused: r.refused === 1,
  citations: JSON.parse(r.citations) as Citation[],
  model: r.model,
  personaVersion: r.persona_version,
  status: r.status,
  createdAt: r.created_at,
});

export function createConversation(db: Db, options: { kbId?: string; title?: string } = {}) {
  const id = newId();
  db.prepare('INSERT INTO conversations (id, kb_id, title) VALUES (?, ?, ?)').run(
    id,
    options.kbId ?? null,
    (options.title ?? '').slice(0, 120),
  );
  return getConversation(db, id);
}

export function getConversation(db: Db, id: string): Conversation {
  const row = db.prepare('SELECT * FROM conversations WHERE id = ?').get(id) as
    | ConversationRow
    | undefined;
  if (!row) throw new ConversationNotFound(id);
  return toConversation(row);
}

export function listConversations(db: Db, limit = 50): Conversation[] {
  const rows = db
    .prepare('SELECT * FROM conversations ORDER BY updated_at DESC, id DESC LIMIT ?')
    .all(limit) as ConversationRow[];
  return rows.map(toConversation);
}

/** Messages in the order they were said (ids are time-ordered UUIDv7). */
export function listMessages(db: Db, conversationId: string): StoredMessage[] {
  const rows = db
    .prepare('SELECT * FROM messages WHERE conversation_id = ? ORDER BY id')
    .all(conversationId) as MessageRow[];
  return rows.map(toMessage);
}

export type NewMessage = Pick<StoredMessage, 'conversationId' | 'role' | 'content'> &
  Partial<Omit<StoredMessage, 'id' | 'conversationId' | 'role' | 'content' | 'createdAt'>>;

export function addMessage(db: Db, message: NewMessage): StoredMessage {
  const id = newId();
  db.transaction(() => {
    db.prepare(
      `INSERT INTO messages (id, conversation_id, role, content, retrieval_query, mode, refused,
         citations, model, persona_version, status)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      id,
      message.conversationId,
      message.role,
      message.content,
      message.retrievalQuery ?? null,
      message.mode ?? null,
      message.refused ? 1 : 0,
      JSON.stringify(message.citations ?? []),
      message.model ?? null,
      message.personaVersion ?? null,
      message.status ?? 'complete',
    );
    db.prepare(
      `UPDATE conversations SET updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now'),
         title = CASE WHEN title = '' AND ? = 'user' THEN substr(?, 1, 120) ELSE title END
       WHERE id = ?`,
    ).run(message.role, message.content, message.conversationId);
  })();
  const row = db.prepare('SELECT * FROM messages WHERE id = ?').get(id) as MessageRow;
  return toMessage(row);
}
