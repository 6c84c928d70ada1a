#!/bin/sh
# The database roles of a production deployment, made once as the superuser. docker-compose.yml
# mounts this into /docker-entrypoint-initdb.d, where postgres runs it when its volume is new:
#   o2c_owner  owns the o2c database and its schema: `o2c db upgrade` (the migrate service)
#   o2c_app    reads and writes rows, nothing else: the api and worker services
#   temporal   may create databases: Temporal's auto-setup makes its own two
# The superuser (POSTGRES_USER) then serves nobody. For a volume made before this script, run it
# by hand: docker compose exec postgres sh /docker-entrypoint-initdb.d/10-o2c-roles.sh
set -eu

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
    -v owner="${O2C_DB_OWNER:-o2c_owner}" -v owner_password="$DB_OWNER_PASSWORD" \
    -v app="${O2C_DB_APP:-o2c_app}" -v app_password="$DB_APP_PASSWORD" \
    -v temporal="${TEMPORAL_DB_USER:-temporal}" -v temporal_password="$TEMPORAL_DB_PASSWORD" \
    -v db="${O2C_DB:-o2c}" <<'SQL'
CREATE ROLE :"owner" LOGIN PASSWORD :'owner_password';
CREATE ROLE :"app" LOGIN PASSWORD :'app_password';
CREATE ROLE :"temporal" LOGIN CREATEDB PASSWORD :'temporal_password';
CREATE DATABASE :"db" OWNER :"owner";
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE :"db" TO :"app";
SQL

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "${O2C_DB:-o2c}" \
    -v owner="${O2C_DB_OWNER:-o2c_owner}" -v app="${O2C_DB_APP:-o2c_app}" <<'SQL'
ALTER SCHEMA public OWNER TO :"owner";
REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO :"app";
-- Whatever the owner's migrations create, the app may use rows of, and never change the schema.
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO :"app";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public
    GRANT USAGE, SELECT ON SEQUENCES TO :"app";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public
    GRANT USAGE ON TYPES TO :"app";
SQL
