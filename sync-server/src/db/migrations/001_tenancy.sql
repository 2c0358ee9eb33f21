-- Tenants, users and memberships.
-- Tenant tables: tenant_id, key (tenant_id, id), RLS enabled + forced, one policy with USING and
-- WITH CHECK on the transaction-local app.tenant_id. current_setting(..., true) is '' (not NULL)
-- after a transaction-local set_config ends, hence nullif.

CREATE TABLE tenants (
  id uuid PRIMARY KEY,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  created_at timestamptz NOT NULL DEFAULT now()
);

-- A tenant row is visible inside its own tenant context, or to its members listing their tenants.
ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenants FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_self ON tenants
  USING (id = nullif(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (id = nullif(current_setting('app.tenant_id', true), '')::uuid);

CREATE TABLE users (
  id uuid PRIMARY KEY,
  email text NOT NULL UNIQUE CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 254),
  password_hash text NOT NULL,
  password_changed_at timestamptz NOT NULL DEFAULT now(),
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE memberships (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id uuid NOT NULL,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role text NOT NULL CHECK (role IN ('owner', 'editor', 'viewer')),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, user_id)
);
CREATE INDEX memberships_user_idx ON memberships (user_id);

ALTER TABLE memberships ENABLE ROW LEVEL SECURITY;
ALTER TABLE memberships FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON memberships
  USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
-- "Which tenants am I in?" is asked before any tenant is chosen: read-only, own rows only.
CREATE POLICY member_reads_own ON memberships FOR SELECT
  USING (user_id = nullif(current_setting('app.user_id', true), '')::uuid);

CREATE POLICY member_reads_tenant ON tenants FOR SELECT
  USING (EXISTS (SELECT 1 FROM memberships m WHERE m.tenant_id = tenants.id
                 AND m.user_id = nullif(current_setting('app.user_id', true), '')::uuid));

-- Members with their e-mail; security_invoker so the caller's RLS on memberships applies.
CREATE VIEW member_directory WITH (security_invoker = true) AS
  SELECT m.tenant_id, m.id, m.user_id, u.email, m.role, m.created_at
  FROM memberships m JOIN users u ON u.id = m.user_id;
