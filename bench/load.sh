#!/usr/bin/env bash
# HTTP load generator against a running service on loopback (see LoadGenerator's javadoc).
# Example: bench/load.sh --url http://127.0.0.1:8080 --concurrency 64 --seconds 30 --corpus short
source "$(dirname "$0")/common.sh"
run_bench LoadGenerator "$@"
