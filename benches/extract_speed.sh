#!/usr/bin/env bash
# The speed of `credgraph extract`: one process reading 1,000 generated articles of
# about 800 words each (benches/extract_corpus.py, seed 1) and writing one review sheet
# per article into a directory. The target is a median under 5 seconds.
#
# `credgraph extract` takes several article files, and `-o DIR` writes one review
# sheet per article into DIR; the store is in memory (--memory), so no linking
# against a case is timed, only the text rules and the writing.
#
#   benches/extract_speed.sh                         # temp corpus, 5 runs
#   RUNS=10 CORPUS=/data/extract-corpus benches/extract_speed.sh
#   ARTICLES=1000 WORDS=800 SEED=1                   # the corpus (defaults shown)
#   CREDGRAPH=/path/to/credgraph                     # another binary; default: build release
#
# Timing is by hyperfine (--warmup 1, --runs RUNS); the output directory is emptied
# before every run. CORPUS, when given, is kept; it is generated only when it holds
# no article-*.txt yet.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS="${RUNS:-5}"
ARTICLES="${ARTICLES:-1000}"
WORDS="${WORDS:-800}"
SEED="${SEED:-1}"

command -v hyperfine >/dev/null || {
    echo "needs hyperfine: sudo apt-get install hyperfine (Debian 12, Ubuntu 22.04 and later)," >&2
    echo "or cargo install hyperfine" >&2
    exit 1
}

WORK="$(mktemp -d "${TMPDIR:-/tmp}/credgraph-extract-speed.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
CORPUS="${CORPUS:-$WORK/corpus}"
OUT="$WORK/sheets"

if ! compgen -G "$CORPUS/article-*.txt" >/dev/null; then
    python3 benches/extract_corpus.py --articles "$ARTICLES" --words "$WORDS" --seed "$SEED" -o "$CORPUS"
fi
FILES=$(find "$CORPUS" -maxdepth 1 -name 'article-*.txt' | wc -l)
WORDCOUNT=$(cat "$CORPUS"/article-*.txt | wc -w)

if [ -z "${CREDGRAPH:-}" ]; then
    cargo build --release --quiet
    CREDGRAPH="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')/release/credgraph"
fi
"$CREDGRAPH" extract --help >/dev/null 2>&1 || {
    echo "$CREDGRAPH has no extract command" >&2
    exit 1
}

# Quoted for the shell hyperfine starts; the glob is expanded there, one process for all.
COMMAND="$(printf '%q' "$CREDGRAPH") --memory extract $(printf '%q' "$CORPUS")/*.txt -o $(printf '%q' "$OUT")"
echo "corpus: $FILES articles, $WORDCOUNT words, in $CORPUS; $RUNS runs; $(nproc) cores"
hyperfine --warmup 1 --runs "$RUNS" \
    --prepare "rm -rf $(printf '%q' "$OUT") && mkdir -p $(printf '%q' "$OUT")" \
    --export-json "$WORK/hyperfine.json" \
    "$COMMAND"

SHEETS=$(find "$OUT" -type f | wc -l)
python3 - "$WORK/hyperfine.json" "$FILES" "$SHEETS" <<'EOF'
import json, sys
result = json.load(open(sys.argv[1]))["results"][0]
median = result["median"]
print(f"median: {median:.3f} s for {sys.argv[2]} articles "
      f"({median / int(sys.argv[2]) * 1000:.2f} ms an article; {sys.argv[3]} sheets written); "
      f"target under 5 s: {'met' if median < 5 else 'MISSED'}")
EOF
