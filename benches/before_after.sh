#!/usr/bin/env bash
# Two builds of credgraph side by side, in one run, on the figures of BENCHMARKS.md that
# a change of structure must leave alone: truth discovery on Flight (evaluate, in
# memory), loading a generated case into a fresh store, scoring it, and extracting a
# generated corpus of articles. hyperfine alternates nothing, so each pair runs back to
# back; medians and the ratio come from its JSON.
#
#   benches/before_after.sh OLD_BINARY NEW_BINARY
#
# Needs hyperfine (apt-get install hyperfine) and python3; Flight from
# ../shared/data/flight (FLIGHT=... to point elsewhere; skipped when absent).
set -euo pipefail
cd "$(dirname "$0")/.."

OLD="${1:?the binary before the change}"
NEW="${2:?the binary after the change}"
RUNS="${RUNS:-5}"
STATEMENTS="${STATEMENTS:-200000}"
ARTICLES="${ARTICLES:-300}"
FLIGHT="${FLIGHT:-../shared/data/flight}"
command -v hyperfine >/dev/null || { echo "needs hyperfine: sudo apt-get install hyperfine" >&2; exit 1; }

WORK="$(mktemp -d "${TMPDIR:-/tmp}/credgraph-before-after.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

# compare NAME PREPARE_BEFORE PREPARE_AFTER BEFORE AFTER
compare() {
    local name="$1" prepare_old="$2" prepare_new="$3" old="$4" new="$5"
    hyperfine --style none --runs "$RUNS" --prepare "$prepare_old" --prepare "$prepare_new" \
        --export-json "$WORK/$name.json" -n before "$old" -n after "$new" >/dev/null
    python3 - "$WORK/$name.json" "$name" <<'PY'
import json, sys
results = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
before, after = results["before"]["median"], results["after"]["median"]
print(f"| {sys.argv[2]} | {before:.2f} s | {after:.2f} s | {after / before:.3f} |")
PY
}

echo "| step | before (median of $RUNS) | after | ratio |"
echo "| --- | --- | --- | --- |"
if [ -f "$FLIGHT/claims.tsv.gz" ]; then
    for method in dependence-aware pooled-investment; do
        run="evaluate --claims $FLIGHT/claims.tsv.gz --gold $FLIGHT/gold.tsv --method $method"
        compare "flight-$method" true true "$OLD $run" "$NEW $run"
        # The figures themselves must not move at all.
        diff <("$OLD" $run --format json 2>/dev/null | grep -v seconds) <("$NEW" $run --format json 2>/dev/null | grep -v seconds) >/dev/null \
            || { echo "flight $method: the two builds disagree" >&2; exit 1; }
    done
fi

"$NEW" generate --sources 500 --statements "$STATEMENTS" --seed 7 -o "$WORK/case.nt" 2>/dev/null
compare load "rm -rf $WORK/db-old" "rm -rf $WORK/db-new" \
    "$OLD --db $WORK/db-old load $WORK/case.nt" "$NEW --db $WORK/db-new load $WORK/case.nt"
compare score "rm -f $WORK/db-old/credgraph-claims.cache" "rm -f $WORK/db-new/credgraph-claims.cache" \
    "$OLD --db $WORK/db-old score" "$NEW --db $WORK/db-new score"

python3 benches/extract_corpus.py --articles "$ARTICLES" --words 800 --seed 1 -o "$WORK/corpus" >/dev/null
compare extract "rm -rf $WORK/sheets-old" "rm -rf $WORK/sheets-new" \
    "$OLD --memory extract $WORK/corpus/*.txt -o $WORK/sheets-old/" "$NEW --memory extract $WORK/corpus/*.txt -o $WORK/sheets-new/"
