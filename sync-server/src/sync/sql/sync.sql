-- Sync: per-tenant sequence counters, per-device mutation ids, the change log, the current rows,
-- chunk embeddings and the tenant's embedding model. Every table is a tenant table (RLS forced).

-- One row per tenant and stream, locked by every writing transaction: sequence numbers are handed
-- out in commit order, so a reader never sees seq n+1 before seq n (a bare sequence could).
CREATE TABLE sync_counters (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  stream text NOT NULL CHECK (stream IN ('content', 'activity')),
  last_seq bigint NOT NULL DEFAULT 0,
  -- Changes at or below floor_seq were compacted away: older cursors must resync from a snapshot.
  floor_seq bigint NOT NULL DEFAULT 0,
  -- Changes when the log is reset; cursors of another epoch must resync.
  epoch uuid NOT NULL DEFAULT gen_random_uuid(),
  PRIMARY KEY (tenant_id, stream)
);

CREATE TABLE sync_device_state (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  device_id uuid NOT NULL,
  last_mid bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant_id, device_id)
);

-- Every mutation id a device used, with the hash of what it carried: a replay with the same id but
-- different content is refused instead of being taken for a duplicate.
CREATE TABLE sync_mutations (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  device_id uuid NOT NULL,
  mid bigint NOT NULL,
  hash text NOT NULL,
  status text NOT NULL CHECK (status IN ('applied', 'rejected')),
  code text,
  PRIMARY KEY (tenant_id, device_id, mid)
);

CREATE TABLE sync_rows (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  table_name text NOT NULL,
  row_key text NOT NULL,
  stream text NOT NULL,
  hlc text NOT NULL,
  device_id text NOT NULL,
  data jsonb,
  deleted boolean NOT NULL DEFAULT false,
  seq bigint NOT NULL,
  PRIMARY KEY (tenant_id, table_name, row_key)
);
CREATE INDEX sync_rows_snapshot ON sync_rows (tenant_id, stream, table_name, row_key);

CREATE TABLE sync_changes (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  stream text NOT NULL,
  seq bigint NOT NULL,
  table_name text NOT NULL,
  row_key text NOT NULL,
  op text NOT NULL CHECK (op IN ('upsert', 'delete')),
  hlc text NOT NULL,
  device_id text NOT NULL,
  data jsonb,
  PRIMARY KEY (tenant_id, stream, seq)
);

-- Chunk embeddings for retrieval on the server, little-endian float32.
CREATE TABLE chunk_embeddings (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  row_key text NOT NULL,
  fingerprint text NOT NULL,
  dims integer NOT NULL CHECK (dims > 0),
  vector bytea NOT NULL CHECK (length(vector) = dims * 4),
  PRIMARY KEY (tenant_id, row_key)
);

-- The one embedding model a tenant's chunks use; set by the first embedding pushed.
CREATE TABLE sync_models (
  tenant_id uuid PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
  fingerprint text NOT NULL,
  changed_at timestamptz NOT NULL DEFAULT now()
);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['sync_counters', 'sync_device_state', 'sync_mutations', 'sync_rows',
                           'sync_changes', 'chunk_embeddings', 'sync_models'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
      USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
      WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)$p$, t);
  END LOOP;
END
$$;
