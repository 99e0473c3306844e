-- The role the service connects as: it reads and writes cache rows and can
-- do nothing else. Migrations run as the schema owner; the service never does.
--
-- What the service does in the database, and so all this role may do, on embedding_cache only:
--   SELECT  lookups, the writer's probe, expiry's choice of rows (ctid sub-selects, the budget cutoff)
--   INSERT  new vectors (ON CONFLICT DO NOTHING needs no more than INSERT)
--   UPDATE  last_used_at of hits
--   DELETE  expiry (by age, and down to EMBEDSERVE_CACHE_MAX_ROWS)
-- plus SET statement_timeout, which any role may. No TRUNCATE, no DDL, no other table.
--
-- Name and password come from Flyway placeholders, never from this file:
--   app_db_user      FLYWAY_PLACEHOLDERS_APP_DB_USER      (compose: APP_DB_USER, default embedserve_app)
--   app_db_password  FLYWAY_PLACEHOLDERS_APP_DB_PASSWORD  (compose: APP_DB_PASSWORD)
-- The password is set after every migrate by afterMigrate__embedserve_app_password.sql, so
-- a new APP_DB_PASSWORD takes effect with the next `migrate` (Flyway 12 leaves placeholder values
-- out of a migration's checksum, so a repeatable migration would not run again for it). A table
-- added by a later migration gets its grants there. Roles are per server: if the role exists
-- already (another database on the same server), it is reused.
DO $do$
BEGIN
    IF '${app_db_user}' !~ '^[a-z_][a-z0-9_]{0,62}$' THEN
        RAISE EXCEPTION 'APP_DB_USER must be a lower-case SQL identifier (a-z, 0-9, _), got "%"', '${app_db_user}';
    END IF;
    IF '${app_db_user}' = current_user THEN
        RAISE EXCEPTION 'APP_DB_USER must not be the schema owner "%": the service would own its tables', current_user;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = '${app_db_user}') THEN
        -- EXECUTE, so that a bad name is refused by the check above, not by the parser first
        EXECUTE format('CREATE ROLE %I LOGIN', '${app_db_user}');
    END IF;
END
$do$;

ALTER ROLE ${app_db_user} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;

REVOKE ALL ON SCHEMA ${flyway:defaultSchema} FROM ${app_db_user};
GRANT USAGE ON SCHEMA ${flyway:defaultSchema} TO ${app_db_user};
REVOKE ALL ON embedding_cache FROM ${app_db_user};
GRANT SELECT, INSERT, UPDATE, DELETE ON embedding_cache TO ${app_db_user};
