#!/usr/bin/env bash
# The speed of `credgraph match`: statement tables of 10,000, 100,000 and 1,000,000 rows
# matched against the 240 Emergent claims, timing
#
#   credgraph --memory match big.tsv --propositions props.tsv --format json -o /dev/null
#
# Target (the issue): 100,000 statements in under 20 s on two cores, under 2 GB of memory,
# and a cost that grows no worse than n log n.
#
# The tables. benches/emergent_tables.py writes the 2,071 real headlines and the 240
# claims (props.tsv). A table of N rows repeats the headlines in passes: row i (0-based)
# is headline i mod 2071 with " #i" appended (a sequence number token, so no two rows are
# the same text), its id is "s<i>", and its source is taken from the 630 real outlets
# shuffled anew for every pass (Python's random.Random(SEED + pass), SEED 1), so a
# headline is said by a different outlet in each pass. Deterministic: the same N and
# SEED give the same file.
#
# Timing. Each size is run once under `/usr/bin/time -v` (wall time and peak resident
# memory), then, when hyperfine is installed and the size is at most HYPERFINE_MAX rows,
# timed by hyperfine (--warmup 1 --runs RUNS); without hyperfine the single run's wall
# time (date +%s.%N) is the figure. A run longer than TIMEOUT seconds is stopped and
# reported as such. On a machine with more than two cores the runs are pinned to cores
# 0 and 1 (taskset), as the target is stated for two cores. The last column is the
# growth exponent between one size and the previous one: log(t2/t1) / log(n2/n1)
# (1 is linear; n log n from 100k to 1M is about 1.12).
#
#   benches/match_speed.sh                              # 10k, 100k, 1M
#   SIZES="10000 100000" RUNS=5 benches/match_speed.sh
#   CREDGRAPH=/path/to/credgraph                        # default: $CARGO_TARGET_DIR/release/credgraph
#   WORK=/tmp/match-speed                               # keep the tables there (default: a temp dir)
#   SEED=1 TIMEOUT=900 HYPERFINE_MAX=100000
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES="${SIZES:-10000 100000 1000000}"
RUNS="${RUNS:-3}"
SEED="${SEED:-1}"
TIMEOUT="${TIMEOUT:-900}"
HYPERFINE_MAX="${HYPERFINE_MAX:-100000}"
CREDGRAPH="${CREDGRAPH:-${CARGO_TARGET_DIR:-target}/release/credgraph}"

if [ ! -x "$CREDGRAPH" ]; then
    echo "no binary at $CREDGRAPH: build with cargo build --release, or set CREDGRAPH" >&2
    exit 2
fi
if [ ! -x /usr/bin/time ]; then
    echo "needs GNU time (/usr/bin/time): apt-get install time" >&2
    exit 2
fi

if [ -n "${WORK:-}" ]; then
    mkdir -p "$WORK"
else
    WORK="$(mktemp -d "${TMPDIR:-/tmp}/credgraph-match-speed.XXXXXX")"
    trap 'rm -rf "$WORK"' EXIT
fi

PIN=()
if [ "$(nproc)" -gt 2 ] && command -v taskset >/dev/null; then
    PIN=(taskset -c 0,1)
fi

python3 benches/emergent_tables.py --out "$WORK/emergent" 2>/dev/null
cp "$WORK/emergent/propositions.tsv" "$WORK/props.tsv"

generate() {  # generate N FILE
    python3 - "$1" "$2" "$SEED" "$WORK/emergent/statements.tsv" <<'PY'
import random, sys
n, out, seed, real = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4]
with open(real, encoding="utf-8") as f:
    next(f)
    rows = [line.rstrip("\n").split("\t") for line in f if line.strip()]
headlines = [r[2] for r in rows]
outlets = sorted({r[1] for r in rows})
with open(out, "w", encoding="utf-8") as f:
    f.write("id\tsource\ttext\n")
    shuffled = []
    for i in range(n):
        k, j = divmod(i, len(headlines))
        if j == 0:
            shuffled = outlets[:]
            random.Random(seed + k).shuffle(shuffled)
        f.write(f"s{i}\t{shuffled[j % len(shuffled)]}\t{headlines[j]} #{i}\n")
PY
}

printf '| statements | seconds | peak memory (MB) | statements/s | timing | growth exponent |\n'
printf '| --- | --- | --- | --- | --- | --- |\n'
prev_n=""; prev_t=""
for n in $SIZES; do
    table="$WORK/big-$n.tsv"
    [ -s "$table" ] || generate "$n" "$table"
    cmd=("${PIN[@]}" "$CREDGRAPH" --memory match "$table" --propositions "$WORK/props.tsv" --format json -o /dev/null)

    start=$(date +%s.%N)
    status=0
    timeout "$TIMEOUT" /usr/bin/time -v -o "$WORK/time-$n.txt" "${cmd[@]}" 2>"$WORK/stderr-$n.txt" || status=$?
    end=$(date +%s.%N)
    if [ "$status" -ne 0 ]; then
        if [ "$status" -eq 124 ]; then what="timed out after ${TIMEOUT} s"; else what="failed ($status)"; fi
        printf '| %s | %s | - | - | - | - |\n' "$n" "$what"
        tail -3 "$WORK/stderr-$n.txt" >&2 || true
        continue
    fi
    kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$WORK/time-$n.txt")
    mb=$(awk -v kb="$kb" 'BEGIN {printf "%.0f", kb / 1024}')
    seconds=$(awk -v a="$start" -v b="$end" 'BEGIN {printf "%.3f", b - a}')
    timing="1 run"
    if command -v hyperfine >/dev/null && [ "$n" -le "$HYPERFINE_MAX" ]; then
        hyperfine --warmup 1 --runs "$RUNS" --style none --export-json "$WORK/hyperfine-$n.json" \
            "$(printf '%q ' "${cmd[@]}")" >/dev/null 2>&1
        read -r seconds sd < <(python3 -c 'import json, sys; r = json.load(open(sys.argv[1]))["results"][0]; print("%.3f %.3f" % (r["mean"], r["stddev"] or 0))' "$WORK/hyperfine-$n.json")
        timing="hyperfine, $RUNS runs, sd $sd s"
    fi
    rate=$(awk -v n="$n" -v t="$seconds" 'BEGIN {printf "%.0f", (t > 0 ? n / t : 0)}')
    growth="-"
    if [ -n "$prev_n" ]; then
        growth=$(awk -v n1="$prev_n" -v t1="$prev_t" -v n2="$n" -v t2="$seconds" \
            'BEGIN {printf "%.2f", (t1 > 0 && t2 > 0 ? log(t2 / t1) / log(n2 / n1) : 0)}')
    fi
    printf '| %s | %s | %s | %s | %s | %s |\n' "$n" "$seconds" "$mb" "$rate" "$timing" "$growth"
    prev_n="$n"; prev_t="$seconds"
done
echo
echo "binary: $CREDGRAPH; $(nproc) cores${PIN:+ (pinned to cores 0,1)}; claims: $(($(wc -l <"$WORK/props.tsv") - 1))"
