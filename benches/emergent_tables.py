#!/usr/bin/env python3
"""Turns the Emergent data set into the tables `credgraph match` reads, plus a gold table.

Input: `../shared/data/emergent/train.tsv` beside the repository (columns claim_id, claim,
claim_truth, article_id, outlet, url, headline, stance; TSV without quoting; see the
README.md there). Output, in --out DIR (default: the current directory):

  statements.tsv     id, source, text           one row per article: the article_id, the
                                                outlet (the article's web site) and the
                                                headline
  propositions.tsv   id, text, question         one row per claim: the claim_id, the claim
                                                and the question it answers ("Is it true
                                                that <claim>?")
  gold.tsv           statement, claim, stance,  the article's claim, its gold stance
                     claim_truth, fold          (for / against / observing), the claim's
                                                truth (true / false / unknown) and the
                                                claim's cross-validation fold

All three are TSV as IANA text/tab-separated-values (no quoting: a tab or line break
inside a field becomes a space), with a header row, in the order of train.tsv
(propositions in the order their claims first appear).

Folds. Cross-validation is over claims: all headlines of one claim are in one fold. A
claim's fold is the first 8 bytes of the SHA-256 of its claim_id, read as a big-endian
integer, modulo the number of folds (--folds, default 5). It is deterministic and does
not depend on the order of the rows.

Selecting claims (for per-fold tables). Without a selection every claim is written.
  --fold K            only the claims of fold K (the held-out claims of fold K)
  --except-fold K     only the claims of the other folds (the training claims of fold K)
  --claims-from FILE  only the claims listed in FILE: one claim_id a line, or the first
                      column of a TSV; blank lines, '#' comments and a header whose first
                      field is `id`, `claim` or `claim_id` are skipped
Several selections combine (a claim must pass all). --all-propositions writes every claim
into propositions.tsv whatever the selection (the statements and gold rows still follow
it), so that a fold's headlines can be matched against all 240 claims.

Usage:
    benches/emergent_tables.py [--data PATH] [--out DIR] [--folds N]
                               [--fold K | --except-fold K] [--claims-from FILE]
                               [--all-propositions]

The functions (read_rows, fold_of, select, write_tables) are imported by
benches/match_emergent.py and benches/emergent_rdf.py.
"""
import argparse
import csv
import hashlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "emergent" / "train.tsv"
COLUMNS = ("claim_id", "claim", "claim_truth", "article_id", "outlet", "url", "headline", "stance")
STANCES = ("for", "against", "observing")
FOLDS = 5


def clean(field):
    """A TSV field: tabs and line breaks become spaces, surrounding space is trimmed."""
    return " ".join(field.replace("\t", " ").replace("\r", " ").replace("\n", " ").split())


def read_rows(path=DEFAULT_DATA):
    """The rows of train.tsv as dicts, in file order, with every column checked."""
    path = Path(path)
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise SystemExit(f"{path}: missing columns {', '.join(missing)}")
        rows = []
        for number, row in enumerate(reader, start=2):
            row = {c: clean(row[c] or "") for c in COLUMNS}
            if row["stance"] not in STANCES:
                raise SystemExit(f"{path}:{number}: unknown stance {row['stance']!r}")
            if not row["article_id"] or not row["claim_id"]:
                raise SystemExit(f"{path}:{number}: empty article_id or claim_id")
            rows.append(row)
    return rows


def fold_of(claim_id, folds=FOLDS):
    """The claim's fold, 0 .. folds-1: SHA-256 of the claim_id, first 8 bytes, mod folds."""
    digest = hashlib.sha256(claim_id.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % folds


def claims_from(path):
    """Claim ids listed in a file (one a line, or the first column of a TSV)."""
    ids = set()
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            first = line.split("\t")[0].strip()
            if first in ("id", "claim", "claim_id"):
                continue
            ids.add(first)
    return ids


def select(rows, folds=FOLDS, fold=None, except_fold=None, claim_ids=None):
    """The rows whose claim passes every selection given."""
    keep = []
    for row in rows:
        f = fold_of(row["claim_id"], folds)
        if fold is not None and f != fold:
            continue
        if except_fold is not None and f == except_fold:
            continue
        if claim_ids is not None and row["claim_id"] not in claim_ids:
            continue
        keep.append(row)
    return keep


def question_of(claim):
    """The question a claim answers, in words."""
    claim = claim.rstrip(" .!?")
    return f"Is it true that {claim}?"


def claims(rows):
    """One (claim_id, claim, claim_truth) per claim, in order of first appearance."""
    seen = {}
    for row in rows:
        seen.setdefault(row["claim_id"], (row["claim_id"], row["claim"], row["claim_truth"]))
    return list(seen.values())


def write_tsv(path, header, records):
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write("\t".join(header) + "\n")
        for record in records:
            f.write("\t".join(clean(str(x)) for x in record) + "\n")


def write_tables(rows, out, folds=FOLDS, proposition_rows=None):
    """Writes statements.tsv, propositions.tsv and gold.tsv into `out`; returns the paths.

    proposition_rows: the rows whose claims go into propositions.tsv (default: `rows`).
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    paths = {
        "statements": out / "statements.tsv",
        "propositions": out / "propositions.tsv",
        "gold": out / "gold.tsv",
    }
    write_tsv(paths["statements"], ("id", "source", "text"),
              ((r["article_id"], r["outlet"], r["headline"]) for r in rows))
    write_tsv(paths["propositions"], ("id", "text", "question"),
              ((c, text, question_of(text))
               for c, text, _ in claims(rows if proposition_rows is None else proposition_rows)))
    write_tsv(paths["gold"], ("statement", "claim", "stance", "claim_truth", "fold"),
              ((r["article_id"], r["claim_id"], r["stance"], r["claim_truth"],
                fold_of(r["claim_id"], folds)) for r in rows))
    return paths


def main():
    parser = argparse.ArgumentParser(
        description="Emergent -> statement, proposition and gold tables for `credgraph match`.")
    parser.add_argument("--data", default=str(DEFAULT_DATA), help="train.tsv (default: %(default)s)")
    parser.add_argument("--out", default=".", help="output directory (default: .)")
    parser.add_argument("--folds", type=int, default=FOLDS, help="number of folds (default: 5)")
    parser.add_argument("--fold", type=int, help="keep only the claims of this fold")
    parser.add_argument("--except-fold", type=int, help="keep only the claims of the other folds")
    parser.add_argument("--claims-from", help="keep only the claims listed in this file")
    parser.add_argument("--all-propositions", action="store_true",
                        help="write every claim into propositions.tsv whatever the selection")
    args = parser.parse_args()
    for k in (args.fold, args.except_fold):
        if k is not None and not 0 <= k < args.folds:
            parser.error(f"a fold is 0 .. {args.folds - 1}")

    rows = read_rows(args.data)
    wanted = claims_from(args.claims_from) if args.claims_from else None
    kept = select(rows, args.folds, args.fold, args.except_fold, wanted)
    paths = write_tables(kept, args.out, args.folds, rows if args.all_propositions else None)
    n_claims = len(claims(rows if args.all_propositions else kept))
    print(f"{len(kept)} statements, {n_claims} propositions -> "
          + ", ".join(str(p) for p in paths.values()), file=sys.stderr)


if __name__ == "__main__":
    main()
