#!/usr/bin/env bash
# Queue depth against latency, for the autoscaling target (docs/KUBERNETES.md, "Autoscaling").
# Starts the packaged service on MODEL_DIR, then for each concurrency runs bench/load.sh for
# SECONDS while sampling embedserve_queue_depth from /actuator/prometheus twice a second, and
# prints one line per concurrency: throughput and p95 from the load generator, and the mean and
# 95th percentile of the sampled queue depth.
#
#   bench/queue-depth.sh MODEL_DIR ["1 2 4 8 16 32 64"] [SECONDS] [INFERENCE_THREADS]
#
# Needs `mvn -B -DskipTests package` first. Loopback only.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
source "$ROOT/bench/native-env.sh"
MODEL_DIR="${1:?usage: bench/queue-depth.sh MODEL_DIR [CONCURRENCIES] [SECONDS] [INFERENCE_THREADS]}"
CONCURRENCIES="${2:-1 2 4 8 16 32 64}"
SECONDS_PER_RUN="${3:-30}"
THREADS="${4:-2}"
JAR="$(ls "$ROOT"/target/embedserve-*.jar | head -n 1)"
WORK="$(mktemp -d)"
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$WORK"' EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
port=$(free_port)
management=$(free_port)
SERVER_ADDRESS=127.0.0.1 PORT=$port MANAGEMENT_PORT=$management MODEL_PATH="$MODEL_DIR" INFERENCE_THREADS="$THREADS" \
    java -XX:MaxRAMPercentage=40 -Dai.djl.offline=true -jar "$JAR" >"$WORK/service.log" 2>&1 &
pid=$!

metrics=""
for _ in $(seq 1 600); do
    for p in "$management" "$port"; do
        if curl -fsS -o /dev/null "http://127.0.0.1:$p/actuator/health/readiness" 2>/dev/null; then
            metrics="http://127.0.0.1:$p/actuator/prometheus"
            break 2
        fi
    done
    sleep 0.5
done
[ -n "$metrics" ] || { cat "$WORK/service.log" >&2; exit 1; }

# Warm the JIT and the allocator before measuring (docs/PERFORMANCE.md: throughput rises for minutes).
SKIP_BUILD=1 "$ROOT/bench/load.sh" --url "http://127.0.0.1:$port" --concurrency 16 --seconds 20 >/dev/null

echo "date=$(date -u +%Y-%m-%dT%H:%MZ) model=$MODEL_DIR INFERENCE_THREADS=$THREADS cpus=$(nproc) seconds=$SECONDS_PER_RUN"
echo "concurrency requests/s p50_ms p95_ms queue_mean queue_p95"
for c in $CONCURRENCIES; do
    : >"$WORK/depth"
    (
        trap - EXIT # the parent's trap would stop the service when this sampler is killed
        while true; do
            curl -fsS "$metrics" 2>/dev/null | awk '/^embedserve_queue_depth\{model="embedding"\} /{ print $2 }' >>"$WORK/depth"
            sleep 0.5
        done
    ) &
    sampler=$!
    SKIP_BUILD=1 "$ROOT/bench/load.sh" --url "http://127.0.0.1:$port" --concurrency "$c" \
        --seconds "$SECONDS_PER_RUN" >"$WORK/load" 2>"$WORK/load.err" || { cat "$WORK/load.err" >&2; tail -n 20 "$WORK/service.log" >&2; exit 1; }
    kill "$sampler"
    wait "$sampler" 2>/dev/null || true
    rps=$(sed -n 's/^throughput: \([0-9.]*\) requests.*/\1/p' "$WORK/load")
    p50=$(sed -n 's/.*p50=\([0-9.]*\).*/\1/p' "$WORK/load")
    p95=$(sed -n 's/.*p95=\([0-9.]*\).*/\1/p' "$WORK/load")
    depth=$(sort -g "$WORK/depth" | awk '{ v[NR] = $1; s += $1 }
        END { if (NR == 0) { print "? ?"; exit } i = int(NR * 0.95 + 0.5); if (i < 1) i = 1; printf "%.1f %.0f", s / NR, v[i] }')
    echo "$c $rps $p50 $p95 $depth"
done
