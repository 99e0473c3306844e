#!/usr/bin/env bash
# DJL/PyTorch float32 GEMM throughput. Flags: --threads 2 --shapes 4096x768x3072,128x768x3072
# --forms matmul,linear --warmup 3 --reps 20   (see docs/PERFORMANCE.md)
source "$(dirname "$0")/common.sh"
run_bench GemmBenchmark "$@"
