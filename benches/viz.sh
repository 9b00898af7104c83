#!/usr/bin/env bash
# Pictures at scale (BENCHMARKS.md, "Pictures"): a generated case whose source view
# has about 2,000 sources and over 20,000 edges; `viz` to SVG and to HTML (the
# binary reports reading the store apart from laying out and writing), then the
# HTML page rendered in headless Chromium (--dump-dom returns once the page's
# script has run), beside Chromium on an empty page for its own start-up.
# Medians of RUNS runs (default 5).
#
# Needs Debian's chromium and GNU time.
#   benches/viz.sh
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS="${RUNS:-5}"
WORK="${WORK:-${TMPDIR:-/tmp}/credgraph-viz}"
mkdir -p "$WORK"
source benches/measure.sh
CREDGRAPH="$(credgraph_binary)"
DB="$WORK/case.db"
rm -rf "$DB"
"$CREDGRAPH" generate --sources 2600 --statements 9000 --questions 2000 --seed 7 -o "$WORK/case.nt"
"$CREDGRAPH" --db "$DB" --load "$WORK/case.nt" --reason query --name sources > /dev/null

: > "$WORK/svg.txt"; : > "$WORK/html.txt"; : > "$WORK/layout-svg.txt"; : > "$WORK/layout-html.txt"
: > "$WORK/chromium.txt"; : > "$WORK/empty.txt"
echo '<!DOCTYPE html><title>empty</title><body data-ready="1"></body>' > "$WORK/empty.html"
CHROMIUM=(chromium --headless --no-sandbox --disable-gpu --disable-background-networking --window-size=1400,900 --dump-dom)
for run in $(seq "$RUNS"); do
    for format in svg html; do
        measure "$CREDGRAPH" --db "$DB" viz -o "$WORK/case.$format" >> "$WORK/$format.txt"
        sed -n 's/.*laid out and written in \([0-9.]*\) s.*/\1 0/p' "$WORK/stderr.txt" >> "$WORK/layout-$format.txt"
        cp "$WORK/stderr.txt" "$WORK/viz-stderr.txt"
    done
    measure "${CHROMIUM[@]}" "file://$WORK/case.html" >> "$WORK/chromium.txt"
    grep -q 'data-ready="1"' "$WORK/stdout.txt" || { echo "the page did not finish drawing"; exit 1; }
    measure "${CHROMIUM[@]}" "file://$WORK/empty.html" >> "$WORK/empty.txt"
done
grep -o 'drew [^(]*' "$WORK/viz-stderr.txt" | head -1
report "viz -o case.svg (read, lay out, write)" "$WORK/svg.txt"
report "  of which laying out and writing the SVG" "$WORK/layout-svg.txt"
report "viz -o case.html (read, lay out, write)" "$WORK/html.txt"
report "  of which laying out and writing the HTML" "$WORK/layout-html.txt"
report "chromium --headless --dump-dom case.html" "$WORK/chromium.txt"
report "chromium --headless --dump-dom on an empty page" "$WORK/empty.txt"
