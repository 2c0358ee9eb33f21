-- Creates the owner (migrator) and app login roles and hands the current database to the owner.
-- Run as a superuser with psql variables:
--   psql -v ON_ERROR_STOP=1 -v owner_role=… -v owner_password=… -v app_role=… -v app_password=… -f init-roles.sql
-- Idempotent and safe to run concurrently (an existing role is left as it is).
\set ON_ERROR_STOP on

SELECT set_config('init.owner_role', :'owner_role', false),
       set_config('init.owner_password', :'owner_password', false),
       set_config('init.app_role', :'app_role', false),
       set_config('init.app_password', :'app_password', false);

DO $$
DECLARE
  owner_role text := current_setting('init.owner_role');
  app_role text := current_setting('init.app_role');
BEGIN
  BEGIN
    -- The owner creates and owns the schema; it is not a superuser and does not bypass RLS.
    EXECUTE format('CREATE ROLE %I LOGIN PASSWORD %L NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE',
                   owner_role, current_setting('init.owner_password'));
  EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
  END;
  BEGIN
    -- The app role: login only. It gets table privileges from the migrate step and owns nothing.
    EXECUTE format('CREATE ROLE %I LOGIN PASSWORD %L NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT',
                   app_role, current_setting('init.app_password'));
  EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
  END;
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname IN (owner_role, app_role) AND (rolsuper OR rolbypassrls)) THEN
    RAISE EXCEPTION 'owner and app roles must be neither superuser nor BYPASSRLS';
  END IF;
  EXECUTE format('ALTER DATABASE %I OWNER TO %I', current_database(), owner_role);
  EXECUTE format('REVOKE CREATE ON SCHEMA public FROM PUBLIC');
END
$$;

SELECT set_config('init.owner_password', '', false), set_config('init.app_password', '', false);
