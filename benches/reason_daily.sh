#!/usr/bin/env bash
# The daily step of BENCHMARKS.md ("Reasoning again after a change"), in one run:
#   1. generate the 10-million-triple case (1,150,000 statements, 2,000 sources) and
#      load it into a fresh store;
#   2. `reason` on it (the first, from scratch), then `reason --full` again on the
#      same store (a second rebuild);
#   3. load an article of 20 statements by two new people (on propositions of the
#      case, reported in a new document of one of its outlets) and `reason`;
#   4. drop the article's graph (`update "DROP GRAPH <...>"`) and `reason`.
# Every step once, wall time and peak memory as GNU time reports them. BEFORE=path
# runs the same steps with another credgraph binary after this one, on a fresh
# store, for the side-by-side figures.
#
#   benches/reason_daily.sh                      # about 15 minutes on 2 cores
#   STATEMENTS=230000 SOURCES=400 benches/reason_daily.sh     # the 2-million case
#   BEFORE=/path/to/old/credgraph WORK=/data/bench benches/reason_daily.sh
set -euo pipefail
cd "$(dirname "$0")/.."

WORK="${WORK:-${TMPDIR:-/tmp}/credgraph-daily}"
STATEMENTS="${STATEMENTS:-1150000}"
SOURCES="${SOURCES:-2000}"
mkdir -p "$WORK"
source benches/measure.sh
CREDGRAPH="$(credgraph_binary)"

CASE="$WORK/case-$STATEMENTS.nt"
if [ ! -f "$CASE" ]; then
    "$CREDGRAPH" generate --sources "$SOURCES" --statements "$STATEMENTS" --seed 7 -o "$CASE"
fi

# The article: 20 statements, 10 by each of two new people, asserting the first
# 20 propositions the case's statements speak to, reported in a new document
# published by the outlet of the case's first report.
ARTICLE="$WORK/article.nt"
{
    CG="https://w3id.org/credgraph/ns#"
    ID="https://w3id.org/credgraph/id"
    OUTLET=$(grep -m1 "${CG}publishedBy" "$CASE" | cut -d' ' -f3)
    echo "<$ID/document/daily-article> <${CG}publishedBy> $OUTLET ."
    echo "<$ID/document/daily-article> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <${CG}Document> ."
    for who in 1 2; do
        echo "<$ID/person/daily-$who> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <${CG}Person> ."
        echo "<$ID/person/daily-$who> <http://www.w3.org/2000/01/rdf-schema#label> \"Daily speaker $who\" ."
    done
    grep "${CG}proposition>" "$CASE" | cut -d' ' -f3 | awk '!seen[$0]++ && n++ < 20' |
        awk -v cg="$CG" -v id="$ID" '{
            s = "<" id "/statement/daily-" NR ">";
            print s " <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <" cg "Statement> .";
            print s " <" cg "statedBy> <" id "/person/daily-" (NR % 2 + 1) "> .";
            print s " <" cg "proposition> " $1 " .";
            print s " <" cg "polarity> <" cg "Assertion> .";
            print s " <" cg "reportedIn> <" id "/document/daily-article> .";
            print s " <" cg "statedOn> \"2026-12-07\"^^<http://www.w3.org/2001/XMLSchema#date> .";
        }'
} > "$ARTICLE"
ARTICLE_GRAPH="file://$(realpath "$ARTICLE")"

run_steps() {
    local binary="$1" label="$2" full="$3" db="$WORK/daily.db"
    rm -rf "$db"
    echo "$label ($binary): $(wc -l < "$CASE") triples, $(nproc) cores"
    step() {
        local what="$1"; shift
        measure "$binary" --db "$db" "$@" > "$WORK/one.txt"
        report "  $what" "$WORK/one.txt"
        grep -E "^(rebuilding|updated|nothing|reasoned)" "$WORK/stderr.txt" | sed 's/^/      /' || true
    }
    step "load the case" load "$CASE"
    step "reason (the first)" reason
    step "reason $full (a second rebuild)" reason $full
    step "load an article of 20 statements" load "$ARTICLE"
    step "reason after adding it" reason
    step "drop the article's graph" update "DROP GRAPH <$ARTICLE_GRAPH>"
    step "reason after dropping it" reason
    rm -rf "$db"
}

run_steps "$CREDGRAPH" "this build" --full
# A build before `reason --full` existed rebuilds every time.
if [ -n "${BEFORE:-}" ]; then
    run_steps "$BEFORE" "before" ""
fi
