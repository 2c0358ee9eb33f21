-- Program versions ordered by a clock instead of numbered per program (issue #6). Their key was
-- always a UUIDv7 made on the saving device, but each desktop also gave them the next number of the
-- program, unique per program: two desktops that saved versions of one program made the same
-- numbers, and the second copy to arrive was refused (an apply_failed conflict). The number shown to
-- the creator is now a version's place in (hlc, id) order within its program, the same on every
-- synced desktop.
--
-- Existing rows keep their id and get a clock from their creation time and old number, exactly as
-- core/programs/version-rows.ts converts old-format rows still arriving from the server (desktops
-- from before 007 keep sending them, and the server keeps taking them: the key is unchanged). A row
-- known on two devices becomes the same row on both, so nothing needs sending again. Versions
-- another desktop sent that were refused here are taken in.

CREATE TEMP TABLE program_version_rows (
  -- 0: this workspace's own rows; 1: rows recovered from apply_failed conflicts.
  origin INTEGER NOT NULL,
  conflict_id TEXT,
  id TEXT NOT NULL,
  program_id TEXT NOT NULL,
  version INTEGER,
  hlc TEXT,
  kind TEXT NOT NULL,
  note TEXT NOT NULL,
  snapshot TEXT NOT NULL,
  created_at TEXT NOT NULL
);

INSERT INTO temp.program_version_rows (origin, id, program_id, version, kind, note, snapshot, created_at)
SELECT 0, id, program_id, version, kind, note, snapshot, created_at FROM main.program_versions;

-- Refused copies in either form: old (a number) or current (a clock, refused by a desktop that had
-- not migrated yet). Only well-formed rows of programs this workspace has.
INSERT INTO temp.program_version_rows
  (origin, conflict_id, id, program_id, version, hlc, kind, note, snapshot, created_at)
SELECT 1, c.id, json_extract(c.loser, '$.id'), json_extract(c.loser, '$.program_id'),
  json_extract(c.loser, '$.version'), json_extract(c.loser, '$.hlc'), json_extract(c.loser, '$.kind'),
  coalesce(json_extract(c.loser, '$.note'), ''), json_extract(c.loser, '$.snapshot'),
  json_extract(c.loser, '$.created_at')
FROM main.sync_conflicts c
WHERE c.table_name = 'program_versions' AND c.kind = 'apply_failed' AND c.resolved_at IS NULL
  AND json_valid(c.loser)
  AND json_extract(c.loser, '$.id') GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-7[0-9a-f][0-9a-f][0-9a-f]-[89ab][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'
  AND json_extract(c.loser, '$.program_id') IN (SELECT id FROM main.programs)
  AND json_extract(c.loser, '$.kind') IN ('save', 'publish', 'rollback')
  AND json_type(c.loser, '$.snapshot') = 'text' AND json_type(c.loser, '$.created_at') = 'text'
  AND coalesce(json_type(c.loser, '$.note'), 'text') = 'text'
  AND (json_extract(c.loser, '$.hlc') GLOB '[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]-[0-9][0-9][0-9][0-9][0-9][0-9]'
    OR (json_type(c.loser, '$.hlc') IS NULL AND json_type(c.loser, '$.version') = 'integer'
      AND json_extract(c.loser, '$.version') >= 0));

-- The clock of a numbered version: creation milliseconds, then the old number as the counter.
UPDATE temp.program_version_rows
SET hlc = printf('%015d-%06d',
  coalesce(CAST(strftime('%s', created_at) AS INTEGER) * 1000 + CAST(substr(created_at, 21, 3) AS INTEGER), 0),
  version % 1000000)
WHERE hlc IS NULL;

CREATE TABLE program_versions_v2 (
  -- UUIDv7, made on the device that saved the version.
  id TEXT PRIMARY KEY,
  program_id TEXT NOT NULL REFERENCES programs (id) ON DELETE CASCADE,
  -- The saving device's hybrid logical clock: (hlc, id) is the same order on every device.
  hlc TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('save', 'publish', 'rollback')),
  note TEXT NOT NULL DEFAULT '',
  -- A full snapshot (the export document) per save, publish and rollback.
  snapshot TEXT NOT NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);
INSERT OR IGNORE INTO program_versions_v2 (id, program_id, hlc, kind, note, snapshot, created_at)
SELECT id, program_id, hlc, kind, note, snapshot, created_at FROM temp.program_version_rows
ORDER BY origin, program_id, version;

UPDATE main.sync_conflicts
SET resolved_at = strftime('%Y-%m-%dT%H:%M:%fZ','now'), resolution = 'migrated'
WHERE id IN (SELECT conflict_id FROM temp.program_version_rows WHERE origin = 1);

-- A recovered version is recorded as taken from the desktop that sent it, as a pulled row is: sync
-- knows it, so it is never sent from here.
INSERT OR IGNORE INTO main.sync_versions (table_name, row_key, hlc, device)
SELECT 'program_versions', r.id, c.loser_hlc, c.loser_device
FROM temp.program_version_rows r JOIN main.sync_conflicts c ON c.id = r.conflict_id
WHERE r.origin = 1 AND c.loser_hlc IS NOT NULL AND c.loser_device IS NOT NULL
  AND r.id IN (SELECT id FROM program_versions_v2);

DROP TABLE main.program_versions;
ALTER TABLE program_versions_v2 RENAME TO program_versions;
CREATE INDEX program_versions_in_order ON program_versions (program_id, hlc, id);
DROP TABLE temp.program_version_rows;

-- Rows still waiting in the outbox are sent in the current form (sealed batches go as they are:
-- the server takes the old form too).
UPDATE sync_outbox
SET data = json_set(json_remove(data, '$.version'), '$.hlc', printf('%015d-%06d',
  coalesce(CAST(strftime('%s', json_extract(data, '$.created_at')) AS INTEGER) * 1000
    + CAST(substr(json_extract(data, '$.created_at'), 21, 3) AS INTEGER), 0),
  json_extract(data, '$.version') % 1000000))
WHERE table_name = 'program_versions' AND op = 'upsert' AND json_valid(data)
  AND json_type(data, '$.version') = 'integer';

-- Dropping the old table dropped its sync triggers; installSync makes them again the next time sync
-- is used (core/sync/install.ts). Covering the table afresh queues the rows sync does not know yet:
-- the versions saved in between. Those it knows (sent, pulled, recovered above, or waiting in the
-- outbox) are not sent again.
DELETE FROM sync_state WHERE key = 'covered:program_versions';
