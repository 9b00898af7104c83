#!/usr/bin/env bash
# The load benchmark of BENCHMARKS.md, in one run: `credgraph serve` against
# Oxigraph's own server (`oxigraph serve` 0.5.13 from PyPI) on the same data and
# the same named queries, one after the other, with wrk (Debian) as 64 clients for
# 60 seconds each. Both servers run with the union default graph; credgraph with
# its default 30 s query timeout, Oxigraph without one: with `--timeout-s` it starts
# a thread per query and, under this load, fails with "Resource temporarily
# unavailable" and aborts (set OXIGRAPH_TIMEOUT=30 to see it). Halfway through each run a 100,000-triple graph is PUT through the Graph
# Store Protocol while a reader counts it: the count must be 0 or 100,000, and
# after the run exactly 100,000.
#
# Cases: "seed" (the bundled case, reasoned; six named queries) and "generated"
# (the 10-million-triple case of benches/scale.sh, loaded and reasoned: about 5
# minutes to prepare once; the three named queries that answer in about a second).
#
# The first dist build compiles RocksDB's C++ again (about 20 minutes).
# RUNS (default 3) alternates the two servers that many times; medians at the end.
#
#   benches/serve_load.sh                     # both cases, about 20 minutes
#   CASES=seed DURATION=20 RUNS=1 benches/serve_load.sh
#   SERVE_ARGS="--max-parallel-queries 64" benches/serve_load.sh   # more flags for credgraph serve
set -euo pipefail
cd "$(dirname "$0")/.."

WORK="${WORK:-${TMPDIR:-/tmp}/credgraph-bench}"
DURATION="${DURATION:-60}"
CONNECTIONS="${CONNECTIONS:-64}"
CASES="${CASES:-seed generated}"
STATEMENTS="${STATEMENTS:-1150000}"
SOURCES="${SOURCES:-2000}"
mkdir -p "$WORK"
command -v wrk >/dev/null || { echo "needs wrk (apt-get install wrk)"; exit 1; }
command -v curl >/dev/null || { echo "needs curl"; exit 1; }

source benches/measure.sh
# The release profile by default; PROFILE=dist measures the dist profile (fat LTO,
# one codegen unit), as Oxigraph builds its own server.
PROFILE="${PROFILE:-release}"
cargo build --profile "$PROFILE" --quiet
CREDGRAPH="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')/$PROFILE/credgraph"
OXIGRAPH="$WORK/oxigraph-venv/bin/oxigraph"
if [ ! -x "$OXIGRAPH" ]; then
    python3 -m venv "$WORK/oxigraph-venv"
    "$WORK/oxigraph-venv/bin/pip" install --quiet oxigraph==0.5.13
fi
TOKEN="bench-token-$(date +%s)-0123456789"
export CREDGRAPH_TOKEN="$TOKEN"
SERVER=""
trap '[ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null || true' EXIT

# The case's credgraph store, and the same quads in an Oxigraph store.
prepare() {
    local name=$1 db="$WORK/serve-$1.db" ox="$WORK/serve-$1.ox"
    if [ ! -d "$ox" ]; then
        rm -rf "$db"
        if [ "$name" = seed ]; then
            "$CREDGRAPH" --db "$db" load data/ >/dev/null 2>&1
        else
            [ -f "$WORK/case.nt" ] || "$CREDGRAPH" generate --sources "$SOURCES" --statements "$STATEMENTS" --seed 7 -o "$WORK/case.nt"
            "$CREDGRAPH" --db "$db" load "$WORK/case.nt" >/dev/null 2>&1
        fi
        "$CREDGRAPH" --db "$db" reason >/dev/null 2>&1
        "$CREDGRAPH" --db "$db" export --format nq -o "$WORK/serve-$name.nq" 2>/dev/null
        "$OXIGRAPH" load --location "$ox" --file "$WORK/serve-$name.nq" >/dev/null 2>&1
        rm -f "$WORK/serve-$name.nq"
    fi
}

wait_for() {
    for _ in $(seq 1 600); do curl -s -o /dev/null "$1" && return 0; sleep 0.2; done
    echo "the server at $1 did not start"; exit 1
}

start_credgraph() {
    # shellcheck disable=SC2086 # SERVE_ARGS is a list of flags
    "$CREDGRAPH" --db "$WORK/serve-$1.db" serve --writable --bind 127.0.0.1:7901 --timeout 30 \
        --max-connections 512 ${SERVE_ARGS:-} 2>>"$WORK/serve-credgraph.err" &
    SERVER=$!
    wait_for http://127.0.0.1:7901/health
}

start_oxigraph() {
    local timeout=()
    [ -n "${OXIGRAPH_TIMEOUT:-}" ] && timeout=(--timeout-s "$OXIGRAPH_TIMEOUT")
    "$OXIGRAPH" serve --location "$WORK/serve-$1.ox" --bind 127.0.0.1:7902 --union-default-graph \
        "${timeout[@]}" 2>>"$WORK/serve-oxigraph.err" &
    SERVER=$!
    wait_for "http://127.0.0.1:7902/query?query=ASK%7B%7D"
}

stop() {
    if ! kill "$SERVER" 2>/dev/null; then
        echo "the server stopped during the run:"; tail -5 "$WORK"/serve-*.err; exit 1
    fi
    wait "$SERVER" 2>/dev/null || true
    SERVER=""
}

# The named queries with their parameters bound and PREFIX lines written, from
# credgraph's own server, as a wrk script that sends them in turn.
write_queries() {
    local name=$1 source
    start_credgraph "$name"
    source=$(curl -s -H 'Accept: text/csv' --data-urlencode \
        'query=SELECT ?s WHERE { ?s a cg:Person ; cg:institution ?i } ORDER BY ?s LIMIT 1' \
        http://127.0.0.1:7901/query | sed -n 2p | tr -d '\r')
    [ "$name" = seed ] && source="Jens Stoltenberg"
    : > "$WORK/queries.txt"
    # On the generated case only the named queries that answer in about a second
    # alone (BENCHMARKS.md lists each one's time): the others take 5 to over 100 s
    # there, on either engine, and would measure nothing but queueing.
    local specs=(who-corroborates-whom who-contradicts-whom dependencies
                 "corroborators source" "source-statements source" "source-posts source")
    [ "$name" = generated ] && specs=(who-corroborates-whom who-contradicts-whom "source-posts source")
    for spec in "${specs[@]}"; do
        set -- $spec
        local args=(--data-urlencode "name=$1" --data-urlencode portable=1)
        [ $# -gt 1 ] && args+=(--data-urlencode "source=$source")
        curl -sf -G "${args[@]}" http://127.0.0.1:7901/queries/prepare \
            | python3 -c 'import sys, urllib.parse; print(urllib.parse.urlencode({"query": sys.stdin.read()}))' >> "$WORK/queries.txt"
    done
    stop
    python3 - "$WORK/queries.txt" "$WORK/queries.lua" <<'PY'
import sys
bodies = [line.strip() for line in open(sys.argv[1]) if line.strip()]
with open(sys.argv[2], "w") as out:
    out.write("local bodies = {\n")
    for body in bodies:
        out.write("  [==[%s]==],\n" % body)
    out.write("}\nlocal i = 0\n")
    out.write('wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n')
    out.write('wrk.headers["Accept"] = "application/sparql-results+json"\n')
    out.write("request = function()\n  i = i % #bodies + 1\n  return wrk.format(nil, nil, nil, bodies[i])\nend\n")
PY
    echo "$(wc -l < "$WORK/queries.txt") named queries (${specs[*]}), source: $source"
}

# The rows each query gives on a server, to check both answer the same.
answers() {
    while read -r body; do
        printf '%s' "$body" > "$WORK/body.txt"
        curl -s -H 'Accept: text/csv' --data @"$WORK/body.txt" "$1" | tail -n +2 | sort | md5sum | cut -c1-8
    done < "$WORK/queries.txt" | tr '\n' ' '
}

# A 100,000-triple graph PUT during the load, counted by a reader meanwhile.
write_during_load() {
    local store=$1 query=$2 auth=()
    [ "$store" = http://127.0.0.1:7901/store ] && auth=(-H "Authorization: Bearer $TOKEN")
    python3 -c 'import sys
for i in range(100000): print("<urn:bench:s%d> <urn:bench:p> \"%d\" ." % (i, i))' > "$WORK/write.nt"
    sleep $((DURATION / 2))
    local count='query=SELECT (COUNT(*) AS ?n) WHERE { GRAPH <urn:bench:write> { ?s ?p ?o } }'
    curl -s -o /dev/null -w '%{http_code}' -X PUT "${auth[@]}" -H 'Content-Type: application/n-triples' \
        --data-binary @"$WORK/write.nt" "$store?graph=urn:bench:write" > "$WORK/put.txt" &
    local writer=$!
    : > "$WORK/seen.txt"
    while kill -0 "$writer" 2>/dev/null; do
        curl -s -H 'Accept: text/csv' --data-urlencode "$count" "$query" | sed -n 2p >> "$WORK/seen.txt"
        sleep 0.05
    done
    curl -s -H 'Accept: text/csv' --data-urlencode "$count" "$query" | sed -n 2p >> "$WORK/seen.txt"
    wait "$writer"
}

load() {
    local label=$1 url=$2 store=$3
    curl -s -o /dev/null -X DELETE "${@:4}" "$store?graph=urn:bench:write" || true
    write_during_load "$store" "$url" &
    local writer=$!
    wrk -t 2 -c "$CONNECTIONS" -d "${DURATION}s" --latency --timeout 30s -s "$WORK/queries.lua" "$url" > "$WORK/wrk.txt"
    wait "$writer"
    local rps p50 p99 failed final seen
    rps=$(awk '/Requests\/sec/ { print $2 }' "$WORK/wrk.txt")
    p50=$(awk '$1 == "50%" { print $2 }' "$WORK/wrk.txt")
    p99=$(awk '$1 == "99%" { print $2 }' "$WORK/wrk.txt")
    failed=$(awk '/Non-2xx/ { print $5 } /Socket errors/ { s = $4 + $6 + $8 + $10 } END { }' "$WORK/wrk.txt" | head -1)
    errors=$(awk -F'[ ,]+' '/Socket errors/ { print $4 + $6 + $8 + $10 }' "$WORK/wrk.txt")
    final=$(curl -s -H 'Accept: text/csv' --data-urlencode 'query=SELECT (COUNT(*) AS ?n) WHERE { GRAPH <urn:bench:write> { ?s ?p ?o } }' "$url" | sed -n 2p | tr -d '\r')
    seen=$(tr -d '\r' < "$WORK/seen.txt" | sort -u | tr '\n' ' ')
    printf '%-34s %9s req/s   p50 %8s   p99 %8s   non-2xx %s   socket errors %s   write: PUT %s, counts seen %s, after %s\n' \
        "$label" "$rps" "$p50" "$p99" "${failed:-0}" "${errors:-0}" "$(cat "$WORK/put.txt")" "$seen" "$final"
}

echo "$(nproc) cores; $CONNECTIONS clients for $DURATION s per server; wrk $(wrk --version 2>&1 | head -1 | cut -d' ' -f2)"
RUNS="${RUNS:-3}"
for name in $CASES; do
    prepare "$name"
    write_queries "$name"
    : > "$WORK/rps-credgraph.txt"; : > "$WORK/rps-oxigraph.txt"
    for run in $(seq 1 "$RUNS"); do
        start_credgraph "$name"
        [ "$run" = 1 ] && ours=$(answers http://127.0.0.1:7901/query)
        load "credgraph serve ($name, run $run)" http://127.0.0.1:7901/query http://127.0.0.1:7901/store -H "Authorization: Bearer $TOKEN"
        awk '/Requests\/sec/ { print $2 }' "$WORK/wrk.txt" >> "$WORK/rps-credgraph.txt"
        stop
        start_oxigraph "$name"
        [ "$run" = 1 ] && theirs=$(answers http://127.0.0.1:7902/query)
        load "oxigraph serve ($name, run $run)" http://127.0.0.1:7902/query http://127.0.0.1:7902/store
        awk '/Requests\/sec/ { print $2 }' "$WORK/wrk.txt" >> "$WORK/rps-oxigraph.txt"
        stop
    done
    if [ "$ours" = "$theirs" ]; then echo "  both servers gave the same rows for every query"; else echo "  ANSWERS DIFFER: $ours / $theirs"; fi
    a=$(median < "$WORK/rps-credgraph.txt"); b=$(median < "$WORK/rps-oxigraph.txt")
    printf '  %s: median of %s runs: credgraph %s req/s, oxigraph %s req/s, ratio %.2f\n' "$name" "$RUNS" "$a" "$b" "$(echo "$a / $b" | bc -l)"
done
