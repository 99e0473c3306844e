#!/bin/sh
# A stand-in for the docker CLI in the operator-script tests. Every call is appended to
# $FAKE_DOCKER_LOG. `compose exec` and `compose run` run the requested command on this machine
# (against the test's Postgres and hf_cache folder), so the scripts' real commands are exercised.
#
#   FAKE_NO_COMPOSE=1        `docker compose` is not installed
#   FAKE_ENGINE_DOWN=1       `docker info` cannot reach an engine
#   FAKE_COMPOSE_CONFIG      file printed by `docker compose config`
#   FAKE_APP_PORT            host port `docker compose port app 8080` reports (unset: none)
#   FAKE_MODEL_INIT          copy-model.sh run for `docker compose run ... model-init ARGS`
#   FAKE_NO_IMAGE=1          `docker image inspect` finds no image
printf '%s\n' "$*" >>"${FAKE_DOCKER_LOG:-/dev/null}"

case "${1:-}" in
    info)
        [ -z "${FAKE_ENGINE_DOWN:-}" ] || { echo "Cannot connect to the Docker daemon" >&2; exit 1; }
        exit 0 ;;
    image)
        [ "${2:-}" = inspect ] || { echo "fake docker: unsupported: $*" >&2; exit 99; }
        [ -z "${FAKE_NO_IMAGE:-}" ] || { echo "Error: No such image: ${3:-}" >&2; exit 1; }
        echo "[{\"RepoTags\": [\"${3:-}\"]}]"
        exit 0 ;;
    compose) shift ;;
    *) echo "fake docker: unsupported: $*" >&2; exit 99 ;;
esac
[ -z "${FAKE_NO_COMPOSE:-}" ] || { echo "docker: unknown command: docker compose" >&2; exit 1; }

while [ "${1:-}" = --env-file ] || [ "${1:-}" = -f ]; do shift 2; done
command=$1
shift
case $command in
    version) echo "2.40.0-fake" ;;
    config)
        if [ "${1:-}" = --images ]; then
            echo "embedserve-model-init:${2:-fake}"
        else
            cat "${FAKE_COMPOSE_CONFIG:-/dev/null}"
        fi ;;
    up) echo "fake: up $*" ;;
    port)
        [ -n "${FAKE_APP_PORT:-}" ] || exit 1
        echo "0.0.0.0:$FAKE_APP_PORT" ;;
    exec | run)
        while case "${1:-}" in -*) true ;; *) false ;; esac do
            case $1 in --pull | --user | --entrypoint | -e | --env) shift ;; esac
            shift
        done
        service=$1
        shift
        if [ "$service" = model-init ]; then
            exec sh "$FAKE_MODEL_INIT" "$@"
        fi
        exec "$@" ;;
    *) echo "fake docker: unsupported compose command: $command" >&2; exit 99 ;;
esac
