#!/usr/bin/env bash
# Writes (once) the random-weight model with the exact shape of paraphrase-multilingual-mpnet-base-v2
# into /tmp/embedserve-bench/real-shape. Flags: --dir DIR --dtype F32|F16|BF16
source "$(dirname "$0")/common.sh"
run_bench RealShapeModel "$@"
