#!/usr/bin/env python3
"""Scores `credgraph extract` against the hand-made gold set of tests/extract-gold/.

For every gold file NN-slug.gold.tsv it runs

    BINARY --memory extract ARTICLE --format json

on the article NN-slug.txt beside it (and, for seed.gold.tsv, on the seed article
data/2022-12-24-belarus-threat.txt), reads the review sheet the command prints and
compares its proposals ("statements") with the gold rows.

Matching. A proposal matches a gold row when the proposal's `text` contains the row's
snippet, both normalised: typographic quotes and apostrophes to straight ones,
whitespace collapsed, case ignored. The speaker is right when the gold speaker is
OUTLET and the proposal's speaker_kind is "outlet"; or the two names are equal
(case ignored); or their last words are equal (surnames). Names are compared without
quote marks and without a parenthetical remark, so the seed's entity label
`Commander of Operational Command "South" (unnamed in the report)` ends in "South".

Figures, per article and overall (summed over all gold rows and proposals):
  recall           gold rows with a matching proposal whose speaker is right;
  speaker prec.    of the proposals that match some gold row and name a speaker
                   (speaker_kind is not "unknown"), those right for a row they match;
  quote coverage   gold `quote` rows with a matching proposal that names a speaker;
  quote prec.      of those covered quote rows, the ones where a matching proposal
                   names the right speaker (speaker attribution precision on quotes);
  how, certainty   over the gold rows that some proposal matches, the share where the
                   row's proposal agrees (the row's proposal is the first matching one
                   with the right speaker, else the first matching one; a null
                   certainty stands for the gold "-");
  over-proposals   proposals that match no gold row;
  mention F1       over quote rows with a gold `mention`: a proposal's speaker_mention
                   text equal to it is right; precision over the rows whose
                   proposal gives a mention, recall over all of them.

It is a report, not a test: the exit status is 0 whatever the figures (2 when the
binary is missing). --check-gold only checks the gold files themselves (snippets of 4
to 8 words found exactly once in their article, quote rows inside quotation marks,
known values) and exits 1 on a problem; it needs no binary.

Usage:
    benches/extract_eval.py [--binary target/release/credgraph] [--gold tests/extract-gold]
                            [--json] [--details] [--kept-only] [--check-gold]
"""
import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED_ARTICLE = ROOT / "data" / "2022-12-24-belarus-threat.txt"

HOWS = ("quote", "paraphrase")
CERTAINTIES = ("almost-no-chance", "very-unlikely", "unlikely", "roughly-even-chance",
               "likely", "very-likely", "almost-certain")

QUOTES = str.maketrans({
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u00ab": '"',
    "\u00bb": '"', "\u2033": '"',
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u02bc": "'",
    "\u2032": "'", "\u00b4": "'", "`": "'",
})


def norm(text):
    """Straight quotes, one space for any run of whitespace, lower case."""
    return " ".join((text or "").translate(QUOTES).split()).casefold()


def name_key(name):
    """A speaker's name for comparison: no parenthetical remark, no quote marks."""
    name = re.sub(r"\([^)]*\)", " ", norm(name))
    name = name.replace('"', " ")
    return " ".join(w.strip(".,;:'") for w in name.split()).strip()


def last_word(name):
    words = name_key(name).split()
    return words[-1] if words else ""


def speaker_right(gold_speaker, proposal):
    kind = (proposal.get("speaker_kind") or "unknown").lower()
    if gold_speaker == "OUTLET":
        return kind == "outlet"
    speaker = proposal.get("speaker") or ""
    if not name_key(speaker) or kind == "unknown":
        return False
    if name_key(speaker) == name_key(gold_speaker):
        return True
    return last_word(speaker) == last_word(gold_speaker) != ""


def norm_certainty(value):
    if value is None:
        return "-"
    value = str(value).strip()
    if value.lower() in ("", "-", "none", "null", "plain"):
        return "-"
    value = re.sub(r"(?<=[a-z])(?=[A-Z])", "-", value)  # AlmostCertain -> Almost-Certain
    return re.sub(r"[\s_]+", "-", value).lower()


def has_speaker(proposal):
    return (proposal.get("speaker_kind") or "unknown").lower() != "unknown"


# ---------------------------------------------------------------------------
# Gold files

COLUMNS = ["speaker", "how", "certainty", "snippet"]


def read_gold(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        if header not in (COLUMNS, COLUMNS + ["mention"]):
            raise SystemExit(f"{path}: header must be speaker, how, certainty, snippet "
                             "and optionally mention (tab-separated)")
        for number, line in enumerate(f, start=2):
            line = line.rstrip("\n")
            if not line.strip():
                continue
            fields = line.split("\t")
            if len(fields) != len(header):
                raise SystemExit(f"{path}:{number}: expected {len(header)} tab-separated fields, "
                                 f"got {len(fields)}")
            speaker, how, certainty, snippet = fields[:4]
            mention = fields[4] if len(fields) > 4 else ""
            rows.append({"line": number, "speaker": speaker, "how": how,
                         "certainty": certainty, "snippet": snippet, "mention": mention})
    return rows


def gold_pairs(gold_dir):
    """(name, gold file, article file) for every gold file, seed last."""
    pairs = []
    for gold in sorted(gold_dir.glob("*.gold.tsv")):
        name = gold.name[: -len(".gold.tsv")]
        article = SEED_ARTICLE if name == "seed" else gold_dir / f"{name}.txt"
        pairs.append((name, gold, article))
    pairs.sort(key=lambda p: p[0] == "seed")
    return pairs


def split_header(text):
    """(header dict, body) for an article whose first lines are `key: value` lines
    ending at the first blank line; no header when the first line is not one."""
    lines = text.split("\n")
    header = {}
    if not lines or not re.match(r"^[a-z]+: ", lines[0]):
        return header, text
    for i, line in enumerate(lines):
        if not line.strip():
            return header, "\n".join(lines[i + 1:])
        key, _, value = line.partition(": ")
        header[key] = value
    return header, ""


def check_gold(pairs):
    problems = []
    counts = {"rows": 0, "quote": 0, "paraphrase": 0, "OUTLET": 0, "hedged": 0}
    for name, gold, article in pairs:
        if not article.exists():
            problems.append(f"{gold}: no article {article}")
            continue
        text = article.read_text(encoding="utf-8")
        header, body = split_header(text)
        if name != "seed":
            keys = list(header)
            if keys[:1] != ["note"]:
                problems.append(f"{article}: the first header line must be `note: ...`")
            for key in keys:
                if key not in ("note", "date", "outlet", "title"):
                    problems.append(f"{article}: unknown header key {key!r}")
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", header.get("date", "")):
                problems.append(f"{article}: needs `date: YYYY-MM-DD`")
            if not header.get("outlet"):
                problems.append(f"{article}: needs `outlet: NAME`")
            paragraphs = [p for p in body.split("\n") if p.strip()]
            if not 1 <= len(paragraphs) <= 8:
                problems.append(f"{article}: {len(paragraphs)} paragraphs (1 to 8)")
        nbody = norm(body)
        for row in read_gold(gold):
            where = f"{gold.name}:{row['line']}"
            counts["rows"] += 1
            counts[row["how"]] = counts.get(row["how"], 0) + 1
            counts["OUTLET"] += row["speaker"] == "OUTLET"
            counts["hedged"] += row["certainty"] != "-"
            if row["how"] not in HOWS:
                problems.append(f"{where}: how {row['how']!r}")
            if row["certainty"] != "-" and row["certainty"] not in CERTAINTIES:
                problems.append(f"{where}: certainty {row['certainty']!r}")
            if not row["speaker"].strip():
                problems.append(f"{where}: empty speaker")
            elif row["speaker"] != "OUTLET" and last_word(row["speaker"]) not in nbody:
                problems.append(f"{where}: speaker {row['speaker']!r} not in the article")
            words = row["snippet"].split()
            if not 4 <= len(words) <= 8:
                problems.append(f"{where}: snippet of {len(words)} words")
            snippet = norm(row["snippet"])
            found = nbody.count(snippet)
            if found != 1:
                problems.append(f"{where}: snippet {row['snippet']!r} found {found} times")
                continue
            if row["mention"] and row["mention"] not in body:
                problems.append(f"{where}: mention {row['mention']!r} not in the article")
            if row["mention"] and row["how"] != "quote":
                problems.append(f"{where}: a mention is given for quote rows only")
            if row["snippet"] not in body:
                problems.append(f"{where}: snippet {row['snippet']!r} not copied exactly")
            inside = nbody[: nbody.index(snippet)].count('"') % 2 == 1
            if row["how"] == "quote" and not inside:
                problems.append(f"{where}: quote row whose snippet is outside quotation marks")
            if row["how"] == "paraphrase" and inside:
                problems.append(f"{where}: paraphrase row whose snippet is inside quotation marks")
    return problems, counts


# ---------------------------------------------------------------------------
# Running and scoring

def run_extract(binary, article):
    """(proposals, error)."""
    try:
        done = subprocess.run([str(binary), "--memory", "extract", str(article), "--format", "json"],
                              capture_output=True, text=True, timeout=300)
    except subprocess.TimeoutExpired:
        return [], "timed out after 300 s"
    if done.returncode != 0:
        lines = [l for l in done.stderr.splitlines() if l.strip()]
        return [], f"exit {done.returncode}: " + (lines[0].strip() if lines else "(no message)")
    try:
        sheet = json.loads(done.stdout)
    except json.JSONDecodeError as e:
        return [], f"not JSON on stdout: {e}"
    if isinstance(sheet, list):  # one sheet per article, should the command print a list
        sheet = sheet[0] if sheet else {}
    statements = sheet.get("statements") if isinstance(sheet, dict) else None
    if not isinstance(statements, list):
        return [], "no `statements` list in the sheet"
    return [s for s in statements if isinstance(s, dict)], None


def ratio(numerator, denominator):
    return round(numerator / denominator, 4) if denominator else None


def score(rows, proposals, kept_only):
    if kept_only:
        proposals = [p for p in proposals if p.get("keep", True) is not False]
    texts = [norm(p.get("text")) for p in proposals]
    matches = []  # per row: indices of matching proposals
    for row in rows:
        snippet = norm(row["snippet"])
        matches.append([i for i, t in enumerate(texts) if snippet in t])

    s = {"gold": len(rows), "proposals": len(proposals), "recall_hits": 0,
         "quotes": 0, "quotes_covered": 0, "matched_rows": 0, "how_right": 0,
         "certainty_right": 0, "speaker_named": 0, "speaker_right": 0, "quote_right": 0,
         "over_proposals": 0, "mention_gold": 0, "mention_proposed": 0, "mention_right": 0,
         "missed": [], "wrong": [], "over": []}
    right_for_some = set()
    matched_props = set()
    for row, idx in zip(rows, matches):
        right = [i for i in idx if speaker_right(row["speaker"], proposals[i])]
        right_for_some.update(right)
        matched_props.update(idx)
        if right:
            s["recall_hits"] += 1
        if row["how"] == "quote":
            s["quotes"] += 1
            if any(has_speaker(proposals[i]) for i in idx):
                s["quotes_covered"] += 1
                s["quote_right"] += bool(right)
        if not idx:
            s["missed"].append(f"{row['speaker']} | {row['how']} | {row['certainty']} | {row['snippet']}")
            continue
        s["matched_rows"] += 1
        best = proposals[right[0] if right else idx[0]]
        if row["mention"]:
            proposed = (best.get("speaker_mention") or {}).get("text")
            s["mention_gold"] += 1
            s["mention_proposed"] += proposed is not None
            s["mention_right"] += proposed == row["mention"]
            if proposed != row["mention"]:
                s["wrong"].append(f"{row['snippet']!r}: gold mention {row['mention']!r}; "
                                  f"proposed {proposed!r}")
        how = (best.get("how") or "").lower()
        certainty = norm_certainty(best.get("certainty"))
        s["how_right"] += how == row["how"]
        s["certainty_right"] += certainty == row["certainty"]
        if not right or how != row["how"] or certainty != row["certainty"]:
            s["wrong"].append(f"{row['snippet']!r}: gold {row['speaker']} / {row['how']} / "
                              f"{row['certainty']}; proposed {best.get('speaker') or '?'} "
                              f"({best.get('speaker_kind')}) / {how or '?'} / {certainty}")
    for i, p in enumerate(proposals):
        if i in matched_props:
            if has_speaker(p):
                s["speaker_named"] += 1
                s["speaker_right"] += i in right_for_some
        else:
            s["over_proposals"] += 1
            s["over"].append(f"{p.get('speaker') or '?'} ({p.get('speaker_kind')}): "
                             f"{' '.join((p.get('text') or '').split())[:100]}")
    return s


FIGURES = (("recall", "recall_hits", "gold"),
           ("speaker_precision", "speaker_right", "speaker_named"),
           ("quote_coverage", "quotes_covered", "quotes"),
           ("quote_speaker_precision", "quote_right", "quotes_covered"),
           ("how_accuracy", "how_right", "matched_rows"),
           ("certainty_accuracy", "certainty_right", "matched_rows"))
COUNTS = ("gold", "proposals", "recall_hits", "quotes", "quotes_covered", "matched_rows",
          "how_right", "certainty_right", "speaker_named", "speaker_right", "quote_right",
          "over_proposals", "mention_gold", "mention_proposed", "mention_right")


def summary(s):
    out = {k: s[k] for k in COUNTS}
    for name, num, den in FIGURES:
        out[name] = ratio(s[num], s[den])
    out["mention_f1"] = mention_f1(s)
    return out


def mention_f1(s):
    """F1 of the speaker mention's words over gold quote rows that give one: precision
    over those rows whose proposal gives a mention, recall over all of them."""
    if not s["mention_gold"] or not s["mention_right"]:
        return 0.0 if s["mention_gold"] else None
    precision = s["mention_right"] / s["mention_proposed"]
    recall = s["mention_right"] / s["mention_gold"]
    return round(2 * precision * recall / (precision + recall), 4)


def fmt(num, den):
    return f"{num}/{den} {num / den:6.1%}" if den else "-"


def print_table(results, overall, details):
    head = (f"{'article':<32} {'recall':>15} {'speaker prec.':>15} {'quote cov.':>15} "
            f"{'quote prec.':>15} "
            f"{'how':>15} {'certainty':>15} {'over':>5}")
    print(head)
    print("-" * len(head))

    def line(name, s):
        print(f"{name:<32} {fmt(s['recall_hits'], s['gold']):>15} "
              f"{fmt(s['speaker_right'], s['speaker_named']):>15} "
              f"{fmt(s['quotes_covered'], s['quotes']):>15} "
              f"{fmt(s['quote_right'], s['quotes_covered']):>15} "
              f"{fmt(s['how_right'], s['matched_rows']):>15} "
              f"{fmt(s['certainty_right'], s['matched_rows']):>15} {s['over_proposals']:>5}")

    for r in results:
        line(r["article"], r)
    print("-" * len(head))
    line("overall", overall)
    if overall["mention_gold"]:
        print(f"speaker mention (quote rows with a gold mention): "
              f"{overall['mention_right']} right of {overall['mention_proposed']} proposed, "
              f"{overall['mention_gold']} in the gold; F1 {mention_f1(overall):.3f}")
    errors = [r for r in results if r.get("error")]
    for r in errors:
        print(f"  {r['article']}: {r['error']}")
    if details:
        for r in results:
            if r["missed"] or r["wrong"] or r["over"]:
                print(f"\n{r['article']}")
            for m in r["missed"]:
                print(f"  missed: {m}")
            for w in r["wrong"]:
                print(f"  wrong:  {w}")
            for o in r["over"]:
                print(f"  over:   {o}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--binary", default="target/release/credgraph",
                        help="the credgraph binary (relative paths from the repository root)")
    parser.add_argument("--gold", default="tests/extract-gold",
                        help="the gold directory (relative paths from the repository root)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--details", action="store_true",
                        help="list missed rows, wrong speakers/how/certainty, over-proposals")
    parser.add_argument("--kept-only", action="store_true",
                        help="score only the proposals whose `keep` is not false")
    parser.add_argument("--check-gold", action="store_true",
                        help="check the gold files only (no binary needed); exit 1 on a problem")
    args = parser.parse_args()

    gold_dir = Path(args.gold)
    gold_dir = gold_dir if gold_dir.is_absolute() else ROOT / gold_dir
    pairs = gold_pairs(gold_dir)
    if not pairs:
        print(f"no *.gold.tsv in {gold_dir}", file=sys.stderr)
        return 2

    if args.check_gold:
        problems, counts = check_gold(pairs)
        for p in problems:
            print(p)
        print(f"{len(pairs)} articles, {counts['rows']} gold rows: {counts.get('quote', 0)} quote, "
              f"{counts.get('paraphrase', 0)} paraphrase, {counts['OUTLET']} OUTLET, "
              f"{counts['hedged']} with a certainty; {len(problems)} problems")
        return 1 if problems else 0

    binary = Path(args.binary)
    binary = binary if binary.is_absolute() else ROOT / binary
    if not binary.is_file():
        print(f"{binary}: no such binary; run `cargo build --release` first", file=sys.stderr)
        return 2

    results = []
    total = None
    for name, gold, article in pairs:
        rows = read_gold(gold)
        proposals, error = run_extract(binary, article)
        s = score(rows, proposals, args.kept_only)
        s["article"] = name
        s["file"] = str(article.relative_to(ROOT)) if article.is_relative_to(ROOT) else str(article)
        s["error"] = error
        results.append(s)
        if total is None:
            total = {k: 0 for k in COUNTS}
        for k in COUNTS:
            total[k] += s[k]

    overall = summary(total)
    if args.json:
        print(json.dumps({
            "binary": str(binary),
            "gold": str(gold_dir),
            "kept_only": args.kept_only,
            "overall": overall,
            "articles": [dict(article=r["article"], file=r["file"], error=r["error"], **summary(r))
                         for r in results],
        }, indent=2))
    else:
        print_table(results, total, args.details)
    return 0


if __name__ == "__main__":
    sys.exit(main())
