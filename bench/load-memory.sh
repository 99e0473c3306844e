#!/usr/bin/env bash
# Peak resident memory while loading a model, in a fresh JVM. Default: the real-shape random model
# (F32, written once into /tmp/embedserve-bench/real-shape). Flags: --dir MODEL_DIR | --dtype F16
# --threads 2 --interval-ms 10
source "$(dirname "$0")/common.sh"
JAVA_OPTS="-Xmx1g ${JAVA_OPTS:-}" run_bench LoadMemoryBenchmark "$@"
