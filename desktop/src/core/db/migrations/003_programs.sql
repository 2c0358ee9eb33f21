-- Coaching programs: one row per program, module and step, so that two desktops editing different
-- steps touch different rows and never conflict when synced. Order is a fractional position key
-- (text, compared bytewise) so a move rewrites one row instead of renumbering its siblings; equal
-- keys written concurrently on two devices are ordered by id.
CREATE TABLE programs (
  id TEXT PRIMARY KEY,
  title TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published')),
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);

CREATE TABLE program_modules (
  id TEXT PRIMARY KEY,
  program_id TEXT NOT NULL REFERENCES programs (id) ON DELETE CASCADE,
  position TEXT NOT NULL COLLATE BINARY,
  title TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);
CREATE INDEX program_modules_order ON program_modules (program_id, position, id);

CREATE TABLE program_steps (
  id TEXT PRIMARY KEY,
  module_id TEXT NOT NULL REFERENCES program_modules (id) ON DELETE CASCADE,
  position TEXT NOT NULL COLLATE BINARY,
  title TEXT NOT NULL,
  lesson TEXT NOT NULL DEFAULT '',
  -- JSON arrays/objects validated by the shared zod schemas on every read and write.
  links TEXT NOT NULL DEFAULT '[]',
  check_in TEXT,
  proactive_message TEXT,
  anchor TEXT NOT NULL DEFAULT 'enrolment' CHECK (anchor IN ('enrolment', 'previous_completion')),
  day_offset INTEGER NOT NULL DEFAULT 0,
  send_time TEXT NOT NULL DEFAULT '09:00',
  completion TEXT NOT NULL DEFAULT 'read' CHECK (completion IN ('read', 'answered', 'manual')),
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);
CREATE INDEX program_steps_order ON program_steps (module_id, position, id);

-- A full snapshot (the export document) per save, publish and rollback.
CREATE TABLE program_versions (
  id TEXT PRIMARY KEY,
  program_id TEXT NOT NULL REFERENCES programs (id) ON DELETE CASCADE,
  version INTEGER NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('save', 'publish', 'rollback')),
  note TEXT NOT NULL DEFAULT '',
  snapshot TEXT NOT NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  UNIQUE (program_id, version)
);

-- Local undo/redo log: before and after images of every row an edit touched. Not synced.
-- No foreign key to programs: undoing the deletion of a whole program must still find its entry.
CREATE TABLE program_undo (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  program_id TEXT NOT NULL,
  label TEXT NOT NULL,
  changes TEXT NOT NULL,
  undone INTEGER NOT NULL DEFAULT 0 CHECK (undone IN (0, 1)),
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);
CREATE INDEX program_undo_by_program ON program_undo (program_id, seq);
