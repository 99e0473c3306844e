#!/usr/bin/env bash
# The service target, measured in pairs: the packaged service stays up and warm while the offline
# engine (length-sorted batches of 32, the same 2048 short sentences) and wrk at concurrency 64
# take turns, so that each pair sees the same machine state. Prints one line per pair with both
# rates, their ratio and the service's batch statistics over its run.
#   bench/paired.sh MODEL_DIR minilm|real [warm-up seconds (default 180)] [pairs (default 3)]
# Needs `mvn -B -DskipTests package` and wrk. MODEL_DIR is the directory the engine's --model
# names (bench/write-minilm.sh, bench/real-shape-model.sh).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
MODEL_DIR="$1"; ENGINE_MODEL="$2"; WARM_UP="${3:-180}"; PAIRS="${4:-3}"
PORT="${BENCH_PORT:-18080}"; URL="http://127.0.0.1:$PORT"
MANAGEMENT_PORT="${BENCH_MANAGEMENT_PORT:-18081}"; MANAGEMENT_URL="http://127.0.0.1:$MANAGEMENT_PORT"
JARS=("$ROOT"/target/embedserve-*.jar); JAR="${JARS[0]}"
source "$ROOT/bench/native-env.sh"
SERVER_ADDRESS=127.0.0.1 MODEL_PATH="$MODEL_DIR" PORT="$PORT" MANAGEMENT_PORT="$MANAGEMENT_PORT" \
  java -jar "$JAR" > "${TMPDIR:-/tmp}/embedserve-bench-service.log" 2>&1 &
SERVICE=$!
trap 'kill $SERVICE 2>/dev/null; wait $SERVICE 2>/dev/null || true' EXIT
for _ in $(seq 1 600); do curl -sf "$URL/health" > /dev/null && break; sleep 0.5; done

drive() { wrk -t1 -c64 -d"$1"s --timeout 30s -s "$ROOT/bench/wrk-embed.lua" "$URL"; }
# The embedding model's batches (a reranker's are the series with model="cross-encoder").
batches() { curl -s "$MANAGEMENT_URL/actuator/prometheus" \
    | grep -E '^embedserve_batch_(size_inputs|inference_seconds)_(count|sum)\{model="embedding"\} ' | sed 's/{[^}]*}//'; }

# The HTTP path is JIT-compiled per method after ~10k calls: throughput keeps rising for minutes.
drive "$WARM_UP" > /dev/null
for pair in $(seq 1 "$PAIRS"); do
  offline=$("$ROOT/bench/engine.sh" --model "$ENGINE_MODEL" --corpora short \
      --short-count 2048 --batches 32 --engines djl --threads 2 --seconds 15 --warmup 3 --rounds 2 \
      --gemm-reps 3 --initial-warmup 0 2>/dev/null | sed -n 's/.*MEDIAN [a-z]* djl [^ ]* B=32: \([0-9.]*\) sentences\/s.*/\1/p')
  before=$(batches)
  report=$(drive 30)
  after=$(batches)
  served=$(sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' <<< "$report")
  errors=$(sed -n 's/^non-2xx or socket errors: \([0-9]*\).*/\1/p' <<< "$report")
  stats=$(paste <(echo "$before") <(echo "$after") | awk '{d[$1] = $4 - $2} END {
      n = d["embedserve_batch_size_inputs_count"]
      printf "%d batches, mean size %.1f, mean batch %.1f ms", n,
          d["embedserve_batch_size_inputs_sum"] / n, 1000 * d["embedserve_batch_inference_seconds_sum"] / n}')
  echo "pair $pair: offline $offline sentences/s, service $served requests/s ($errors errors)," \
       "ratio $(awk -v s="$served" -v o="$offline" 'BEGIN {printf "%.2f", s / o}'); $stats"
done
