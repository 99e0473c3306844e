#!/usr/bin/env bash
# The batches the service forms under load, offline: current encoder and planner against an older
# encoder program with its padding-bounded planner (BatchingBenchmark's javadoc). For example:
#   git show 2b6ca91:src/main/resources/io/embedserve/inference/encode/encoder.py > /tmp/encoder-before.py
#   bench/batching.sh --baseline /tmp/encoder-before.py [--model minilm|real] [--threads 2] [--rounds 3]
source "$(dirname "$0")/common.sh"
run_bench BatchingBenchmark "$@"
