#!/usr/bin/env bash
# Start-up timeline of the packaged service, for probe thresholds (docs/KUBERNETES.md): starts
# the jar RUNS times on a free loopback port and reports, per run, seconds from process start
# until liveness answers UP, until readiness answers UP, and the model load + warm-up time the
# service logs ("Model ready in N ms").
#
#   bench/startup.sh MODEL_DIR [RUNS] [INFERENCE_THREADS]
#   CPU_SET=0 bench/startup.sh MODEL_DIR 3 1     # pinned to one core, as a pod with cpu: 1
#
# Needs `mvn -B -DskipTests package` first. Uses the management port when the service has one
# (MANAGEMENT_PORT), else the public port.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
source "$ROOT/bench/native-env.sh"
MODEL_DIR="${1:?usage: bench/startup.sh MODEL_DIR [RUNS] [INFERENCE_THREADS]}"
RUNS="${2:-3}"
THREADS="${3:-2}"
JAR="$(ls "$ROOT"/target/embedserve-*.jar | head -n 1)"
LOG="$(mktemp)"
trap 'rm -f "$LOG"' EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
now() { date +%s.%N; }
up() { curl -fsS -o /dev/null "http://127.0.0.1:$1$2" 2>/dev/null; }

echo "run liveness_s readiness_s model_ready_ms (jar $(basename "$JAR"), INFERENCE_THREADS=$THREADS, $(nproc) CPUs)"
for run in $(seq 1 "$RUNS"); do
    port=$(free_port)
    management=$(free_port)
    start=$(now)
    PORT=$port MANAGEMENT_PORT=$management MODEL_PATH="$MODEL_DIR" INFERENCE_THREADS="$THREADS" \
        ${CPU_SET:+taskset -c "$CPU_SET"} java -XX:MaxRAMPercentage=40 -Dai.djl.offline=true -jar "$JAR" >"$LOG" 2>&1 &
    pid=$!
    # Actuator answers on the management port when the build has one; older builds answer on PORT.
    probe_port=""
    live=""
    ready=""
    for _ in $(seq 1 1200); do
        kill -0 "$pid" 2>/dev/null || { cat "$LOG" >&2; echo "service exited" >&2; exit 1; }
        if [ -z "$probe_port" ]; then
            if up "$management" /actuator/health/liveness; then probe_port=$management
            elif up "$port" /actuator/health/liveness; then probe_port=$port; fi
        fi
        if [ -n "$probe_port" ] && [ -z "$live" ]; then live=$(echo "$(now) - $start" | bc); fi
        if [ -n "$probe_port" ] && up "$probe_port" /actuator/health/readiness; then
            ready=$(echo "$(now) - $start" | bc)
            break
        fi
        sleep 0.1
    done
    model_ms=$(sed -n 's/.*Model ready in \([0-9]*\) ms.*/\1/p' "$LOG" | head -n 1)
    kill "$pid"
    wait "$pid" 2>/dev/null || true
    printf '%d %.1f %.1f %s\n' "$run" "$live" "$ready" "${model_ms:-?}"
done
