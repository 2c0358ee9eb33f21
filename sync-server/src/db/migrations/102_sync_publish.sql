-- Faster first publish, bounded per-device bookkeeping (issue #6).

-- Every reader of sync_rows goes by (table_name, row_key) (sync_rows_by_key: pushes, snapshot pages)
-- or scans it (release counts); this index only cost one more entry for every row written.
DROP INDEX sync_rows_snapshot;

COMMENT ON TABLE sync_mutations IS
  'Hashes of the most recent mutation ids of each device, to tell a replayed batch (duplicate) from an id reused with other content (mid_collision). Only ids above sync_device_state.last_mid minus the replay window (REPLAY_WINDOW in sync-server/src/sync/replays.ts) are kept; older ones are deleted as pushes arrive. A replay of an id below the window is rejected (mid_collision), never taken for a duplicate.';
