#!/usr/bin/env bash
# HTTP load generator against a running service on loopback; see LoadGenerator's javadoc.
# Example: bench/load.sh --url http://127.0.0.1:8080 --concurrency 64 --seconds 30 --corpus short
set -euo pipefail
CP="$("$(dirname "$0")/classpath.sh")"
exec java -cp "$CP" io.embedserve.bench.LoadGenerator "$@"
