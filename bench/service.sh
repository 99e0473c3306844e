#!/usr/bin/env bash
# The packaged service over HTTP (C clients, one text per request) against LangChain4j's in-process
# embedAll on the same texts, in interleaved rounds (ServiceBenchmark's javadoc).
#   bench/service.sh MODEL_DIR [ServiceBenchmark flags: --concurrency 32 --seconds 20 --rounds 3 --warmup 60]
# Service settings pass through the environment (DTYPE=bfloat16 bench/service.sh ...); the service
# is warmed up for SERVICE_WARMUP seconds (default 60) first, and its minor page faults over the
# measured rounds are printed at the end, with the batches it formed and its CPU time by thread.
# Ports: BENCH_PORT (18080) for the API, BENCH_MANAGEMENT_PORT (18081) for the metrics. The jar is
# built when missing; MODEL_DIR comes from bench/write-minilm.sh.
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
MANAGEMENT_PORT="${BENCH_MANAGEMENT_PORT:-18081}"; MANAGEMENT_URL="http://127.0.0.1:$MANAGEMENT_PORT"
LOG="${TMPDIR:-/tmp}/embedserve-bench-service.log"
SERVER_ADDRESS=127.0.0.1 MODEL_PATH="$MODEL_DIR" PORT="$PORT" MANAGEMENT_PORT="$MANAGEMENT_PORT" java -jar "${JARS[0]}" > "$LOG" 2>&1 &
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
# CPU ticks (utime + stime) per thread kind; OpenMP threads carry their creator's name.
thread_cpu() {
    for t in /proc/"$SERVICE"/task/*; do
        name=$(tr ' ' '_' < "$t/comm"); ticks=$(sed 's/.*) //' "$t/stat" | awk '{print $12 + $13}')
        echo "$name $ticks"
    done | sed -E 's/[-_]?[0-9]+ / /; s/^(http-nio|tokenizer|inference-worker|C[12]_Compiler|G1|GC).* /\1 /' \
        | awk '{sum[$1] += $2} END {for (k in sum) print k, sum[k]}' | sort
}
# The embedding model's batches (a reranker's are the series with model="cross-encoder").
batches() { curl -s "$MANAGEMENT_URL/actuator/prometheus" \
    | grep -E '^embedserve_batch_(size_inputs|inference_seconds)_(count|sum)\{model="embedding"\} ' | sed 's/{[^}]*}//'; }
FAULTS_BEFORE=$(faults); CPU_BEFORE=$(thread_cpu); BATCHES_BEFORE=$(batches)
bench_java io.embedserve.bench.ServiceBenchmark --url "$URL" "$@"
echo "service minor page faults during the rounds: $(( $(faults) - FAULTS_BEFORE ))"
paste <(echo "$BATCHES_BEFORE") <(batches) | awk '{d[$1] = $4 - $2} END {n = d["embedserve_batch_size_inputs_count"];
    if (n > 0) printf "service batches during the rounds: %d, mean %.1f inputs, mean %.1f ms each\n", n,
        d["embedserve_batch_size_inputs_sum"] / n, 1000 * d["embedserve_batch_inference_seconds_sum"] / n}'
echo "service CPU seconds during the rounds, by thread (OpenMP threads count as inference-worker):"
join <(echo "$CPU_BEFORE") <(thread_cpu) | awk -v hz="$(getconf CLK_TCK)" '$3 > $2 {printf "  %-20s %7.1f\n", $1, ($3 - $2) / hz}' \
    | sort -k2 -nr | head -8
