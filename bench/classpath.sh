#!/usr/bin/env bash
# Prints the test classpath (compiled classes + every dependency) for the benchmark mains.
# Compiles first; BUILD_DIR overrides the build directory (default: target).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR="${BUILD_DIR:-$PWD/target}"
mvn -B -q -o -DbuildDir="$BUILD_DIR" test-compile >&2 || mvn -B -q -DbuildDir="$BUILD_DIR" test-compile >&2
if [ ! -s "$BUILD_DIR/bench.classpath" ] || [ pom.xml -nt "$BUILD_DIR/bench.classpath" ]; then
  mvn -B -q -DbuildDir="$BUILD_DIR" dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$BUILD_DIR/bench.classpath" >&2
fi
echo "$BUILD_DIR/test-classes:$BUILD_DIR/classes:$(cat "$BUILD_DIR/bench.classpath")"
