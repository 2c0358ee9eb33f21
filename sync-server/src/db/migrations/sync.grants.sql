-- Privileges of the app role on the sync and release tables (migrations 100-102; sync_mutations
-- rows past the replay window are deleted by pushes).
GRANT SELECT, INSERT, UPDATE ON sync_counters TO {{app_role}};
GRANT SELECT, INSERT, UPDATE ON sync_device_state TO {{app_role}};
GRANT SELECT, INSERT, DELETE ON sync_mutations TO {{app_role}};
GRANT SELECT, INSERT, UPDATE ON sync_rows TO {{app_role}};
GRANT SELECT, INSERT, DELETE ON sync_changes TO {{app_role}};
GRANT SELECT, INSERT, UPDATE, DELETE ON chunk_embeddings TO {{app_role}};
GRANT SELECT, INSERT ON releases TO {{app_role}};
