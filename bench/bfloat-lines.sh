#!/usr/bin/env bash
# How much of the encoder can run in bfloat16 within the stated bound, line by line, on the real
# checkpoints (BfloatLinesBenchmark's javadoc). Fidelity only; it runs on any CPU.
#   bench/bfloat-lines.sh [--count 1000] [--models all-minilm-l6-v2,bge-small-en-v1.5,e5-small-v2]
source "$(dirname "$0")/common.sh"
run_bench BfloatLinesBenchmark "$@"
