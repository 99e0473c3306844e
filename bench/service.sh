#!/usr/bin/env bash
# The packaged service over HTTP (C clients, one text per request) against LangChain4j's in-process
# embedAll on the same texts, in interleaved rounds (ServiceBenchmark's javadoc).
#   bench/service.sh MODEL_DIR [ServiceBenchmark flags: --concurrency 32 --seconds 20 --rounds 3 --warmup 60]
# Service settings pass through the environment (DTYPE=bfloat16 bench/service.sh ...); the service
# is warmed up for SERVICE_WARMUP seconds (default 60) first, and its minor page faults over the
# measured rounds are printed at the end. The jar is built when missing; MODEL_DIR comes from
# bench/write-minilm.sh.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
MODEL_DIR="$1"; shift
source "$ROOT/bench/common.sh"
JARS=("$BUILD_DIR"/embedserve-*.jar)
if [ ! -f "${JARS[0]}" ]; then
    mvn_quiet -DskipTests package
    JARS=("$BUILD_DIR"/embedserve-*.jar)
fi
PORT="${BENCH_PORT:-18080}"; URL="http://127.0.0.1:$PORT"
LOG="${TMPDIR:-/tmp}/embedserve-bench-service.log"
MODEL_PATH="$MODEL_DIR" PORT="$PORT" java -jar "${JARS[0]}" > "$LOG" 2>&1 &
SERVICE=$!
trap 'kill $SERVICE 2>/dev/null; wait $SERVICE 2>/dev/null || true' EXIT
for _ in $(seq 1 600); do curl -sf "$URL/health" > /dev/null && break; sleep 0.5; done
curl -sf "$URL/health" > /dev/null || { echo "service did not become healthy; see $LOG" >&2; exit 1; }
echo "service: $(curl -s "$URL/info" | tr -d '\n' | cut -c1-200)"
echo "service environment: DTYPE=${DTYPE:-float32} OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-unset}" \
     "MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-unset} MALLOC_MMAP_THRESHOLD_=${MALLOC_MMAP_THRESHOLD_:-unset}" \
     "MALLOC_TRIM_THRESHOLD_=${MALLOC_TRIM_THRESHOLD_:-unset} LD_PRELOAD=${LD_PRELOAD:-unset}"
bench_java() {
    ( unset LD_PRELOAD; java ${JAVA_OPTS:-} -Dai.djl.offline=true \
        -Dlogback.configurationFile="$ROOT/bench/logback-bench.xml" -cp "$CLASSPATH_BENCH" "$@" )
}
# The HTTP path is JIT-compiled per method after ~10k calls, and PyTorch's first minute is slower:
# warm the service up before any figure counts.
echo "service warm-up: ${SERVICE_WARMUP:-60} s at 32 clients on the retrieval corpus"
bench_java io.embedserve.bench.LoadGenerator --url "$URL" --concurrency 32 --seconds "${SERVICE_WARMUP:-60}" \
    --corpus retrieval > /dev/null
faults() { awk '{print $10}' "/proc/$SERVICE/stat"; }
FAULTS_BEFORE=$(faults)
bench_java io.embedserve.bench.ServiceBenchmark --url "$URL" "$@"
echo "service minor page faults during the rounds: $(( $(faults) - FAULTS_BEFORE ))"
