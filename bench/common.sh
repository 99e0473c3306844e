# Sourced by the benchmark scripts: compiles the test classes once and builds the classpath.
#
#   BUILD_DIR (or buildDir)  Maven build directory, default <repo>/target; several checkouts can
#                            build side by side with BUILD_DIR=/tmp/build-x
#   MVN_FLAGS                extra Maven flags (e.g. -o once the local repository holds every plugin)
#   SKIP_BUILD=1             use the classes already in BUILD_DIR
#   JAVA_OPTS                extra JVM options
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-${buildDir:-$ROOT/target}}"
MVN_FLAGS="${MVN_FLAGS:-}"
CP_FILE="$BUILD_DIR/bench-classpath.txt"

mvn_quiet() {
    # Maven's output goes to stderr so that stdout holds only the report.
    (cd "$ROOT" && mvn -B -q -Dstyle.color=never $MVN_FLAGS -DbuildDir="$BUILD_DIR" "$@") >&2
}

if [ "${SKIP_BUILD:-0}" != 1 ]; then
    mvn_quiet test-compile
fi
# The dependency classpath changes only with pom.xml: resolve it once, not on every run.
if [ ! -s "$CP_FILE" ] || [ "$ROOT/pom.xml" -nt "$CP_FILE" ]; then
    mvn_quiet dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$CP_FILE"
fi
CLASSPATH_BENCH="$BUILD_DIR/test-classes:$BUILD_DIR/classes:$(cat "$CP_FILE")"

# The service's own native settings, from their one source (bench/native-env.sh).
source "$ROOT/bench/native-env.sh"

# Runs a benchmark main in a fresh JVM; DJL stays offline, as the service does.
run_bench() {
    local main="$1"
    shift
    exec java ${JAVA_OPTS:-} -Dai.djl.offline=true -Dlogback.configurationFile="$ROOT/bench/logback-bench.xml" -cp "$CLASSPATH_BENCH" "io.embedserve.bench.$main" "$@"
}
