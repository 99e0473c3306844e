#!/usr/bin/env bash
# The dense-layer paths libtorch offers (MKL, oneDNN on a reordered or a plain weight, bfloat16,
# int8) on the same operands, GFLOP/s in interleaved rounds, and attention fused or materialised.
# Flags: --threads 2 --shapes 1600x384x1152,... --paths FP32_MKL,FP32_ONEDNN,FP32_ONEDNN_PLAIN
# (default: every path; leave the BF16_* out on a CPU without bfloat16) --rounds 7 (docs/PERFORMANCE.md)
source "$(dirname "$0")/common.sh"
run_bench GemmBenchmark "$@"
