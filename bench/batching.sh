#!/usr/bin/env bash
# The batches the service forms under load, offline: the current encoder and planner against a
# candidate encoder program under a token-budget-only planner, or the current encoder under other
# padding bounds (BatchingBenchmark's javadoc):
#   git show f534748:src/main/resources/io/embedserve/inference/encode/encoder.py > /tmp/grouped.py
#   bench/batching.sh --candidate /tmp/grouped.py [--model minilm|real] [--threads 2] [--rounds 3]
#   bench/batching.sh --padding-bounds 0.1,0.15 [--model minilm|real] [--threads 1] [--count 400]
source "$(dirname "$0")/common.sh"
run_bench BatchingBenchmark "$@"
