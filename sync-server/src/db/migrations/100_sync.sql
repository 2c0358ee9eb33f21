-- Sync: per-tenant stream counters, per-device mutation ids, the change log, the current rows and
-- chunk embeddings. Every table is a tenant table keyed (tenant_id, id) with RLS forced.

-- One row per tenant and stream (id = the stream), locked by every writing transaction: sequence
-- numbers are handed out in commit order, so a reader never sees seq n+1 before seq n (a bare
-- sequence could). The content row also holds the tenant's embedding model.
CREATE TABLE sync_counters (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id text NOT NULL CHECK (id IN ('content', 'activity')),
  last_seq bigint NOT NULL DEFAULT 0,
  -- Changes at or below floor_seq were compacted away: older cursors must resync from a snapshot.
  floor_seq bigint NOT NULL DEFAULT 0,
  -- Changes when the log is reset; cursors of another epoch must resync.
  epoch uuid NOT NULL DEFAULT gen_random_uuid(),
  model_fingerprint text,
  PRIMARY KEY (tenant_id, id)
);

-- id = the device id.
CREATE TABLE sync_device_state (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id uuid NOT NULL,
  last_mid bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant_id, id)
);

-- Every mutation id a device used, with the hash of what it carried: a replay with the same id but
-- different content is refused instead of being taken for a duplicate.
CREATE TABLE sync_mutations (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id text GENERATED ALWAYS AS (device_id::text || ':' || mid::text) STORED,
  device_id uuid NOT NULL,
  mid bigint NOT NULL,
  hash text NOT NULL,
  status text NOT NULL CHECK (status IN ('applied', 'rejected')),
  code text,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX sync_mutations_by_device ON sync_mutations (tenant_id, device_id, mid);

CREATE TABLE sync_rows (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id text GENERATED ALWAYS AS (table_name || ':' || row_key) STORED,
  table_name text NOT NULL,
  row_key text NOT NULL,
  stream text NOT NULL,
  hlc text NOT NULL,
  device_id text NOT NULL,
  data jsonb,
  deleted boolean NOT NULL DEFAULT false,
  seq bigint NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX sync_rows_by_key ON sync_rows (tenant_id, table_name, row_key);
CREATE INDEX sync_rows_snapshot ON sync_rows (tenant_id, stream, table_name, row_key);

CREATE TABLE sync_changes (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id text GENERATED ALWAYS AS (stream || ':' || seq::text) STORED,
  stream text NOT NULL,
  seq bigint NOT NULL,
  table_name text NOT NULL,
  row_key text NOT NULL,
  op text NOT NULL CHECK (op IN ('upsert', 'delete')),
  hlc text NOT NULL,
  device_id text NOT NULL,
  data jsonb,
  PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX sync_changes_by_seq ON sync_changes (tenant_id, stream, seq);

-- Chunk embeddings for retrieval on the server (id = the chunk's content key), little-endian float32.
CREATE TABLE chunk_embeddings (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id text NOT NULL,
  fingerprint text NOT NULL,
  dims integer NOT NULL CHECK (dims > 0),
  vector bytea NOT NULL CHECK (length(vector) = dims * 4),
  PRIMARY KEY (tenant_id, id)
);
-- Float bytes do not compress: never try. A 768-d vector (3 KB) stays in the row (no TOAST
-- round trip); only vectors past a page go out of line.
ALTER TABLE chunk_embeddings ALTER COLUMN vector SET STORAGE EXTERNAL;
ALTER TABLE chunk_embeddings SET (toast_tuple_target = 8160);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['sync_counters', 'sync_device_state', 'sync_mutations', 'sync_rows',
                           'sync_changes', 'chunk_embeddings'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
      USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
      WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)$p$, t);
  END LOOP;
END
$$;
