#!/usr/bin/env bash
# EmbedServe over HTTP beside the HTTP peer (LangChain4j's all-MiniLM-L6-v2 behind the JDK's
# HttpServer) and LangChain4j in-process, in interleaved wrk rounds; then each dtype's first minute
# after readiness and the targets. Markdown on stdout, progress on stderr, a chart per workload and
# the servers' logs in --out (HttpBenchmark's javadoc; --help lists the flags). Example:
#   bench/http.sh --dtypes float32,bfloat16 --rounds 3 --seconds 20 | tee /tmp/http.md
# Needs wrk (Debian: apt-get install wrk). Compiles the test classes, builds the service jar
# (mvn -DskipTests package) when it is missing or older than src/main or pom.xml, and writes the
# all-MiniLM-L6-v2 model directory when it is missing.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
# The service gets its native settings from TorchRuntime.NATIVE_ENVIRONMENT, and jemalloc, from
# HttpBenchmark; the peer and LangChain4j in-process run as a JVM team would run them, without.
export BENCH_NATIVE_DEFAULTS=0
unset LD_PRELOAD
source "$ROOT/bench/common.sh"
JARS=("$BUILD_DIR"/embedserve-*.jar)
case " $* " in
    *" --help "* | *" -h "*) ;;
    *)
        if [ ! -f "${JARS[0]}" ] || [ -n "$(find "$ROOT/src/main" "$ROOT/pom.xml" -newer "${JARS[0]}" -print -quit)" ]; then
            echo "building the service jar (mvn -DskipTests package)" >&2
            mvn_quiet -DskipTests package
            JARS=("$BUILD_DIR"/embedserve-*.jar)
        fi ;;
esac
run_bench HttpBenchmark --jar "${JARS[0]}" --wrk-script "$ROOT/bench/wrk-corpus.lua" "$@"
