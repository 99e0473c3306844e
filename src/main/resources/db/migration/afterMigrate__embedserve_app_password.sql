-- Flyway callback, run after every `migrate` (not recorded in flyway_schema_history): sets the app
-- role's password from the placeholder, so that APP_DB_PASSWORD in .env (or the Kubernetes Secret)
-- is always the one in force. V2__embedserve_app_role.sql created the role and its grants.
--
-- The password is a dollar-quoted literal, so any character in it is taken as it is (only the
-- sequence $pw$ cannot appear). The "=" in front keeps Flyway's placeholder reader from missing a
-- placeholder that follows a dollar sign directly (it leaves such a one unreplaced); substr drops
-- the "=" again.
DO $do$
DECLARE
    password text := substr($pw$=${app_db_password}$pw$, 2);
BEGIN
    IF length(password) < 8 THEN
        RAISE EXCEPTION 'APP_DB_PASSWORD must have at least 8 characters';
    END IF;
    EXECUTE format('ALTER ROLE %I WITH LOGIN PASSWORD %L', '${app_db_user}', password);
END
$do$;
