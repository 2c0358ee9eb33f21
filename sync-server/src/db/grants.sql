-- Privileges of the app login role, re-applied on every migrate run ({{app_role}} is substituted
-- with the quoted role name). The app role owns nothing and gets no DDL rights.
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {{app_role}};
GRANT USAGE ON SCHEMA public TO {{app_role}};
GRANT SELECT ON schema_migrations TO {{app_role}};
GRANT SELECT, INSERT, UPDATE ON tenants TO {{app_role}};
GRANT SELECT, INSERT, UPDATE ON users TO {{app_role}};
GRANT SELECT, INSERT, UPDATE, DELETE ON memberships TO {{app_role}};
GRANT SELECT ON member_directory TO {{app_role}};
GRANT SELECT, INSERT, UPDATE, DELETE ON sessions TO {{app_role}};
GRANT SELECT, INSERT, UPDATE, DELETE ON refresh_tokens TO {{app_role}};
GRANT SELECT, INSERT, UPDATE, DELETE ON devices TO {{app_role}};
GRANT SELECT, INSERT, UPDATE, DELETE ON login_attempts TO {{app_role}};
