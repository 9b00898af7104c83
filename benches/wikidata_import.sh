#!/usr/bin/env bash
# Times `credgraph import` of 10,000 Wikidata entities (issue 27's target: under
# 10 seconds), into a fresh store on disk, with hyperfine.
#
#   benches/wikidata_import.sh ENTITIES.jsonl [COUNT]
#
# ENTITIES.jsonl is real entity JSON, one entity a line (a slice of a Wikidata dump;
# the shared development data has 274 entities of Estonia's parliament). The script
# makes COUNT entities (10,000 by default) by repeating the file with every Q-id
# shifted by a multiple of 10^9 in each copy, so that each copy refers to its own
# posts, parties and organizations, as a slice of a dump does; it writes them as a
# gzipped dump and as plain lines.
set -euo pipefail
source="${1:?give a file of Wikidata entities, one a line}"
count="${2:-10000}"
binary="${CREDGRAPH:-target/release/credgraph}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 - "$source" "$count" "$work/entities.jsonl" <<'PY'
import json, re, sys
source, count, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
lines = [l for l in open(source, encoding="utf-8") if l.strip()]
written = 0
with open(out, "w", encoding="utf-8") as f:
    copy = 0
    while written < count:
        shift = copy * 1_000_000_000
        for line in lines:
            if written == count:
                break
            text = re.sub(r'"(Q)(\d+)"', lambda m: '"Q%d"' % (int(m.group(2)) + shift), line)
            text = re.sub(r'"numeric-id": ?(\d+)', lambda m: '"numeric-id": %d' % (int(m.group(1)) + shift), text)
            f.write(text.rstrip("\n") + "\n")
            written += 1
        copy += 1
PY
gzip -k "$work/entities.jsonl"
ls -l "$work"/entities.jsonl*
hyperfine --warmup 1 --runs 5 \
  --prepare "rm -rf $work/db" \
  "$binary --db $work/db import $work/entities.jsonl" \
  "$binary --db $work/db import $work/entities.jsonl.gz"
