#!/bin/sh
# One line per part of the EmbedServe stack; exit status 1 if any part is not healthy,
# 2 if docker compose itself is unusable.
#
#   db         Postgres accepts connections (pg_isready inside the db container)
#   migrate    Flyway has applied every migration in src/main/resources/db/migration
#   model      the model revision is complete in the hf_cache volume (model-init's own check)
#   liveness   GET /actuator/health/liveness is UP (the inference worker runs)
#   readiness  GET /actuator/health/readiness is UP (model loaded and warmed)
#   health     GET /health answers 200 on the published API port
#
# Liveness and readiness are asked inside the app container: the management port (9000) is never
# published. Nothing here builds or pulls an image: a model-init image that is not there is
# reported, not built.
#
# Environment (defaults in brackets): PROJECT_DIR [the repository], ENV_FILE [$PROJECT_DIR/.env,
# as scripts/setup.sh], DOCKER [docker], CURL [curl], APP_URL [from `docker compose port app 8080`].
# COMPOSE_FILE is honoured by compose.
set -u

PROJECT_DIR=${PROJECT_DIR:-$(cd "$(dirname "$0")/.." && pwd)}
DOCKER=${DOCKER:-docker}
CURL=${CURL:-curl}
ENV_FILE_GIVEN=${ENV_FILE:+1}
ENV_FILE=${ENV_FILE:-$PROJECT_DIR/.env}
MIGRATIONS=$PROJECT_DIR/src/main/resources/db/migration
FAILED=0

report() {
    printf '%-10s %-4s %s\n' "$1" "$2" "$3"
    [ "$2" = OK ] || FAILED=1
}

# The same variables as the stack was started with (setup.sh passes --env-file too); without an
# env file, compose reads the environment only.
compose() {
    if [ -f "$ENV_FILE" ]; then
        "$DOCKER" compose --env-file "$ENV_FILE" "$@"
    else
        "$DOCKER" compose "$@"
    fi
}

# The first line of a command's output, for messages.
first_line() { printf '%s' "$1" | sed -n '/./{p;q;}'; }

# The db container's own POSTGRES_USER / POSTGRES_DB are used (single quotes on purpose), so
# this script never reads the .env secrets.
# shellcheck disable=SC2016
check_db() {
    if _out=$(compose exec -T db sh -c 'exec pg_isready -U "$POSTGRES_USER" -d "$POSTGRES_DB"' 2>&1); then
        report db OK "Postgres accepts connections"
    else
        report db DOWN "Postgres is not ready: $(first_line "$_out")"
    fi
}

# The newest V<version>__*.sql in the repository, as Flyway writes it (V1_2 -> 1.2).
expected_migration() {
    find "$MIGRATIONS" -name 'V*__*.sql' 2>/dev/null | sed 's#.*/V\([0-9_.]*\)__.*#\1#' | tr '_' '.' |
        sort -t . -k 1,1n -k 2,2n -k 3,3n | tail -n 1
}

# shellcheck disable=SC2016
check_migrations() {
    _query="SELECT count(*) FILTER (WHERE NOT success) || ' ' ||
                   coalesce((SELECT version FROM flyway_schema_history
                             WHERE success AND version IS NOT NULL
                             ORDER BY installed_rank DESC LIMIT 1), '-')
            FROM flyway_schema_history;"
    if ! _out=$(printf '%s\n' "$_query" | compose exec -T db \
        sh -c 'exec psql -X -q -t -A -v ON_ERROR_STOP=1 -U "$POSTGRES_USER" -d "$POSTGRES_DB"' 2>&1); then
        case $_out in
            *flyway_schema_history*) report migrate DOWN "no flyway_schema_history: migrations never ran (docker compose logs migrate)" ;;
            *) report migrate DOWN "cannot query flyway_schema_history: $(first_line "$_out")" ;;
        esac
        return
    fi
    _failed=${_out%% *}
    _applied=$(printf '%s' "${_out#* }" | tr -d '[:space:]')
    _expected=$(expected_migration)
    if [ "$_failed" != 0 ]; then
        report migrate DOWN "$_failed failed migration(s) in flyway_schema_history (docker compose logs migrate)"
    elif [ -n "$_expected" ] && [ "$_applied" != "$_expected" ]; then
        report migrate DOWN "schema at version $_applied, the repository has V$_expected (docker compose up migrate)"
    else
        report migrate OK "schema at version $_applied"
    fi
}

check_model() {
    _image=$(compose config --images model-init 2>/dev/null | tail -n 1)
    if [ -z "$_image" ] || ! "$DOCKER" image inspect "$_image" >/dev/null 2>&1; then
        report model DOWN "image ${_image:-of model-init} is not on this host; not building it here (scripts/setup.sh --build)"
        return
    fi
    if _out=$(compose run --rm --no-deps --pull never -T model-init check 2>&1); then
        report model OK "$(printf '%s\n' "$_out" | sed -n 's/^model-init: //p' | tail -n 1)"
    else
        _why=$(printf '%s\n' "$_out" | sed -n 's/^model-init: //p' | tr '\n' ';' | sed 's/;$//')
        report model DOWN "${_why:-model-init could not run: $(first_line "$_out")}"
    fi
}

app_url() {
    if [ -n "${APP_URL:-}" ]; then
        printf '%s' "$APP_URL"
        return 0
    fi
    _published=$(compose port app 8080 2>/dev/null | tail -n 1) || return 1
    [ -n "$_published" ] || return 1
    # 0.0.0.0:8080 or [::]:8080 -> a loopback address this host can call
    printf 'http://127.0.0.1:%s' "${_published##*:}"
}

# One actuator probe, asked with curl inside the app container on its management port. The
# container's own MANAGEMENT_PORT is used (single quotes on purpose).
# shellcheck disable=SC2016
check_probe() {
    _response=$(compose exec -T app sh -c 'exec curl -sS --max-time 5 -w "\n%{http_code}" "http://127.0.0.1:${MANAGEMENT_PORT:-9000}/actuator/health/'"$1"'"' 2>&1)
    _code=$(printf '%s\n' "$_response" | tail -n 1)
    _body=$(printf '%s\n' "$_response" | sed '$d')
    if [ "$_code" = 200 ]; then
        report "$1" OK "/actuator/health/$1 is UP"
    elif printf '%s' "$_code" | grep -Eq '^[0-9]{3}$' && [ "$_code" != 000 ]; then
        report "$1" DOWN "/actuator/health/$1 answers $_code: $(first_line "$_body")"
    else
        report "$1" DOWN "/actuator/health/$1 did not answer (is the app running? docker compose ps app): $(first_line "$_response")"
    fi
}

check_app() {
    check_probe liveness
    check_probe readiness
    if ! _url=$(app_url); then
        report health DOWN "the app publishes no port (is it running? docker compose ps app); set APP_URL to probe it elsewhere"
        return
    fi
    _code=$("$CURL" -s -o /dev/null --max-time 5 -w '%{http_code}' "$_url/health" 2>/dev/null)
    if [ "$_code" = 200 ]; then
        report health OK "$_url/health answers 200"
    else
        report health DOWN "$_url/health answers ${_code:-nothing} (503 while the model loads)"
    fi
}

cd "$PROJECT_DIR" || exit 2
if [ -n "$ENV_FILE_GIVEN" ] && [ ! -f "$ENV_FILE" ]; then
    printf 'health-check: error: %s\n' "ENV_FILE=$ENV_FILE does not exist" >&2
    exit 2
fi
if ! "$DOCKER" compose version >/dev/null 2>&1; then
    printf 'health-check: error: %s\n' "'$DOCKER compose' does not work: install Docker and its Compose plugin" >&2
    exit 2
fi
check_db
check_migrations
check_model
check_app
exit "$FAILED"
