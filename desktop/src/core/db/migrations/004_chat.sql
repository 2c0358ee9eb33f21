-- Conversations and their messages, the workspace persona with its version history, and the
-- answer-quality test sets per knowledge base with their stored runs.

CREATE TABLE conversations (
  id TEXT PRIMARY KEY,
  kb_id TEXT REFERENCES knowledge_bases (id) ON DELETE SET NULL,
  title TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);

-- Message content is stored as the plain text the model produced: never rendered as HTML, never run.
CREATE TABLE messages (
  id TEXT PRIMARY KEY,
  conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
  role TEXT NOT NULL CHECK (role IN ('user', 'assistant')),
  content TEXT NOT NULL,
  -- For user turns: the standalone query used for retrieval after follow-up rewriting.
  retrieval_query TEXT,
  mode TEXT CHECK (mode IN ('llm', 'extractive')),
  refused INTEGER NOT NULL DEFAULT 0 CHECK (refused IN (0, 1)),
  -- JSON array of citations: [{n, chunkId, documentId, title, section, page, text}].
  citations TEXT NOT NULL DEFAULT '[]',
  model TEXT,
  persona_version INTEGER,
  status TEXT NOT NULL DEFAULT 'complete' CHECK (status IN ('complete', 'cancelled', 'failed')),
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);
CREATE INDEX messages_by_conversation ON messages (conversation_id, created_at);

-- One persona per workspace; every change is a new row, the highest version is the current one.
-- A rollback appends a copy of an older version, so history is never rewritten.
CREATE TABLE persona_versions (
  version INTEGER PRIMARY KEY,
  data TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);

CREATE TABLE eval_cases (
  id TEXT PRIMARY KEY,
  kb_id TEXT NOT NULL REFERENCES knowledge_bases (id) ON DELETE CASCADE,
  question TEXT NOT NULL,
  -- 'answer': must be answered from the expected documents; 'refuse': must be refused.
  kind TEXT NOT NULL CHECK (kind IN ('answer', 'refuse')),
  -- JSON array of document ids the answer must come from (empty for 'refuse').
  expected_documents TEXT NOT NULL DEFAULT '[]',
  expected_phrase TEXT,
  -- 'candidate' cases were generated and wait for the creator to accept or edit them.
  status TEXT NOT NULL DEFAULT 'accepted' CHECK (status IN ('accepted', 'candidate')),
  source_chunk_id INTEGER REFERENCES chunks (id) ON DELETE SET NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);
CREATE INDEX eval_cases_by_kb ON eval_cases (kb_id, status);

CREATE TABLE eval_runs (
  id TEXT PRIMARY KEY,
  kb_id TEXT NOT NULL REFERENCES knowledge_bases (id) ON DELETE CASCADE,
  k INTEGER NOT NULL,
  mode TEXT NOT NULL,
  model TEXT,
  -- JSON object of the aggregate figures (hit@k, citation accuracy, refusal correctness, ...).
  metrics TEXT NOT NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);
CREATE INDEX eval_runs_by_kb ON eval_runs (kb_id, created_at);

CREATE TABLE eval_results (
  run_id TEXT NOT NULL REFERENCES eval_runs (id) ON DELETE CASCADE,
  -- No foreign key: a result outlives the case it scored, so old runs stay comparable.
  case_id TEXT NOT NULL,
  question TEXT NOT NULL,
  kind TEXT NOT NULL,
  -- JSON object: {hit, hitRank, refused, refusalCorrect, citationAccuracy, phraseMatch, ...}.
  scores TEXT NOT NULL,
  answer TEXT NOT NULL,
  PRIMARY KEY (run_id, case_id)
);
