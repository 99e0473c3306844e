#!/usr/bin/env bash
# Offline engine throughput (sentences/s, tokens/s, batch latency) for all-MiniLM-L6-v2 against
# ONNX Runtime and LangChain4j, and for the real-shape random model against the GEMM ceiling.
# Flags: --model minilm|real|both|dir --model-dir DIR --corpus FILE --seconds 10 --threads 2 ...
# (--help lists them; docs/PERFORMANCE.md has the commands).
source "$(dirname "$0")/common.sh"
JAVA_OPTS="-Xmx2g ${JAVA_OPTS:-}" run_bench EngineBenchmark "$@"
