#!/usr/bin/env bash
# The scale benchmark of BENCHMARKS.md, in one run:
#   1. generate a case of about 10 million triples (1,150,000 statements);
#   2. load it with `credgraph load` and with Oxigraph's own CLI (0.5.13, from PyPI),
#      alternating, into a graph per file and into the default graph;
#   3. run `credgraph reason` on it;
#   4. run the named query who-corroborates-whom on the reasoned store.
# Each figure is the median of RUNS runs (default 3), wall time and peak memory as
# GNU time reports them. Every `reason` starts from a copy of the freshly loaded
# store, and the queries run on the store the last one reasoned.
#
#   benches/scale.sh                 # everything, about 20 minutes on 2 cores
#   RUNS=5 WORK=/data/bench benches/scale.sh
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS="${RUNS:-3}"
WORK="${WORK:-${TMPDIR:-/tmp}/credgraph-bench}"
STATEMENTS="${STATEMENTS:-1150000}"
SOURCES="${SOURCES:-2000}"
mkdir -p "$WORK"

source benches/measure.sh
CREDGRAPH="$(credgraph_binary)"

OXIGRAPH="$WORK/oxigraph-venv/bin/oxigraph"
if [ ! -x "$OXIGRAPH" ]; then
    python3 -m venv "$WORK/oxigraph-venv"
    "$WORK/oxigraph-venv/bin/pip" install --quiet oxigraph==0.5.13
fi

CASE="$WORK/case.nt"
if [ ! -f "$CASE" ]; then
    "$CREDGRAPH" generate --sources "$SOURCES" --statements "$STATEMENTS" --seed 7 -o "$CASE"
fi
TRIPLES=$(wc -l < "$CASE")
GRAPH="file://$(realpath "$CASE")"

echo "case: $TRIPLES triples, $STATEMENTS statements, $SOURCES sources; $RUNS runs each; $(nproc) cores"
: > "$WORK/cg-named.txt"; : > "$WORK/ox-named.txt"; : > "$WORK/cg-default.txt"; : > "$WORK/ox-default.txt"
for run in $(seq "$RUNS"); do
    rm -rf "$WORK/cg" "$WORK/ox"
    measure "$CREDGRAPH" --db "$WORK/cg" load "$CASE" >> "$WORK/cg-named.txt"
    measure "$OXIGRAPH" load --location "$WORK/ox" --file "$CASE" --graph "$GRAPH" >> "$WORK/ox-named.txt"
    rm -rf "$WORK/cg" "$WORK/ox"
    measure "$CREDGRAPH" --db "$WORK/cg" load "$CASE" --graph default >> "$WORK/cg-default.txt"
    measure "$OXIGRAPH" load --location "$WORK/ox" --file "$CASE" >> "$WORK/ox-default.txt"
done
rm -rf "$WORK/ox"

# A loaded store to copy for each reasoning run.
rm -rf "$WORK/loaded"
"$CREDGRAPH" --db "$WORK/loaded" load "$CASE" 2>/dev/null
: > "$WORK/reason.txt"; : > "$WORK/reason-no-evidence.txt"
for run in $(seq "$RUNS"); do
    rm -rf "$WORK/cg" && cp -r "$WORK/loaded" "$WORK/cg"
    measure "$CREDGRAPH" --db "$WORK/cg" reason --evidence-limit 0 >> "$WORK/reason-no-evidence.txt"
    rm -rf "$WORK/cg" && cp -r "$WORK/loaded" "$WORK/cg"
    measure "$CREDGRAPH" --db "$WORK/cg" reason >> "$WORK/reason.txt"
done
echo "the last reason run said:"
grep -v "^[0-9.]* [0-9]*$" "$WORK/stderr.txt"

: > "$WORK/query.txt"
for run in $(seq $((RUNS + 2))); do
    measure "$CREDGRAPH" --db "$WORK/cg" query --name who-corroborates-whom --results-format tsv >> "$WORK/query.txt"
done

echo
report "credgraph load (a graph per file)" "$WORK/cg-named.txt"
report "oxigraph load --graph (the same graph)" "$WORK/ox-named.txt"
report "credgraph load --graph default" "$WORK/cg-default.txt"
report "oxigraph load (default graph)" "$WORK/ox-default.txt"
report "credgraph reason" "$WORK/reason.txt"
report "credgraph reason --evidence-limit 0" "$WORK/reason-no-evidence.txt"
report "credgraph query --name who-corroborates-whom" "$WORK/query.txt"
for kind in named default; do
    cg=$(cut -d' ' -f1 "$WORK/cg-$kind.txt" | median)
    ox=$(cut -d' ' -f1 "$WORK/ox-$kind.txt" | median)
    awk -v cg="$cg" -v ox="$ox" -v t="$TRIPLES" -v k="$kind" 'BEGIN {
        printf "load throughput, %s graph: credgraph %.0f triples/s, oxigraph %.0f triples/s, ratio %.2f\n",
            k, t / cg, t / ox, ox / cg }'
done
