#!/usr/bin/env bash
# Loading a file again to replace its graph (BENCHMARKS.md, "Reloading a file"),
# against its first load, on a generated case of about 2.6 million triples:
#   1. the first load into a fresh store;
#   2. the same file again (nothing changed: the store is left as it is);
#   3. the file with a tenth of its lines removed and as many new ones (the
#      difference is written);
#   4. a file of other content under the same name (the old graph is taken out
#      whole, the new one loaded in bulk).
# Each step RUNS times (default 3), each on a fresh copy of the store as the step
# before left it; medians of time and peak memory.
#
#   benches/reload.sh            (RUNS=5 benches/reload.sh for more runs)
set -euo pipefail
cd "$(dirname "$0")/.."

WORK="${WORK:-${TMPDIR:-/tmp}/credgraph-reload}"
RUNS="${RUNS:-3}"
mkdir -p "$WORK"
source benches/measure.sh
CREDGRAPH="$(credgraph_binary)"

FILE="$WORK/case.nt"
"$CREDGRAPH" generate --sources 2000 --statements 290000 --seed 7 -o "$WORK/original.nt" 2>/dev/null
"$CREDGRAPH" generate --sources 2000 --statements 290000 --seed 8 -o "$WORK/other.nt" 2>/dev/null
awk 'NR % 10 != 0' "$WORK/original.nt" > "$WORK/edited.nt"
awk 'NR % 10 == 0' "$WORK/other.nt" >> "$WORK/edited.nt"
echo "$(wc -l < "$WORK/original.nt") triples; $RUNS runs a step"

# step LABEL BEFORE-DB CONTENT: copies BEFORE-DB (or starts empty), puts CONTENT
# at the file's path and loads it; the store after the last run is left in $WORK/after.db.
step() {
    local label="$1" before="$2" content="$3"
    : > "$WORK/times.txt"
    for _ in $(seq "$RUNS"); do
        rm -rf "$WORK/after.db"
        if [ -n "$before" ]; then cp -a "$before" "$WORK/after.db"; fi
        cp "$content" "$FILE"
        sync
        measure "$CREDGRAPH" --db "$WORK/after.db" load "$FILE" >> "$WORK/times.txt"
    done
    report "$label" "$WORK/times.txt"
}

step "first load" "" "$WORK/original.nt"
rm -rf "$WORK/loaded.db"; mv "$WORK/after.db" "$WORK/loaded.db"
step "the same file again" "$WORK/loaded.db" "$WORK/original.nt"
step "a tenth of the lines changed" "$WORK/loaded.db" "$WORK/edited.nt"
step "other content under the same name" "$WORK/loaded.db" "$WORK/other.nt"
