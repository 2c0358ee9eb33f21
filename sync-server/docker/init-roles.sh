#!/bin/sh
# docker-entrypoint-initdb.d hook: runs init-roles.sql once, on an empty data directory,
# against $POSTGRES_DB as the $POSTGRES_USER superuser.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v owner_role="${OWNER_ROLE:-creator_hub_owner}" -v owner_password="$OWNER_PASSWORD" \
  -v app_role="${APP_ROLE:-creator_hub_app}" -v app_password="$APP_PASSWORD" \
  -f /docker-entrypoint-initdb.d/init-roles.sql.in
