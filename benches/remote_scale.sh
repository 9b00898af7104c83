#!/usr/bin/env bash
# The scale benchmark of `--endpoint` (BENCHMARKS.md, "Against a remote engine"):
# the generated case of benches/scale.sh (about 10 million triples) loaded through
# credgraph into Virtuoso 7.2 from Debian and into the embedded store, then
# `reason`, `score` and the who-corroborates-whom query on each, in one run. For
# every step: wall time and credgraph's own peak memory (GNU time); Virtuoso's
# resident memory is read at the end.
#
# Virtuoso runs from a folder of its own, both ports bound to 127.0.0.1, with
# about 2.6 GB of buffers, ResultSetMaxRows raised (with the default 10,000,
# credgraph pages every large read; Virtuoso still cuts at 1,048,576 rows) and
# MaxSortedTopRows to 4 million (Virtuoso refuses an ORDER BY whose OFFSET plus
# LIMIT passes it, 10,000 by default, so pages past that fail)
# and TransactionAfterImageLimit raised to 1.5 GB (it is a 32-bit number) (with the default 50 MB, a rule
# that derives a few hundred thousand triples is aborted); see the README.
#
#   benches/remote_scale.sh                          # the 10-million-triple case
#   STATEMENTS=100000 SOURCES=500 benches/remote_scale.sh   # a small trial
#   KEEP=1 STEPS="score query" WHERE=virtuoso benches/remote_scale.sh
#       # later steps on the engine folder (and embedded store) of an earlier run
set -euo pipefail
cd "$(dirname "$0")/.."

WORK="${WORK:-${TMPDIR:-/tmp}/credgraph-remote-bench}"
STATEMENTS="${STATEMENTS:-1150000}"
SOURCES="${SOURCES:-2000}"
STEPS="${STEPS:-load reason score query}"
WHERE="${WHERE:-virtuoso embedded}"
KEEP="${KEEP:-0}"
mkdir -p "$WORK"
command -v virtuoso-t >/dev/null || { echo "needs Virtuoso (apt-get install virtuoso-opensource)"; exit 1; }
command -v isql-vt >/dev/null || { echo "needs isql-vt (virtuoso-opensource)"; exit 1; }
source benches/measure.sh
CREDGRAPH="$(credgraph_binary)"

CASE="$WORK/case-$STATEMENTS-$SOURCES.nt"
[ -f "$CASE" ] || "$CREDGRAPH" generate --sources "$SOURCES" --statements "$STATEMENTS" --seed 7 -o "$CASE"
echo "case: $(wc -l < "$CASE") triples ($CASE)"

# Virtuoso, fresh (with KEEP=1, on the folder of an earlier run).
VIRTUOSO=
trap '[ -z "$VIRTUOSO" ] || kill $VIRTUOSO 2>/dev/null || true' EXIT
HTTP_PORT=${HTTP_PORT:-18891}
SQL_PORT=${SQL_PORT:-11112}
if [[ " $WHERE " == *" virtuoso "* ]]; then
    VDIR="$WORK/virtuoso"
    [ "$KEEP" = 1 ] || rm -rf "$VDIR"
    mkdir -p "$VDIR"
    cat > "$VDIR/virtuoso.ini" <<EOF
[Database]
DatabaseFile = virtuoso.db
ErrorLogFile = virtuoso.log
LockFile = virtuoso.lck
TransactionFile = virtuoso.trx
xa_persistent_file = virtuoso.pxa
FileExtend = 200
Striping = 0
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = virtuoso-temp.db
TransactionFile = virtuoso-temp.trx
Striping = 0
[Parameters]
ServerPort = 127.0.0.1:$SQL_PORT
DisableUnixSocket = 1
NumberOfBuffers = 340000
MaxDirtyBuffers = 250000
MaxQueryMem = 4G
TransactionAfterImageLimit = 1500000000
MaxSortedTopRows = 4000000
DirsAllowed = .
[HTTPServer]
HTTPLogFile = http.log
ServerPort = 127.0.0.1:$HTTP_PORT
ServerRoot = /var/lib/virtuoso-opensource-7/vsp
ServerThreads = 10
MaxClientConnections = 10
Charset = UTF-8
[SPARQL]
ResultSetMaxRows = 10000000
MaxQueryExecutionTime = 7200
MaxQueryCostEstimationTime = 7200
EOF
    (cd "$VDIR" && exec virtuoso-t +foreground +configfile virtuoso.ini >/dev/null 2>&1) &
    VIRTUOSO=$!
    for _ in $(seq 1 600); do  # a kept folder replays its log first
        curl -s -o /dev/null -w '%{http_code}' --data-urlencode 'query=ASK {}' "http://127.0.0.1:$HTTP_PORT/sparql" | grep -q 200 && break
        sleep 0.5
    done
    # (a kept folder has the grant already, and says so)
    isql-vt "127.0.0.1:$SQL_PORT" dba dba exec='GRANT SPARQL_UPDATE TO "SPARQL";' >/dev/null 2>&1 || [ "$KEEP" = 1 ]
fi

export CREDGRAPH_ENDPOINT_PASSWORD=dba
REMOTE=(--endpoint "http://127.0.0.1:$HTTP_PORT/sparql"
        --store-url "http://127.0.0.1:$HTTP_PORT/sparql-graph-crud-auth"
        --auth digest --user dba --write-chunk 100000)
EMBEDDED=(--db "$WORK/embedded.db")
[ "$KEEP" = 1 ] || rm -rf "$WORK/embedded.db"

step() {
    local where=$1 what=$2
    shift 2
    local args
    case $what in
        load) args=(load "$CASE") ;;
        reason) args=(reason) ;;
        score) args=(score) ;;
        query) args=(query --name who-corroborates-whom --results-format csv) ;;
    esac
    local result
    if ! result=$(measure "$CREDGRAPH" "$@" "${args[@]}"); then
        echo "$where $what failed: $result"
        exit 1
    fi
    printf '%-10s %-8s %9.1f s %7d MB\n' "$where" "$what" "${result% *}" "$(( ${result#* } / 1024 ))"
    if [ "$what" = query ]; then
        echo "           $(($(wc -l < "$WORK/stdout.txt") - 1)) rows"
    fi
}

echo "where      step          wall   credgraph peak"
if [[ " $WHERE " == *" virtuoso "* ]]; then
    for what in $STEPS; do
        step virtuoso "$what" "${REMOTE[@]}"
    done
    echo "virtuoso resident memory at the end: $(( $(ps -o rss= -p "$VIRTUOSO") / 1024 )) MB"
fi
[ -z "$VIRTUOSO" ] || kill $VIRTUOSO 2>/dev/null || true
if [[ " $WHERE " == *" embedded "* ]]; then
    for what in $STEPS; do
        step embedded "$what" "${EMBEDDED[@]}"
    done
fi
