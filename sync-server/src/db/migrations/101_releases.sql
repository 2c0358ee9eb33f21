-- Releases: an append-only history. Publishing appends a version; rolling back appends a version
-- that restores an earlier one. The highest version is the one the server serves.
CREATE TABLE releases (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id uuid NOT NULL,
  version integer NOT NULL CHECK (version > 0),
  kind text NOT NULL CHECK (kind IN ('publish', 'rollback')),
  client_release_id uuid,
  note text NOT NULL DEFAULT '' CHECK (length(note) <= 500),
  content_seq bigint NOT NULL,
  counts jsonb NOT NULL,
  manifest jsonb NOT NULL,
  restores integer,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, version),
  UNIQUE (tenant_id, client_release_id)
);

ALTER TABLE releases ENABLE ROW LEVEL SECURITY;
ALTER TABLE releases FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON releases
  USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
