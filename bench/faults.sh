#!/usr/bin/env bash
# The fault suite: every fault of src/test/java/io/embedserve/faults run against the packaged jar
# under load, one after the other, then the table of what was sent, answered and lost.
#   bench/faults.sh [FaultClass,...]   (default: all; e.g. bench/faults.sh ShutdownFault)
# Takes about 10 minutes on 2 cores. The table is what docs/RELIABILITY.md shows.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
rm -f target/faults/results.md
selection=()
if [ $# -gt 0 ]; then
  selection=("-Dit.test=$1")
fi
mvn -B -q -Pfaults verify "${selection[@]}" >&2 || status=$?
echo "# Fault suite, $(date -u '+%Y-%m-%d %H:%M UTC'), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs) (cpu family $(grep -m1 'cpu family' /proc/cpuinfo | cut -d: -f2 | xargs) model $(grep -m1 '^model\s' /proc/cpuinfo | cut -d: -f2 | xargs)), $(nproc) CPUs"
echo
cat target/faults/results.md 2>/dev/null || echo "(no results: see the Maven output above)"
exit "${status:-0}"
