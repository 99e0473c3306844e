#!/usr/bin/env bash
# Peak resident memory (VmHWM) of one forward pass, in a fresh JVM per batch shape, with the image's
# native settings. Default: the real-shape random model (F32, written once into
# /tmp/embedserve-bench/real-shape), batches 32x128, 64x128 (the largest the defaults allow).
# Flags go to each run: --dir MODEL_DIR --repeat 2 --threads 2. SHAPES="32x128 64x128" picks shapes.
source "$(dirname "$0")/common.sh"
for shape in ${SHAPES:-32x128 64x128}; do
    # A subshell, since run_bench replaces the process that calls it.
    (JAVA_OPTS="-Xmx512m ${JAVA_OPTS:-}" run_bench BatchMemoryBenchmark --batch "${shape%x*}" --length "${shape#*x}" "$@")
done
