#!/usr/bin/env bash
# Serves MODEL_DIR with the packaged jar on loopback and drives it with the load generator at
# each concurrency and corpus, after a warm-up run; prints one report per run.
#   bench/http.sh MODEL_DIR [concurrencies (default "1 8 64")] [corpora (default "short mixed")] [seconds (default 20)]
# Needs `mvn -B -DskipTests package` first. Extra service settings pass through the environment.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
MODEL_DIR="$1"; CONCURRENCIES="${2:-1 8 64}"; CORPORA="${3:-short mixed}"; SECONDS_PER_RUN="${4:-20}"
PORT="${BENCH_PORT:-18080}"; MANAGEMENT_PORT="${BENCH_MANAGEMENT_PORT:-18081}"
MANAGEMENT_URL="http://127.0.0.1:$MANAGEMENT_PORT"
JAR="$(ls "$ROOT"/target/embedserve-*.jar | head -n 1)"
source "$ROOT/bench/native-env.sh"
MODEL_PATH="$MODEL_DIR" PORT="$PORT" MANAGEMENT_PORT="$MANAGEMENT_PORT" \
  java -jar "$JAR" > "${TMPDIR:-/tmp}/embedserve-bench-service.log" 2>&1 &
SERVICE=$!
trap 'kill $SERVICE 2>/dev/null; wait $SERVICE 2>/dev/null || true' EXIT
for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$PORT/health" > /dev/null && break; sleep 0.5; done
URL="http://127.0.0.1:$PORT"
"$ROOT/bench/load.sh" --url "$URL" --concurrency 64 --seconds 10 --corpus short > /dev/null  # JIT warm-up
for corpus in $CORPORA; do
  for c in $CONCURRENCIES; do
    echo "## model=$(basename "$MODEL_DIR") corpus=$corpus concurrency=$c"
    SKIP_BUILD=1 "$ROOT/bench/load.sh" --url "$URL" --concurrency "$c" --seconds "$SECONDS_PER_RUN" --corpus "$corpus"
  done
done
curl -s "$MANAGEMENT_URL/actuator/prometheus" | grep -E '^embedserve_batch_(size_inputs|tokens)_(count|sum|max) ' || true
