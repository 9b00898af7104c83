#!/usr/bin/env python3
"""Converts the Emergent data set to Turtle in the credgraph model, for the end-to-end path
(load into a store, `reason`, `score`).

Input: `../shared/data/emergent/train.tsv` beside the repository (see its README.md).
Output (-o FILE, default standard output), one Turtle file:

  organization:<slug>          a cg:Outlet, rdfs:label the outlet (the article's web site,
                               as given, e.g. "www.dailymail.co.uk"). The slug is the name
                               lowercased, every run of characters other than letters and
                               digits made one "-", as `credgraph extract` mints slugs:
                               www.dailymail.co.uk -> www-dailymail-co-uk.
  question:emergent-<claim>    a cg:Question, "Is it true that <claim>?"
  proposition:emergent-<claim> a cg:Proposition, rdfs:label the claim, cg:answers the
                               question. <claim> is the claim_id.
  document:emergent-<article>  a cg:Document, rdfs:label the headline, cg:publishedBy the
                               outlet, cg:url the article's URL. <article> is the article_id.
  statement:emergent-<article> a cg:Statement: the headline, cg:statedBy the outlet,
                               cg:reportedIn the document, cg:text the headline,
                               cg:isDirectQuote false, cg:proposition the claim's
                               proposition, cg:polarity from the stance:
                                   for -> cg:Assertion, against -> cg:Denial,
                                   observing -> cg:Report (reports without taking a side)
                               and cg:statedOn "2015-01-01"^^xsd:date for every statement:
                               the data set has no dates, so the date is a fixed stand-in
                               (the claims were tracked in 2014-2015), not a fact.

--stances FILE takes the stances from the JSON that `credgraph match --format json` writes
(an array of objects with "statement", the table id, i.e. the article_id, and "stance":
asserts -> cg:Assertion, denies -> cg:Denial, reports -> cg:Report) instead of the gold
ones; every converted headline must have one. The proposition stays the gold claim's: only
the polarity is predicted. With --certainty, a statement also gets the certainty band the
match JSON gives (e.g. "likely" -> cg:Likely).

--resolutions FILE writes, into that SEPARATE file, one cg:Resolution for each claim whose
truth is settled (claim_truth true -> cg:Confirmed, false -> cg:Refuted; unknown claims
get none), resolved on "2015-06-14"^^xsd:date (the date of the data set's snapshot,
url-versions-2015-06-14). Keep it out of the store when measuring how well scoring
predicts claim truth: scoring must not see the truth it is measured against.

Claims can be selected as in benches/emergent_tables.py (--fold, --except-fold,
--claims-from, --folds).

Usage:
    benches/emergent_rdf.py [--data PATH] [-o CASE.ttl] [--stances MATCH.json [--certainty]]
                            [--resolutions RESOLUTIONS.ttl] [--fold K | --except-fold K]
                            [--claims-from FILE]
"""
import argparse
import json
import re
import sys
from pathlib import Path
from urllib.parse import quote

sys.dont_write_bytecode = True  # no __pycache__ in benches/
sys.path.insert(0, str(Path(__file__).resolve().parent))
import emergent_tables  # noqa: E402

ID = "https://w3id.org/credgraph/id/"
PREFIXES = {
    "cg": "https://w3id.org/credgraph/ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "organization": ID + "organization/",
    "document": ID + "document/",
    "question": ID + "question/",
    "proposition": ID + "proposition/",
    "statement": ID + "statement/",
    "resolution": ID + "resolution/",
}
STATED_ON = "2015-01-01"
RESOLVED_ON = "2015-06-14"
GOLD_POLARITY = {"for": "cg:Assertion", "against": "cg:Denial", "observing": "cg:Report"}
MATCH_POLARITY = {"asserts": "cg:Assertion", "denies": "cg:Denial", "reports": "cg:Report"}
CERTAINTY = {
    "almost-no-chance": "cg:AlmostNoChance", "very-unlikely": "cg:VeryUnlikely",
    "unlikely": "cg:Unlikely", "roughly-even-chance": "cg:RoughlyEvenChance",
    "likely": "cg:Likely", "very-likely": "cg:VeryLikely", "almost-certain": "cg:AlmostCertain",
}
SAFE_LOCAL = re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?")


def slug(name):
    """As `credgraph extract` mints them: letters and digits lowercased, the rest one '-'."""
    out = []
    for c in name:
        if c.isalnum():
            out.append(c.lower())
        elif out and out[-1] != "-":
            out.append("-")
    return "".join(out).strip("-")


def node(prefix, local):
    """A prefixed name when the local part is plain, else the full IRI."""
    if SAFE_LOCAL.fullmatch(local):
        return f"{prefix}:{local}"
    return "<" + PREFIXES[prefix] + quote(local, safe="-._~") + ">"


def literal(text, suffix='@en'):
    escaped = (text.replace("\\", "\\\\").replace('"', '\\"')
               .replace("\n", "\\n").replace("\r", "\\r"))
    return f'"{escaped}"{suffix}'


def outlet_node(outlet):
    return node("organization", slug(outlet) or "unnamed-outlet")


def statement_node(article_id):
    return node("statement", "emergent-" + slug(article_id))


def proposition_node(claim_id):
    return node("proposition", "emergent-" + slug(claim_id))


def question_node(claim_id):
    return node("question", "emergent-" + slug(claim_id))


def document_node(article_id):
    return node("document", "emergent-" + slug(article_id))


def prefix_lines(names):
    width = max(len(n) for n in names) + 2
    return "".join(f"@prefix {(n + ':').ljust(width)}<{PREFIXES[n]}> .\n" for n in names)


def read_stances(path):
    """Statement id -> (polarity, certainty name or None) from `match --format json`."""
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    if isinstance(data, dict):  # tolerate {"statements": [...]}
        data = data.get("statements") or data.get("matches") or []
    out = {}
    for item in data:
        sid = str(item.get("statement", ""))
        stance = item.get("stance")
        if stance not in MATCH_POLARITY:
            raise SystemExit(f"{path}: statement {sid!r} has stance {stance!r}, "
                             "not asserts, denies or reports")
        # A statement named by IRI or prefixed name: the article id is its last part.
        key = sid.rsplit("/", 1)[-1].rsplit(":", 1)[-1]
        if key.startswith("emergent-"):
            key = key[len("emergent-"):]
        out[sid] = out[key] = (MATCH_POLARITY[stance], item.get("certainty"))
    return out


def case_turtle(rows, stances=None, with_certainty=False):
    """The Turtle of the outlets, questions, propositions, documents and statements."""
    out = [
        "# The Emergent data set (Ferreira and Vlachos, NAACL 2016), training split, in the\n"
        "# credgraph model; written by benches/emergent_rdf.py. Each headline is a statement\n"
        "# by its outlet about its claim: for -> cg:Assertion, against -> cg:Denial,\n"
        "# observing -> cg:Report (reports without taking a side).\n"
        f"# Dates: the data has none; every statement is dated {STATED_ON}, a fixed stand-in.\n",
        ("# Stances: predicted by `credgraph match` (the claim is still the gold one).\n"
         if stances is not None else "# Stances: the gold ones of the data set.\n"),
        "\n",
        prefix_lines(["cg", "rdfs", "xsd", "organization", "document", "question",
                      "proposition", "statement"]),
    ]
    outlets, minted = {}, {}
    for row in rows:
        outlet = row["outlet"]
        if outlet in outlets:
            continue
        n = outlet_node(outlet)
        if n in minted:
            print(f"warning: outlets {minted[n]!r} and {outlet!r} share the IRI {n}",
                  file=sys.stderr)
        minted[n] = outlet
        outlets[outlet] = n
    out.append("\n# Outlets\n")
    for outlet, n in sorted(outlets.items(), key=lambda kv: kv[1]):
        out.append(f"\n{n} a cg:Outlet ;\n    rdfs:label {literal(outlet, '')} .\n")

    out.append("\n# Claims: one question each, answered by one proposition\n")
    for claim_id, claim, _truth in emergent_tables.claims(rows):
        q, p = question_node(claim_id), proposition_node(claim_id)
        out.append(f"\n{q} a cg:Question ;\n"
                   f"    rdfs:label {literal(emergent_tables.question_of(claim))} .\n"
                   f"\n{p} a cg:Proposition ;\n"
                   f"    rdfs:label {literal(claim)} ;\n"
                   f"    cg:answers {q} .\n")

    out.append("\n# Headlines: each article's document and its statement\n")
    missing = []
    for row in rows:
        aid = row["article_id"]
        d, s = document_node(aid), statement_node(aid)
        certainty = None
        if stances is None:
            polarity = GOLD_POLARITY[row["stance"]]
        elif aid in stances:
            polarity, certainty = stances[aid]
        else:
            missing.append(aid)
            continue
        lines = [
            f"\n{d} a cg:Document ;\n"
            f"    rdfs:label {literal(row['headline'])} ;\n"
            f"    cg:publishedBy {outlets[row['outlet']]}"
            + (f" ;\n    cg:url {literal(row['url'], '^^xsd:anyURI')} .\n" if row["url"] else " .\n"),
            f"\n{s} a cg:Statement ;\n"
            f"    rdfs:label {literal(row['outlet'] + ': ' + row['headline'])} ;\n"
            f"    cg:statedBy {outlets[row['outlet']]} ;\n"
            f"    cg:statedOn \"{STATED_ON}\"^^xsd:date ;\n"
            f"    cg:reportedIn {d} ;\n"
            f"    cg:text {literal(row['headline'])} ;\n"
            f"    cg:isDirectQuote false ;\n"
            f"    cg:proposition {proposition_node(row['claim_id'])} ;\n"
            f"    cg:polarity {polarity}",
        ]
        if with_certainty and certainty in CERTAINTY:
            lines.append(f" ;\n    cg:certainty {CERTAINTY[certainty]}")
        lines.append(" .\n")
        out.extend(lines)
    if missing:
        raise SystemExit(f"{len(missing)} headlines have no stance in the --stances file "
                         f"(the first: {missing[0]})")
    return "".join(out)


def resolutions_turtle(rows):
    """One cg:Resolution per claim whose truth is true or false."""
    out = [
        "# What turned out about the Emergent claims: the data set's claim_truth, written by\n"
        "# benches/emergent_rdf.py --resolutions. Kept apart from the case so that scoring\n"
        "# can be measured against it without seeing it. Unknown claims have no resolution.\n"
        f"# Resolved on {RESOLVED_ON}: the date of the data set's snapshot.\n\n",
        prefix_lines(["cg", "rdfs", "xsd", "proposition", "resolution"]),
    ]
    for claim_id, claim, truth in emergent_tables.claims(rows):
        if truth not in ("true", "false"):
            continue
        status = "cg:Confirmed" if truth == "true" else "cg:Refuted"
        r = node("resolution", "emergent-" + slug(claim_id))
        out.append(
            f"\n{r} a cg:Resolution ;\n"
            f"    rdfs:label {literal(('True: ' if truth == 'true' else 'False: ') + claim)} ;\n"
            f"    cg:resolves {proposition_node(claim_id)} ;\n"
            f"    cg:status {status} ;\n"
            f"    cg:resolvedOn \"{RESOLVED_ON}\"^^xsd:date ;\n"
            f"    cg:evidence {literal('The Emergent project marked the claim ' + truth + '.')} ;\n"
            f"    cg:evidenceSource {literal('Emergent data set (Ferreira and Vlachos, NAACL 2016), claim_truth', '')} .\n")
    return "".join(out)


def write(text, path):
    if path in (None, "-"):
        sys.stdout.write(text)
    else:
        Path(path).write_text(text, encoding="utf-8")


def main():
    parser = argparse.ArgumentParser(description="Emergent -> Turtle in the credgraph model.")
    parser.add_argument("--data", default=str(emergent_tables.DEFAULT_DATA),
                        help="train.tsv (default: %(default)s)")
    parser.add_argument("-o", "--output", help="the case's Turtle (default: standard output)")
    parser.add_argument("--stances", help="take stances from `credgraph match --format json` output")
    parser.add_argument("--certainty", action="store_true",
                        help="with --stances: also write the certainty band match gives")
    parser.add_argument("--resolutions", help="write the claims' truth as cg:Resolution to this file")
    parser.add_argument("--folds", type=int, default=emergent_tables.FOLDS)
    parser.add_argument("--fold", type=int, help="only the claims of this fold")
    parser.add_argument("--except-fold", type=int, help="only the claims of the other folds")
    parser.add_argument("--claims-from", help="only the claims listed in this file")
    args = parser.parse_args()

    rows = emergent_tables.read_rows(args.data)
    wanted = emergent_tables.claims_from(args.claims_from) if args.claims_from else None
    rows = emergent_tables.select(rows, args.folds, args.fold, args.except_fold, wanted)
    stances = read_stances(args.stances) if args.stances else None
    write(case_turtle(rows, stances, args.certainty), args.output)
    if args.resolutions:
        write(resolutions_turtle(rows), args.resolutions)


if __name__ == "__main__":
    main()
