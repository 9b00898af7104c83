# Shared by the benchmark scripts (sourced, not run): GNU time around a command,
# medians, and report lines. Needs WORK set.

command -v /usr/bin/time >/dev/null || { echo "needs GNU time (apt-get install time)"; exit 1; }

# Runs "$@" once under GNU time; prints "seconds kilobytes". Standard output and
# error are kept in $WORK/stdout.txt and $WORK/stderr.txt.
measure() {
    /usr/bin/time -f "%e %M" -o "$WORK/time.txt" "$@" >"$WORK/stdout.txt" 2>"$WORK/stderr.txt" || {
        cat "$WORK/stderr.txt"; exit 1; }
    cat "$WORK/time.txt"
}

# Median of a column of numbers on standard input.
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# Prints "label  median-seconds  median-peak-MB  runs" for a file of "seconds kilobytes" lines.
report() {
    local seconds kilobytes
    seconds=$(cut -d' ' -f1 "$2" | median)
    kilobytes=$(cut -d' ' -f2 "$2" | median)
    printf '%-62s %8.2f s %7.0f MB   (%s runs)\n' "$1" "$seconds" "$((kilobytes / 1024))" "$(wc -l < "$2")"
}

# The release binary, built.
credgraph_binary() {
    cargo build --release --quiet
    echo "$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')/release/credgraph"
}
