-- Sync with the server (DESIGN.md §4). Triggers feeding the outbox are created in code from the
-- shared table registry (core/sync/install.ts), so tables added later are covered by a registry entry.

-- Local changes captured by triggers, not yet sealed into a batch.
CREATE TABLE sync_outbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  table_name TEXT NOT NULL,
  op TEXT NOT NULL CHECK (op IN ('upsert', 'delete', 'embedding')),
  -- Editable rows: the key; insert-only rows: '' (the content hash is computed when sealing).
  row_key TEXT NOT NULL,
  data TEXT,
  -- The local integer id of the row, where embeddings are looked up by it.
  local_rowid INTEGER
);
CREATE INDEX sync_outbox_by_row ON sync_outbox (table_name, row_key);
CREATE INDEX sync_outbox_embeddings ON sync_outbox (local_rowid) WHERE op = 'embedding';

-- Sealed batches: the exact bytes sent, so a retry is byte-identical. Deleted once acknowledged.
CREATE TABLE sync_batches (
  first_mid INTEGER PRIMARY KEY,
  last_mid INTEGER NOT NULL,
  mutations INTEGER NOT NULL,
  body TEXT NOT NULL,
  bytes INTEGER NOT NULL,
  sealed_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);

-- The version of each editable row this device last saw or wrote. local_mid > acked mid means the
-- device's own edit is still on its way, so remote versions of that row wait for the server's answer.
CREATE TABLE sync_versions (
  table_name TEXT NOT NULL,
  row_key TEXT NOT NULL,
  hlc TEXT NOT NULL,
  device TEXT NOT NULL,
  local_mid INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (table_name, row_key)
) WITHOUT ROWID;

CREATE TABLE sync_state (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE sync_cursors (
  stream TEXT PRIMARY KEY CHECK (stream IN ('content', 'activity')),
  cursor TEXT NOT NULL,
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);

-- Concurrent edits that lost last-writer-wins (from the server), and remote rows this workspace
-- could not take (a local constraint refused them). The creator lists and resolves them.
CREATE TABLE sync_conflicts (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('concurrent_edit', 'apply_failed')),
  table_name TEXT NOT NULL,
  row_key TEXT NOT NULL,
  loser TEXT,
  loser_hlc TEXT,
  loser_device TEXT,
  winner TEXT,
  winner_hlc TEXT,
  winner_device TEXT,
  reason TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  resolved_at TEXT,
  resolution TEXT
);

-- Mutations the server refused (never retried: they would be refused again).
CREATE TABLE sync_rejections (
  mid INTEGER PRIMARY KEY,
  table_name TEXT NOT NULL,
  row_key TEXT NOT NULL,
  code TEXT NOT NULL,
  message TEXT NOT NULL,
  at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);

-- Rows of streams or tables this workspace has no table for (the activity stream for now).
CREATE TABLE sync_mirror (
  stream TEXT NOT NULL,
  table_name TEXT NOT NULL,
  row_key TEXT NOT NULL,
  data TEXT,
  hlc TEXT NOT NULL,
  device TEXT NOT NULL,
  seq INTEGER NOT NULL,
  PRIMARY KEY (table_name, row_key)
) WITHOUT ROWID;

-- Set to 1 only inside the transaction that applies remote changes, so they do not re-enter the outbox.
CREATE TABLE sync_apply_guard (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  active INTEGER NOT NULL DEFAULT 0 CHECK (active IN (0, 1))
);
INSERT INTO sync_apply_guard (id, active) VALUES (1, 0);
