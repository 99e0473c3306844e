#!/usr/bin/env bash
# CPU time per request under HTTP load: one server, warmed up, then wrk for SECONDS; prints requests/s,
# latency and the server process's user + system CPU milliseconds per answered request. CPU per
# request counts only the work the server did, so it stays comparable when other work shares the
# machine (requests/s does not). Runs the packaged jar with jemalloc preloaded and the image's native
# settings, or, with SERVER=peer, the HTTP peer (LangChain4j behind the JDK's HttpServer).
#
#   bench/cpu-per-request.sh LABEL SECONDS CONNECTIONS BODIES [VAR=VALUE ...]
#   e.g. bench/cpu-per-request.sh 1x2 20 32 /tmp/embedserve-http/bodies-retrieval.jsonl \
#            INFERENCE_WORKERS=1 INFERENCE_THREADS=2
#        SERVER=peer bench/cpu-per-request.sh peer 20 32 /tmp/embedserve-http/bodies-retrieval.jsonl
# BODIES is a request-bodies file as bench/http.sh writes it into its --out folder. MODEL_DIR (default
# /tmp/minilm, written by bench/write-minilm.sh when missing) is what the service serves; JAR (default
# the packaged target/embedserve-*.jar) the build that serves it, to compare two builds; JAVA_OPTS
# JVM options after the service's own (src/main/resources/io/embedserve/inference/jvm-options),
# e.g. JAVA_OPTS=-XX:TieredStopAtLevel=4 for the full JIT; WARM
# (default 20) the seconds of load before the measured run. For the service it also prints the
# tokens its requests held per second of the run (from its Prometheus counters), which compares
# with the engine benchmark's "real tok/s", and a second line that splits the CPU by thread group
# (inference workers, request threads, JIT compilers, the rest) with the request threads' wake-ups
# (voluntary context switches) and the workers' preemptions (involuntary ones) per request. Needs wrk.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
label=$1; seconds=$2; connections=$3; bodies=$4; shift 4
model_dir="${MODEL_DIR:-/tmp/minilm}"
warm="${WARM:-20}"
port=$((20000 + RANDOM % 10000)); management=$((port + 1))
log="/tmp/cpu-per-request-$label.log"

if [ "${SERVER:-service}" = peer ]; then
    source "$ROOT/bench/common.sh"
    java -Dsun.net.httpserver.nodelay=true -cp "$CLASSPATH_BENCH" io.embedserve.bench.HttpPeerServer --port "$port" \
        > "$log" 2>&1 &
else
    [ -d "$model_dir" ] || "$ROOT/bench/write-minilm.sh" "$model_dir"
    jars=("$ROOT"/target/embedserve-*.jar)
    jar="${JAR:-${jars[0]}}"
    (
        while IFS='=' read -r name value; do
            [ -n "$name" ] && [ "${name#\#}" = "$name" ] && export "$name=$value"
        done < "$ROOT/src/main/resources/io/embedserve/inference/native-environment.properties"
        export LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2
        export SERVER_ADDRESS=127.0.0.1 MODEL_PATH="$model_dir" PORT="$port" MANAGEMENT_PORT="$management"
        for setting in "$@"; do export "${setting?}"; done
        # shellcheck disable=SC2046,SC2086
        exec java $(grep -v -e '^#' -e '^$' "$ROOT/src/main/resources/io/embedserve/inference/jvm-options") \
            ${JAVA_OPTS:-} -jar "$jar"
    ) > "$log" 2>&1 &
fi
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 600); do
    curl -sf "http://127.0.0.1:$port/health" > /dev/null && break
    sleep 0.5
done
url="http://127.0.0.1:$port"
# The tokens the service's answered requests held so far (its embedding model's counter); empty for the peer.
request_tokens() {
    curl -sf "http://127.0.0.1:$management/actuator/prometheus" 2>/dev/null \
        | awk '/^embedserve_request_tokens_sum/ && /model="embedding"/ {print $2}' || true
}
wrk -t1 -c"$connections" -d"${warm}s" --timeout 30s -s "$ROOT/bench/wrk-corpus.lua" "$url" -- "$bodies" > /dev/null
# The JVM is the server's only child process (the subshell above exec'd into it).
jvm=$(pgrep -P "$server" java || echo "$server")
cpu_before=$(awk '{print $14 + $15}' "/proc/$jvm/stat")
tokens_before=$(request_tokens)
# One line per thread: id, group, CPU ticks, voluntary and involuntary context switches.
thread_snapshot() {
    for task in /proc/"$jvm"/task/*; do
        name=$(cat "$task/comm" 2>/dev/null) || continue
        case $name in
            inference-worke*) group=workers ;;
            http-nio*) group=request ;;
            C1\ Compiler* | C2\ Compiler*) group=jit ;;
            *) group=other ;;
        esac
        ticks=$(awk '{print $14 + $15}' "$task/stat" 2>/dev/null) || continue
        switches=$(awk '/^voluntary_ctxt/ {v = $2} /^nonvoluntary_ctxt/ {n = $2} END {print v, n}' "$task/status" 2>/dev/null) || continue
        echo "${task##*/} $group $ticks $switches"
    done | sort
}
threads_before=$(thread_snapshot)
out=$(wrk -t1 -c"$connections" -d"${seconds}s" --timeout 30s --latency -s "$ROOT/bench/wrk-corpus.lua" "$url" -- "$bodies")
cpu_after=$(awk '{print $14 + $15}' "/proc/$jvm/stat")
tokens_after=$(request_tokens)
threads_after=$(thread_snapshot)
ticks=$(getconf CLK_TCK)
requests=$(echo "$out" | awk '/requests in/ {print $1}')
rss=$(awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$jvm/status")
echo "$label connections=$connections requests/s=$(echo "$out" | awk '/Requests\/sec/ {print $2}')" \
    "p50=$(echo "$out" | awk '$1 == "50%" {print $2}') p99=$(echo "$out" | awk '$1 == "99%" {print $2}')" \
    "cpu_ms_per_request=$(awk -v a="$cpu_before" -v b="$cpu_after" -v t="$ticks" -v n="$requests" 'BEGIN {printf "%.1f", (b - a) * 1000 / t / n}')" \
    "${tokens_after:+tokens/s=$(awk -v a="$tokens_before" -v b="$tokens_after" -v s="$seconds" 'BEGIN {printf "%.0f", (b - a) / s}') }rss_mib=$rss $(echo "$out" | grep -E 'Non-2xx|Socket errors' | tr '\n' ' ')load=$(cut -d' ' -f1 /proc/loadavg)"
# Threads that ended during the run drop out; threads that began count from zero.
join -a 2 <(echo "$threads_before") <(echo "$threads_after") | awk -v t="$(getconf CLK_TCK)" -v n="$requests" '
    NF == 5 { cpu[$2] += $3; vol[$2] += $4; invol[$2] += $5 }
    NF == 9 { cpu[$6] += $7 - $3; vol[$6] += $8 - $4; invol[$6] += $9 - $5 }
    END {
        printf "  cpu_ms_per_request: workers=%.1f request_threads=%.2f jit=%.2f other=%.2f;", \
            cpu["workers"] * 1000 / t / n, cpu["request"] * 1000 / t / n, cpu["jit"] * 1000 / t / n, cpu["other"] * 1000 / t / n
        printf " request_thread_wakeups_per_request=%.1f worker_preemptions_per_request=%.1f\n", vol["request"] / n, invol["workers"] / n
    }'
