#!/usr/bin/env bash
# Where a batch's time goes inside the engine (PyTorch's profiler; ProfileBenchmark's javadoc).
# Example: bench/profile.sh --model real --corpus twelve --batch 1
source "$(dirname "$0")/common.sh"
run_bench ProfileBenchmark "$@"
