#!/usr/bin/env bash
# `credgraph serve` under slow clients: the seed's named queries, sent by
# CLIENTS keep-alive clients for DURATION seconds, on an idle server and then
# while SLOW clients (300) each send their request head a byte a second and
# connect again when cut off, as a slowloris attack does. Prints both
# throughputs, their ratio (the target is at least 0.5), and the slowest
# answer of /health, asked every half second during each run (the target is
# under 1 s). The server runs with its defaults: --max-connections 256,
# --request-timeout 10.
#
# Public tools only: bash, curl, python3 (its standard library).
#
#   benches/serve_slow_clients.sh                 # 3 runs of 20 s each way, about 3 minutes
#   RUNS=1 DURATION=10 benches/serve_slow_clients.sh
#   SERVE_ARGS="--max-connections 512" benches/serve_slow_clients.sh
set -euo pipefail
cd "$(dirname "$0")/.."

WORK="${WORK:-${TMPDIR:-/tmp}/credgraph-bench}"
DURATION="${DURATION:-20}"
CLIENTS="${CLIENTS:-8}"
SLOW="${SLOW:-300}"
RUNS="${RUNS:-3}"
PORT="${PORT:-7903}"
mkdir -p "$WORK"
command -v curl >/dev/null || { echo "needs curl"; exit 1; }

source benches/measure.sh
CREDGRAPH="$(credgraph_binary)"
SERVER=""
SLOWLORIS=""
trap '[ -n "$SLOWLORIS" ] && kill "$SLOWLORIS" 2>/dev/null; [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null || true' EXIT

DB="$WORK/slow-seed.db"
if [ ! -d "$DB" ]; then
    "$CREDGRAPH" --db "$DB" load data/ >/dev/null 2>&1
    "$CREDGRAPH" --db "$DB" reason >/dev/null 2>&1
fi

URL="http://127.0.0.1:$PORT"
# shellcheck disable=SC2086 # SERVE_ARGS is a list of flags
"$CREDGRAPH" --db "$DB" serve --bind "127.0.0.1:$PORT" ${SERVE_ARGS:-} 2>>"$WORK/slow-serve.err" &
SERVER=$!
for _ in $(seq 1 300); do curl -s -o /dev/null "$URL/health" && break; sleep 0.2; done

# The named queries of benches/serve_load.sh, bound by the server itself, one
# form body a line.
: > "$WORK/slow-queries.txt"
for spec in who-corroborates-whom who-contradicts-whom dependencies \
            "corroborators source" "source-statements source" "source-posts source"; do
    set -- $spec
    args=(--data-urlencode "name=$1")
    [ $# -gt 1 ] && args+=(--data-urlencode "source=Jens Stoltenberg")
    curl -sf -G "${args[@]}" "$URL/queries/prepare" \
        | python3 -c 'import sys, urllib.parse; print(urllib.parse.urlencode({"query": sys.stdin.read()}))' \
        >> "$WORK/slow-queries.txt"
done

# CLIENTS threads, each on one kept-alive connection (a new one when it is
# closed), send the queries in turn for DURATION seconds; meanwhile /health is
# asked on a new connection every half second. Prints "answers/s slowest-health-ms
# errors".
load() {
    python3 - "$PORT" "$CLIENTS" "$DURATION" "$WORK/slow-queries.txt" <<'PY'
import http.client, sys, threading, time
port, clients, duration = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
bodies = [line.strip() for line in open(sys.argv[4]) if line.strip()]
headers = {"Content-Type": "application/x-www-form-urlencoded",
           "Accept": "application/sparql-results+json"}
answered, errors, health = [0] * clients, [0] * clients, []
end = time.monotonic() + duration

def client(k):
    connection, i = None, k
    while time.monotonic() < end:
        try:
            if connection is None:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            connection.request("POST", "/query", bodies[i % len(bodies)], headers)
            response = connection.getresponse()
            response.read()
            if response.status == 200:
                answered[k] += 1
            else:
                errors[k] += 1
            i += 1
        except (OSError, http.client.HTTPException):
            errors[k] += 1
            connection = None

def monitor():
    while time.monotonic() < end:
        started = time.monotonic()
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            connection.request("GET", "/health")
            ok = connection.getresponse().status == 200
            connection.close()
        except (OSError, http.client.HTTPException):
            ok = False
        health.append(time.monotonic() - started if ok else float("inf"))
        time.sleep(0.5)

threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
threads.append(threading.Thread(target=monitor))
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print("%.1f %.0f %d" % (sum(answered) / duration, max(health) * 1000, sum(errors)))
PY
}

# SLOW clients, each sending a request head a byte a second and connecting
# again when the server closes it; runs until killed.
slow_clients() {
    python3 - "$PORT" "$SLOW" <<'PY' &
import socket, sys, time
port, count = int(sys.argv[1]), int(sys.argv[2])
head = b"GET /health HTTP/1.1\r\nHost: localhost\r\n" + b"X-Slow: " + b"a" * 10000
def connect():
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=2)
        s.setblocking(False)
        return [s, 0]
    except OSError:
        return None
clients = [connect() for _ in range(count)]
while True:
    for k, c in enumerate(clients):
        if c is None:
            clients[k] = connect()
            continue
        try:
            c[0].send(head[c[1]:c[1] + 1])
            c[1] = (c[1] + 1) % len(head)
        except OSError:
            c[0].close()
            clients[k] = connect()
    time.sleep(1)
PY
    SLOWLORIS=$!
}

echo "$(nproc) cores; $CLIENTS clients for $DURATION s; $SLOW slow clients; $(wc -l < "$WORK/slow-queries.txt") named queries"
: > "$WORK/slow-idle.txt"; : > "$WORK/slow-loaded.txt"
for run in $(seq 1 "$RUNS"); do
    read -r idle idle_health idle_errors <<< "$(load)"
    echo "$idle" >> "$WORK/slow-idle.txt"
    slow_clients
    sleep 3
    read -r loaded loaded_health loaded_errors <<< "$(load)"
    echo "$loaded" >> "$WORK/slow-loaded.txt"
    kill "$SLOWLORIS" 2>/dev/null; wait "$SLOWLORIS" 2>/dev/null || true; SLOWLORIS=""
    printf 'run %s: idle %8s answers/s (slowest /health %s ms, %s errors)   under %s slow clients %8s answers/s (slowest /health %s ms, %s errors)\n' \
        "$run" "$idle" "$idle_health" "$idle_errors" "$SLOW" "$loaded" "$loaded_health" "$loaded_errors"
    sleep 2
done
a=$(median < "$WORK/slow-idle.txt"); b=$(median < "$WORK/slow-loaded.txt")
printf 'median of %s runs: idle %s answers/s, under %s slow clients %s answers/s, ratio %.2f\n' \
    "$RUNS" "$a" "$SLOW" "$b" "$(echo "$b / $a" | bc -l)"
