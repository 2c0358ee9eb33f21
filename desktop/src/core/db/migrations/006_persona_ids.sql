-- Persona versions keyed by a globally unique id instead of a local integer (issue #6): versions
-- saved on two desktops of one creator never take the same key, so both survive sync. Their order,
-- and so the version number shown to the creator, comes from the hybrid logical clock each version
-- was saved at; the version in use is a separate editable row (persona_active, last-writer-wins).
--
-- Existing rows get an id and a clock derived from what they hold (creation time, old number,
-- length), exactly as core/persona/legacy.ts converts old-format rows still arriving from the
-- server: a row known on two devices becomes the same row on both. Versions another desktop sent
-- that were refused here (the old key collision, kept as apply_failed conflicts) are taken in too.

CREATE TEMP TABLE persona_legacy (
  -- 0: this workspace's own rows; 1: rows recovered from apply_failed conflicts.
  origin INTEGER NOT NULL,
  conflict_id TEXT,
  version INTEGER NOT NULL,
  data TEXT NOT NULL,
  note TEXT NOT NULL,
  created_at TEXT NOT NULL,
  ms INTEGER,
  id TEXT,
  hlc TEXT
);

INSERT INTO temp.persona_legacy (origin, version, data, note, created_at)
SELECT 0, version, data, note, created_at FROM main.persona_versions;

INSERT INTO temp.persona_legacy (origin, conflict_id, version, data, note, created_at)
SELECT 1, id, json_extract(loser, '$.version'), json_extract(loser, '$.data'),
  coalesce(json_extract(loser, '$.note'), ''), json_extract(loser, '$.created_at')
FROM main.sync_conflicts
WHERE table_name = 'persona_versions' AND kind = 'apply_failed' AND resolved_at IS NULL
  AND json_valid(loser)
  AND json_type(loser, '$.version') = 'integer' AND json_extract(loser, '$.version') >= 0
  AND json_type(loser, '$.data') = 'text' AND json_type(loser, '$.created_at') = 'text'
  AND coalesce(json_type(loser, '$.note'), 'text') = 'text';

-- Milliseconds of 'YYYY-MM-DDTHH:MM:SS.fffZ'; the id is UUIDv7-shaped (time, length, old number).
UPDATE temp.persona_legacy
SET ms = CAST(strftime('%s', created_at) AS INTEGER) * 1000 + CAST(substr(created_at, 21, 3) AS INTEGER);
UPDATE temp.persona_legacy
SET id = printf('%08x-%04x-7%03x-8000-%012x', coalesce(ms, 0) >> 16, coalesce(ms, 0) & 65535,
    length(data) % 4096, version),
  hlc = printf('%015d-%06d', coalesce(ms, 0), version % 1000000);

CREATE TABLE persona_versions_v2 (
  -- UUIDv7, made on the device that saved the version.
  id TEXT PRIMARY KEY,
  -- The saving device's hybrid logical clock: (hlc, id) is the same order on every device.
  hlc TEXT NOT NULL,
  data TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);
INSERT OR IGNORE INTO persona_versions_v2 (id, hlc, data, note, created_at)
SELECT id, hlc, data, note, created_at FROM temp.persona_legacy ORDER BY origin, version;

-- The version in use (one row). No foreign key: a remote pointer may arrive before its version.
CREATE TABLE persona_active (
  id TEXT PRIMARY KEY CHECK (id = 'active'),
  version_id TEXT NOT NULL
);
-- What was in use before stays in use: this workspace's highest old number.
INSERT INTO persona_active (id, version_id)
SELECT 'active', id FROM temp.persona_legacy WHERE origin = 0 ORDER BY version DESC LIMIT 1;

UPDATE main.sync_conflicts
SET resolved_at = strftime('%Y-%m-%dT%H:%M:%fZ','now'), resolution = 'migrated'
WHERE id IN (SELECT conflict_id FROM temp.persona_legacy WHERE origin = 1);

-- Dropping the table drops its sync triggers; installSync makes them again for the new one.
DROP TABLE main.persona_versions;
ALTER TABLE persona_versions_v2 RENAME TO persona_versions;
CREATE INDEX persona_versions_in_order ON persona_versions (hlc, id);
DROP TABLE temp.persona_legacy;

-- Queued old-format rows would be refused by the server now; the table is covered afresh the next
-- time sync runs, which queues every migrated row in the new form.
DELETE FROM sync_outbox WHERE table_name = 'persona_versions';
DELETE FROM sync_state WHERE key = 'covered:persona_versions';
