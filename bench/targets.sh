#!/usr/bin/env bash
# The engine targets table (docs/PERFORMANCE.md, "Targets"), measured in one go on this machine
# (run it when the machine is quiet: the figures are ratios inside one process, but a busy machine
# still blurs them):
#   bench/targets.sh [OUT_DIR (default /tmp/embedserve-targets)]
# Writes each benchmark's full report into OUT_DIR and prints the lines the table is made of.
# Takes about 35 minutes: the engine runs (all-MiniLM: float32, bfloat16 and int8 against ONNX
# Runtime and LangChain4j; the XLM-R-base shape), then the service over HTTP in float32 and in
# bfloat16, each against LangChain4j in turns.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="${1:-/tmp/embedserve-targets}"
mkdir -p "$OUT"
cd "$ROOT"
export SKIP_BUILD="${SKIP_BUILD:-0}"

echo "1/5 all-MiniLM engine: float32, bfloat16, int8 vs ONNX Runtime and LangChain4j (retrieval corpus)" >&2
bench/engine.sh --model minilm --dtypes float32,bfloat16,int8 --engines djl,onnxruntime,langchain4j \
    --corpora retrieval --batches 1,32 --initial-warmup 60 --seconds 20 --warmup 3 --rounds 3 > "$OUT/engine-minilm.md"
export SKIP_BUILD=1
echo "2/5 real-shape XLM-R and all-MiniLM float32, same run: GFLOP/s at batch 32, one 12-token sentence" >&2
bench/real-shape-model.sh > /dev/null
bench/engine.sh --model both --dtypes float32 --engines djl --corpora retrieval,twelve --batches 1,32 \
    --initial-warmup 60 --seconds 20 --warmup 3 --rounds 3 > "$OUT/engine-shapes.md"
MODEL_DIR="$OUT/minilm"
bench/write-minilm.sh "$MODEL_DIR" > /dev/null
echo "3/5 service over HTTP, float32, 32 clients vs LangChain4j in-process" >&2
DTYPE=float32 bench/service.sh "$MODEL_DIR" --concurrency 32 --seconds 20 --rounds 3 --warmup 30 > "$OUT/service-float32.md"
echo "4/5 service over HTTP, bfloat16" >&2
DTYPE=bfloat16 bench/service.sh "$MODEL_DIR" --concurrency 32 --seconds 20 --rounds 3 --warmup 30 > "$OUT/service-bfloat16.md"
echo "5/5 dense-layer paths and attention at the service's shapes" >&2
bench/gemm.sh --threads 2 --rounds 7 > "$OUT/gemm.md"

echo "# Targets ($(date -u +%Y-%m-%dT%H:%MZ); reports in $OUT)"
grep -h "MEDIAN minilm" "$OUT/engine-minilm.md" || true
grep -h "MEDIAN .* djl retrieval.* B=32\|MEDIAN .* djl twelve.* B=1" "$OUT/engine-shapes.md" || true
for dtype in float32 bfloat16; do
    echo "service $dtype: $(grep -h 'median ratio' "$OUT/service-$dtype.md")"
    grep -h "^| [0-9]\|batches during" "$OUT/service-$dtype.md"
done
grep -h "again at the end" "$OUT"/engine-*.md || true
