#!/usr/bin/env bash
# Re-scoring after a small addition (BENCHMARKS.md, "Incremental scoring"):
#   1. import Flight's claims into a fresh store and `score` it (the full read);
#   2. import 1,000 more statements and `score` again: only the new table's graph
#      (and the scores graph) are read from the store, the rest comes from the
#      claim table cache;
#   3. for comparison, `score` once more after deleting the cache, so every graph
#      is read from the store again.
# The 1,000 statements are real Flight claims given to a new source: the first
# 1,000 rows of the source "flightaware", renamed "flightaware-mirror".
#
#   benches/incremental.sh
set -euo pipefail
cd "$(dirname "$0")/.."

WORK="${WORK:-${TMPDIR:-/tmp}/credgraph-incremental}"
FLIGHT="${FLIGHT:-../shared/data/flight}"
mkdir -p "$WORK"
source benches/measure.sh
CREDGRAPH="$(credgraph_binary)"
DB="$WORK/flight.db"
rm -rf "$DB"

MORE="$WORK/more.tsv"
# (awk stops reading early, which ends zcat with SIGPIPE: not an error here.)
{ zcat "$FLIGHT/claims.tsv.gz" || true; } | awk -F'\t' 'NR == 1 { print; next } $2 == "flightaware" { $2 = "flightaware-mirror"; print; if (++n == 1000) exit }' OFS='\t' > "$MORE"
[ "$(wc -l < "$MORE")" -eq 1001 ] || { echo "could not take 1,000 claims from $FLIGHT"; exit 1; }

step() {
    local label="$1"; shift
    measure "$CREDGRAPH" --db "$DB" "$@" > "$WORK/one.txt"
    report "$label" "$WORK/one.txt"
    grep -E "^scored|^imported" "$WORK/stderr.txt" | sed 's/^/    /' || true
}

step "import Flight" import "$FLIGHT/claims.tsv.gz"
step "score (full read)" score
step "import 1,000 more statements" import "$MORE"
step "score again (cache + the new graph)" score
rm "$DB/credgraph-claims.cache"
step "score again without the cache (full read)" score
