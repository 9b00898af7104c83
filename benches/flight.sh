#!/usr/bin/env bash
# The Flight benchmark of BENCHMARKS.md, in one run:
#   1. the in-memory job: read Flight's claims, build the graph, run the methods,
#      evaluate against gold; credgraph (`evaluate --claims`, the six published
#      methods, then all seven) beside the Python package truthdiscovery 1.0.4 doing
#      the six (benches/flight_truthdiscovery.py);
#   2. the store path: `import` Flight into a fresh store, then `score`.
# Figures are medians of RUNS runs (default 3; the store path runs STORE_RUNS times,
# default 1; 0 skips it), wall time and peak memory from GNU time.
#
# The Python package needs numpy, scipy and, through its imports, cairo: on Debian,
#   apt-get install -y python3-cairo
#   python3 -m venv --system-site-packages VENV
#   VENV/bin/pip install --no-deps truthdiscovery==1.0.4 && VENV/bin/pip install numpy scipy imageio matplotlib bidict
# (`pip install truthdiscovery` pulls pycairo, which needs libcairo2-dev to build.)
# Point TD_PYTHON at that venv's python; without it the Python side is skipped.
#
#   TD_PYTHON=/path/to/venv/bin/python benches/flight.sh
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS="${RUNS:-3}"
STORE_RUNS="${STORE_RUNS:-1}"
WORK="${WORK:-${TMPDIR:-/tmp}/credgraph-flight}"
FLIGHT="${FLIGHT:-../shared/data/flight}"
mkdir -p "$WORK"
source benches/measure.sh
CREDGRAPH="$(credgraph_binary)"
CLAIMS="$FLIGHT/claims.tsv.gz"
GOLD="$FLIGHT/gold.tsv"

PUBLISHED=voting,sums,average-log,investment,pooled-investment,truthfinder
: > "$WORK/cg-six.txt"; : > "$WORK/cg-all.txt"; : > "$WORK/py.txt"
for run in $(seq "$RUNS"); do
    measure "$CREDGRAPH" evaluate --claims "$CLAIMS" --gold "$GOLD" --method "$PUBLISHED" >> "$WORK/cg-six.txt"
    measure "$CREDGRAPH" evaluate --claims "$CLAIMS" --gold "$GOLD" --method all >> "$WORK/cg-all.txt"
    cp "$WORK/stdout.txt" "$WORK/evaluation.txt"
    if [ -n "${TD_PYTHON:-}" ]; then
        measure "$TD_PYTHON" benches/flight_truthdiscovery.py "$CLAIMS" "$GOLD" >> "$WORK/py.txt"
        cp "$WORK/stdout.txt" "$WORK/python-evaluation.txt"
    fi
done

: > "$WORK/import.txt"; : > "$WORK/score.txt"
for run in $(seq "$STORE_RUNS"); do
    rm -rf "$WORK/db"
    measure "$CREDGRAPH" --db "$WORK/db" import "$CLAIMS" >> "$WORK/import.txt"
    measure "$CREDGRAPH" --db "$WORK/db" score >> "$WORK/score.txt"
    grep -v "^[0-9.]* [0-9]*$" "$WORK/stderr.txt" > "$WORK/score-stderr.txt"
done

echo "credgraph evaluate --method all:"
cat "$WORK/evaluation.txt"
if [ -s "$WORK/py.txt" ]; then
    echo; echo "truthdiscovery 1.0.4:"; cat "$WORK/python-evaluation.txt"
fi
if [ -s "$WORK/score.txt" ]; then echo; echo "the last score said:"; cat "$WORK/score-stderr.txt"; fi
echo
report "credgraph evaluate (six published methods)" "$WORK/cg-six.txt"
report "credgraph evaluate --method all (the six and dependence-aware)" "$WORK/cg-all.txt"
if [ -s "$WORK/py.txt" ]; then
    report "python truthdiscovery 1.0.4 (the six)" "$WORK/py.txt"
    six=$(cut -d' ' -f1 "$WORK/cg-six.txt" | median)
    all=$(cut -d' ' -f1 "$WORK/cg-all.txt" | median)
    py=$(cut -d' ' -f1 "$WORK/py.txt" | median)
    awk -v six="$six" -v all="$all" -v py="$py" 'BEGIN {
        printf "speed-up on the same six methods: %.1fx\n", py / six
        printf "speed-up with the dependence-aware method too (all seven against the six): %.1fx\n", py / all
    }'
fi
if [ -s "$WORK/score.txt" ]; then
    report "credgraph import (Flight into a fresh store)" "$WORK/import.txt"
    report "credgraph score (then)" "$WORK/score.txt"
fi
