#!/usr/bin/env bash
# Worker/thread layouts for inference compared in interleaved rounds (WorkerLayoutBenchmark).
# Example: bench/layouts.sh --model minilm --layouts 1x2,2x1,1x1 --batches 1,32 --rounds 3
source "$(dirname "$0")/common.sh"
run_bench WorkerLayoutBenchmark "$@"
