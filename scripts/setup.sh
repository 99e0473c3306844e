#!/bin/sh
# Pre-flight checks for the EmbedServe stack, then `docker compose up -d`.
#
#   scripts/setup.sh [--dry-run] [extra docker compose up arguments, e.g. --build]
#
# Checks, in order, each stopping with a message that says what to do:
#   1. .env exists and no secret still holds a placeholder from .env.example (change-me); API_KEY
#      may be empty only with API_KEY_REQUIRED=false (an open API), and then a warning if the API
#      is published beyond loopback (APP_BIND)
#   2. docker and its compose plugin are installed and the engine answers
#   3. every host port the stack publishes is free
#
# Environment (defaults in brackets): PROJECT_DIR [the repository], ENV_FILE [$PROJECT_DIR/.env],
# DOCKER [docker]. COMPOSE_FILE and COMPOSE_PROFILES are honoured by docker compose itself.
set -eu

PROG=setup
PROJECT_DIR=${PROJECT_DIR:-$(cd "$(dirname "$0")/.." && pwd)}
ENV_FILE=${ENV_FILE:-$PROJECT_DIR/.env}
ENV_EXAMPLE=$PROJECT_DIR/.env.example
DOCKER=${DOCKER:-docker}
PLACEHOLDER=change-me

DRY_RUN=0
if [ "${1:-}" = --dry-run ]; then
    DRY_RUN=1
    shift
fi

say() { printf '%s: %s\n' "$PROG" "$*"; }
fail() {
    printf '%s: error: %s\n' "$PROG" "$*" >&2
    exit 1
}

# The value a dotenv file gives KEY (last assignment wins, surrounding quotes removed).
env_value() {
    sed -n "s/^[[:space:]]*\(export[[:space:]]\{1,\}\)\{0,1\}$1[[:space:]]*=[[:space:]]*//p" "$2" |
        tail -n 1 | sed -e 's/[[:space:]]*$//' -e "s/^\"\(.*\)\"$/\1/" -e "s/^'\(.*\)'$/\1/"
}

check_env_file() {
    if [ ! -f "$ENV_FILE" ]; then
        fail "$ENV_FILE not found. Create it from the template and set the secrets:
    cp $ENV_EXAMPLE $ENV_FILE    # then replace every '$PLACEHOLDER' value"
    fi
    _problems=
    # Every key that .env.example gives a placeholder must have a real value in .env.
    # shellcheck disable=SC2013 # keys are single words by the pattern
    for _key in $(sed -n "s/^[[:space:]]*\([A-Za-z_][A-Za-z0-9_]*\)[[:space:]]*=.*$PLACEHOLDER.*/\1/p" "$ENV_EXAMPLE"); do
        _value=$(env_value "$_key" "$ENV_FILE")
        if [ -z "$_value" ] && [ "$_key" = API_KEY ] && [ "$(env_value API_KEY_REQUIRED "$ENV_FILE")" = false ]; then
            continue # an open API, said explicitly
        elif [ -z "$_value" ] && [ "$_key" = API_KEY ]; then
            _problems="$_problems
    API_KEY is not set in $ENV_FILE (the service would refuse to start: set a key, or API_KEY_REQUIRED=false for an open API)"
        elif [ -z "$_value" ]; then
            _problems="$_problems
    $_key is not set in $ENV_FILE"
        else
            case $_value in
                *"$PLACEHOLDER"*) _problems="$_problems
    $_key in $ENV_FILE still has the placeholder value from .env.example" ;;
            esac
        fi
    done
    [ -z "$_problems" ] || fail "secrets are not set:$_problems
Edit $ENV_FILE and choose real values."
    say "ok   $ENV_FILE has no placeholder secrets"
    _bind=$(env_value APP_BIND "$ENV_FILE")
    case ${_bind:-127.0.0.1} in
        127.0.0.1 | localhost | ::1 | '[::1]') ;;
        *) [ -n "$(env_value API_KEY "$ENV_FILE")" ] ||
            say "warn APP_BIND=$_bind publishes the API beyond this machine and API_KEY is empty: anyone who reaches it can use it" ;;
    esac
}

check_docker() {
    command -v "$DOCKER" >/dev/null 2>&1 ||
        fail "'$DOCKER' not found on PATH: install Docker Engine"
    "$DOCKER" compose version >/dev/null 2>&1 ||
        fail "'$DOCKER compose' does not work: install the Docker Compose plugin (package docker-compose-plugin)"
    "$DOCKER" info >/dev/null 2>&1 ||
        fail "cannot reach the Docker engine: is the daemon running, and may $(id -un) use it (docker group)?"
    say "ok   docker $("$DOCKER" compose version --short 2>/dev/null || echo '(compose plugin)') and its engine answer"
}

# Host ports the effective compose configuration publishes, from either output style:
#   published: "8080"        (long syntax, docker compose v2)
#   - 127.0.0.1:8080:8080/tcp (short syntax)
published_ports() {
    "$DOCKER" compose --env-file "$ENV_FILE" config 2>/dev/null | sed -n \
        -e 's/^[[:space:]]*\(-[[:space:]]*\)\{0,1\}published:[[:space:]]*"\{0,1\}\([0-9][0-9]*\)"\{0,1\}[[:space:]]*$/\2/p' \
        -e 's/^[[:space:]]*-[[:space:]]*"\{0,1\}\([0-9.]*:\)\{0,1\}\([0-9][0-9]*\):[0-9][0-9]*\(\/[a-z]*\)\{0,1\}"\{0,1\}[[:space:]]*$/\2/p' |
        sort -u
}

port_in_use() {
    if command -v ss >/dev/null 2>&1; then
        [ -n "$(ss -Htln "sport = :$1" 2>/dev/null)" ]
    elif command -v netstat >/dev/null 2>&1; then
        netstat -tln 2>/dev/null | awk '{ print $4 }' | grep -Eq "[:.]$1\$"
    else
        return 1
    fi
}

check_ports() {
    if ! command -v ss >/dev/null 2>&1 && ! command -v netstat >/dev/null 2>&1; then
        say "warn cannot check ports: neither ss nor netstat is installed"
        return 0
    fi
    _ports=$(published_ports)
    _busy=
    for _port in $_ports; do
        if port_in_use "$_port"; then
            _busy="$_busy $_port"
        fi
    done
    [ -z "$_busy" ] || fail "port(s)$_busy already in use on this host, but the stack publishes them.
Stop what listens there (ss -ltnp | grep <port>), or pick other ports in $ENV_FILE (APP_PORT, DB_PORT, PROMETHEUS_PORT)."
    say "ok   published ports free: $(printf '%s' "$_ports" | tr '\n' ' ')"
}

cd "$PROJECT_DIR"
check_env_file
check_docker
check_ports

if [ "$DRY_RUN" = 1 ]; then
    say "dry run: would run: $DOCKER compose --env-file $ENV_FILE up -d${*:+ $*}"
    exit 0
fi
say "starting: $DOCKER compose --env-file $ENV_FILE up -d${*:+ $*}"
"$DOCKER" compose --env-file "$ENV_FILE" up -d "$@"
say "started. The app turns healthy once the model is loaded; follow with: scripts/health-check.sh"
