#!/usr/bin/env python3
"""Measures `credgraph match` on the Emergent data set (stance, matching, clustering, and
optionally the end-to-end path through the store), with 5-fold cross-validation over claims.

Data: `../shared/data/emergent/train.tsv` beside the repository: 2,071 headlines of 630
outlets about 240 claims, each with a gold stance (for / against / observing) and each
claim's truth (true / false / unknown). benches/emergent_tables.py writes the tables.

Folds: over CLAIMS, so all the headlines of a claim are in one fold; a claim's fold comes
from a SHA-256 of its claim_id (emergent_tables.fold_of), so the split is deterministic.
`match` has no parameters fitted here (only those in files the lead ships), so
"cross-validated" means: every figure is reported on each fold's held-out headlines, then
as the unweighted mean over the folds ("mean") and over all headlines at once ("all").
--fit-stance is the one place where something is fitted: on the training folds only.

Runs of the binary (CREDGRAPH is --credgraph, by default $CARGO_TARGET_DIR/release/credgraph
or target/release/credgraph):
  1. CREDGRAPH --memory match statements.tsv --propositions propositions.tsv --format json
     with all 2,071 headlines and ALL 240 claims as candidate propositions; gives
       stance      `stance` (asserts / denies / reports) against the gold stance
                   (for / against / observing): accuracy, macro-F1 over the three
                   classes, the confusion matrix (rows gold, columns predicted);
       matching    right first time: the first of `candidates` is the gold claim
                   (top-1 accuracy); MRR@N: mean of 1/rank of the gold claim in
                   `candidates` (0 when absent; N is --top, passed to match when its
                   --help offers --top); assigned: `proposition` is the gold claim;
  2. CREDGRAPH --memory match fold-K/statements.tsv --format json, WITHOUT propositions,
     once per fold (the fold's held-out headlines only) and once with all headlines, so
     `cluster` comes from the statements alone; B-cubed precision, recall and F1 of the
     clusters against each headline's gold claim.
Baselines computed here the same way, as comparison rows:
  stance    always `for` (asserts);
  matching  TF-IDF cosine between headline and claim: tokens are the lowercased text split
            at whitespace; idf = ln((1 + 240) / (1 + df)) + 1 over the 240 claims; raw term
            counts; candidates with cosine 0 count as absent; ties go to the claim that
            comes first in train.tsv;
  cluster   every headline alone (singletons).

--fit-stance: a multinomial logistic regression of the gold stance over features of each
headline's `cues` in run 1's JSON, present or not: for each cue, its "kind" and (unless
--features kinds) "kind:text" (text lowercased, spaces collapsed; those seen fewer than
--min-count times in the training data are dropped); and, as lexicon/README.md defines
them for match's own model, "denial" when the negation and refuting cues are odd in
number, "double-negation" when they are two or more and even. L2 penalty --l2 on the weights (not the
intercepts), full-batch gradient descent from zero weights for --iterations steps of
--learning-rate on the mean cross-entropy: deterministic. Fitted on the training folds,
evaluated on the held-out fold. --write-model FILE fits on all 240 claims and writes a TSV:
'#' comment lines saying how it was fitted, a header `feature asserts denies reports`, an
`(intercept)` row, then one row per feature.

--end-to-end: converts with benches/emergent_rdf.py, first with the gold stances, then
with the stances of run 1 (the claim of each headline stays the gold one), and for each
runs `CREDGRAPH --db TMP load case.ttl`, `reason`, `score --format json --top 0`,
`query --name who-corroborates-whom --results-format json` and a query of the
dependence-aware beliefs. It reports the outlet pairs that corroborate each other (count
of pairs with cg:corroborations > 0, and the top 10) and how well the belief of each
claim's proposition predicts the claim's truth on the claims marked true or false:
predicted true when belief > 0.5, where belief is the assessment of the proposition
asserted, or 1 - that of its denial when only denials exist, or 0.5 (no side taken,
predicted false) when neither; against the aggregate "true when more headlines are for
than against" (0.707 with the gold stances). The resolutions are NOT loaded: scoring must
not see the truth it is measured against.

--fake-match replaces the binary by a stand-in derived from the gold data (stances with
deterministic errors, TF-IDF candidates, clusters from the gold claims with some split,
cues from a few words): it only checks the harness itself; its figures mean nothing.
--match-json FILE uses a saved JSON of run 1 instead of running it.

Output: a Markdown table of all figures on standard output; --json FILE writes them as
JSON. Exit status 0 whatever the figures; 2 when the binary is missing or fails.

Usage:
    benches/match_emergent.py [--credgraph PATH] [--top 5] [--fit-stance]
                              [--features kinds|kinds+text] [--write-model FILE] [--end-to-end] [--json FILE]
                              [--keep DIR] [--fake-match] [--match-json FILE]
"""
import argparse
import hashlib
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.dont_write_bytecode = True  # no __pycache__ in benches/
sys.path.insert(0, str(HERE))
import emergent_rdf  # noqa: E402
import emergent_tables  # noqa: E402

ROOT = HERE.parent
CLASSES = ("asserts", "denies", "reports")
GOLD_TO_CLASS = {"for": "asserts", "against": "denies", "observing": "reports"}


def default_binary():
    target = os.environ.get("CARGO_TARGET_DIR")
    base = Path(target) if target else ROOT / "target"
    return str(base / "release" / "credgraph")


# ----------------------------------------------------------------------------- running

class Runner:
    """Runs the binary (or the fake stand-in) and keeps what it wrote."""

    def __init__(self, binary, work, fake=False, top=5, rows=None):
        self.binary, self.work, self.fake, self.top = binary, Path(work), fake, top
        self.rows = rows
        self.seconds = {}
        self.match_flags = set()
        if not fake:
            if not Path(binary).exists():
                print(f"no binary at {binary} (give --credgraph, or build release)", file=sys.stderr)
                raise SystemExit(2)
            help_text = self.call(["match", "--help"], memory=False).stdout
            self.match_flags = {f for f in ("--top", "--threshold") if f in help_text}

    def call(self, args, memory=True, db=None, check=True):
        cmd = [self.binary] + (["--db", str(db)] if db else ["--memory"] if memory else []) + args
        result = subprocess.run(cmd, capture_output=True, text=True)
        if check and result.returncode != 0:
            sys.stderr.write(result.stderr)
            print(f"failed ({result.returncode}): {' '.join(cmd)}", file=sys.stderr)
            raise SystemExit(2)
        return result

    def match(self, name, statements, propositions=None):
        """The JSON array `match --format json` writes for these tables."""
        out = self.work / f"{name}.json"
        started = time.perf_counter()
        if self.fake:
            data = fake_match(self.rows, statements, propositions, self.top)
            out.write_text(json.dumps(data, indent=1), encoding="utf-8")
        else:
            args = ["match", str(statements)]
            if propositions:
                args += ["--propositions", str(propositions)]
            if "--top" in self.match_flags:
                args += ["--top", str(self.top)]
            args += ["--format", "json", "-o", str(out)]
            self.call(args)
        self.seconds[name] = time.perf_counter() - started
        with open(out, encoding="utf-8") as f:
            data = json.load(f)
        if isinstance(data, dict):
            data = data.get("statements") or data.get("matches") or []
        return {str(item["statement"]): item for item in data}


# ------------------------------------------------------------------------- fake stand-in

def stable(text, mod):
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big") % mod


def read_tsv(path):
    with open(path, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        return [dict(zip(header, line.rstrip("\n").split("\t"))) for line in f if line.strip()]


def fake_match(rows, statements, propositions, top):
    """A gold-derived stand-in for `match --format json` (harness self-check only)."""
    gold = {r["article_id"]: r for r in rows}
    table = read_tsv(statements)
    props = read_tsv(propositions) if propositions else []
    tfidf = TfIdf([(p["id"], p["text"]) for p in props]) if props else None
    clusters = {}
    out = []
    for s in table:
        g = gold[s["id"]]
        stance = GOLD_TO_CLASS[g["stance"]]
        if stable(s["id"], 5) == 0:
            stance = "asserts"
        words = s["text"].lower().split()
        cues = []
        if s["text"].rstrip().endswith("?"):
            cues.append({"kind": "question", "text": "?"})
        for w in words:
            if w in ("reportedly", "claims", "says", "report:", "rumor", "rumour", "may"):
                cues.append({"kind": "reporting", "text": w})
            if w in ("hoax", "fake", "false", "debunked", "not", "no", "isn't"):
                cues.append({"kind": "refuting" if w in ("hoax", "fake", "false", "debunked")
                             else "negation", "text": w})
        candidates = []
        if tfidf:
            candidates = [{"proposition": c, "score": round(x, 4)}
                          for c, x in tfidf.ranking(s["text"])[:top] if x > 0]
        chosen = candidates[0]["proposition"] if candidates and candidates[0]["score"] > 0.2 else None
        key = chosen or (g["claim_id"] + ("/split" if stable(s["id"], 7) == 0 else ""))
        cluster = clusters.setdefault(key, f"c{len(clusters) + 1}")
        out.append({
            "statement": s["id"], "source": s["source"], "text": s["text"],
            "stance": stance, "certainty": None, "cue": cues[0]["text"] if cues else None,
            "cues": cues, "candidates": candidates, "proposition": chosen,
            "cluster": cluster, "confidence": 0.5,
            "evidence": {"words": [], "names": [], "numbers": [], "dates": []},
        })
    return out


# ----------------------------------------------------------------------------- measures

def mean(xs):
    xs = list(xs)
    return sum(xs) / len(xs) if xs else float("nan")


def stance_figures(gold, predicted):
    """Accuracy, macro-F1 and confusion (gold row, predicted column) over CLASSES."""
    confusion = {g: {p: 0 for p in CLASSES} for g in CLASSES}
    for g, p in zip(gold, predicted):
        confusion[g][p if p in CLASSES else "reports"] += 1
    n = len(gold)
    right = sum(confusion[c][c] for c in CLASSES)
    f1s = []
    for c in CLASSES:
        tp = confusion[c][c]
        predicted_c = sum(confusion[g][c] for g in CLASSES)
        gold_c = sum(confusion[c].values())
        p = tp / predicted_c if predicted_c else 0.0
        r = tp / gold_c if gold_c else 0.0
        f1s.append(2 * p * r / (p + r) if p + r else 0.0)
    return {"n": n, "accuracy": right / n if n else float("nan"),
            "macro_f1": mean(f1s), "f1": dict(zip(CLASSES, f1s)), "confusion": confusion}


def rank_figures(gold, rankings, top):
    """Top-1 accuracy and MRR@top of the gold ids in the rankings (lists of ids)."""
    top1, rr = [], []
    for g, ranking in zip(gold, rankings):
        ranking = ranking[:top]
        top1.append(1.0 if ranking and ranking[0] == g else 0.0)
        rr.append(1.0 / (ranking.index(g) + 1) if g in ranking else 0.0)
    return {"n": len(gold), "top1": mean(top1), "mrr": mean(rr)}


def bcubed(gold, clusters):
    """B-cubed precision, recall and F1 of `clusters` against `gold` (parallel lists)."""
    by_cluster, by_gold, both = Counter(clusters), Counter(gold), Counter(zip(clusters, gold))
    p = mean(both[(c, g)] / by_cluster[c] for c, g in zip(clusters, gold))
    r = mean(both[(c, g)] / by_gold[g] for c, g in zip(clusters, gold))
    return {"n": len(gold), "clusters": len(by_cluster), "gold_claims": len(by_gold),
            "precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


class TfIdf:
    """TF-IDF cosine of a text against fixed documents (lowercase, whitespace tokens)."""

    def __init__(self, documents):
        self.ids = [d for d, _ in documents]
        counts = [Counter(text.lower().split()) for _, text in documents]
        df = Counter(t for c in counts for t in c)
        n = len(documents)
        self.idf = {t: math.log((1 + n) / (1 + k)) + 1 for t, k in df.items()}
        self.vectors = [self.normalise({t: k * self.idf[t] for t, k in c.items()}) for c in counts]
        self.postings = defaultdict(list)
        for i, v in enumerate(self.vectors):
            for t, w in v.items():
                self.postings[t].append((i, w))

    @staticmethod
    def normalise(v):
        norm = math.sqrt(sum(w * w for w in v.values()))
        return {t: w / norm for t, w in v.items()} if norm else v

    def ranking(self, text):
        """(id, cosine) for every document, best first, ties in document order."""
        q = self.normalise({t: k * self.idf[t] for t, k in Counter(text.lower().split()).items()
                            if t in self.idf})
        scores = [0.0] * len(self.ids)
        for t, w in q.items():
            for i, x in self.postings[t]:
                scores[i] += w * x
        order = sorted(range(len(self.ids)), key=lambda i: (-scores[i], i))
        return [(self.ids[i], scores[i]) for i in order]


# ---------------------------------------------------------------- logistic regression

def features_of(item, with_text=True):
    """Feature names of a statement: those `match` itself computed (`stance_features`
    in its JSON: exactly what lexicon/stance-model.tsv is applied to), or, from an
    older binary, worked out from its `cues`: each kind, kind:text (unless with_text
    is false), `denial` when negation and refuting cues are odd in number and
    `double-negation` when they are two or more and even."""
    if item.get("stance_features") is not None:
        return {f for f in item["stance_features"]
                if f != "(intercept)" and (with_text or ":" not in f)}
    names = set()
    negations = 0
    for cue in item.get("cues") or []:
        kind = str(cue.get("kind") or "").strip()
        if not kind:
            continue
        names.add(kind)
        negations += kind in ("negation", "refuting")
        text = " ".join(str(cue.get("text") or "").lower().split())
        if text and with_text:
            names.add(f"{kind}:{text}")
    if negations % 2 == 1:
        names.add("denial")
    elif negations >= 2:
        names.add("double-negation")
    return names


class Softmax:
    """Multinomial logistic regression, L2 on weights, full-batch gradient descent."""

    def __init__(self, l2=0.01, iterations=500, learning_rate=0.5, min_count=2):
        self.l2, self.iterations, self.rate, self.min_count = l2, iterations, learning_rate, min_count

    def fit(self, samples, labels):
        counts = Counter(f for s in samples for f in s)
        self.features = sorted(f for f, k in counts.items()
                               if ":" not in f or k >= self.min_count)
        index = {f: i for i, f in enumerate(self.features)}
        xs = [sorted(index[f] for f in s if f in index) for s in samples]
        ys = [CLASSES.index(y) for y in labels]
        k, d, n = len(CLASSES), len(self.features), len(xs)
        self.w = [[0.0] * k for _ in range(d)]
        self.b = [0.0] * k
        for _ in range(self.iterations):
            gw = [[self.l2 * wj for wj in row] for row in self.w]
            gb = [0.0] * k
            for x, y in zip(xs, ys):
                p = self._probabilities(x)
                p[y] -= 1.0
                for c in range(k):
                    g = p[c] / n
                    gb[c] += g
                    for i in x:
                        gw[i][c] += g
            for c in range(k):
                self.b[c] -= self.rate * gb[c]
            for i in range(d):
                row, grow = self.w[i], gw[i]
                for c in range(k):
                    row[c] -= self.rate * grow[c]
        return self

    def _probabilities(self, x):
        z = list(self.b)
        for i in x:
            for c, wc in enumerate(self.w[i]):
                z[c] += wc
        top = max(z)
        e = [math.exp(v - top) for v in z]
        total = sum(e)
        return [v / total for v in e]

    def predict(self, sample):
        index = {f: i for i, f in enumerate(self.features)}
        p = self._probabilities(sorted(index[f] for f in sample if f in index))
        return CLASSES[max(range(len(CLASSES)), key=lambda c: (p[c], -c))]

    def write(self, path, comments):
        with open(path, "w", encoding="utf-8") as f:
            for line in comments:
                f.write(f"# {line}\n".replace("# \n", "#\n"))
            f.write("feature\t" + "\t".join(CLASSES) + "\n")
            f.write("(intercept)\t" + "\t".join(f"{v:.6f}" for v in self.b) + "\n")
            for name, row in zip(self.features, self.w):
                f.write(name.replace("\t", " ") + "\t" + "\t".join(f"{v:.6f}" for v in row) + "\n")


# ------------------------------------------------------------------------- end to end

def sparql_rows(text):
    """Rows (dicts of plain values) of a SPARQL JSON result, or of a JSON list of objects."""
    data = json.loads(text) if text.strip() else []
    if isinstance(data, dict) and "results" in data:
        return [{k: v.get("value") for k, v in b.items()} for b in data["results"]["bindings"]]
    if isinstance(data, list):
        return data
    return []


def end_to_end(runner, rows, stances_file, label, keep):
    """Load, reason and score the case with gold or predicted stances; the figures."""
    work = runner.work / f"e2e-{label}"
    work.mkdir(parents=True, exist_ok=True)
    stances = emergent_rdf.read_stances(stances_file) if stances_file else None
    case = work / "case.ttl"
    case.write_text(emergent_rdf.case_turtle(rows, stances), encoding="utf-8")
    db = work / "db"
    timings = {}
    for step, args in (("load", ["load", str(case)]), ("reason", ["reason"])):
        started = time.perf_counter()
        runner.call(args, db=db)
        timings[step] = time.perf_counter() - started
    started = time.perf_counter()
    score = runner.call(["score", "--format", "json", "--top", "0"], db=db)
    timings["score"] = time.perf_counter() - started
    (work / "score.json").write_text(score.stdout, encoding="utf-8")
    score_json = json.loads(score.stdout) if score.stdout.strip() else {}

    pairs = sparql_rows(runner.call(["query", "--name", "who-corroborates-whom",
                                     "--results-format", "json"], db=db).stdout)
    count = sparql_rows(runner.call(["query", "SELECT (COUNT(?p) AS ?n) WHERE { ?p cg:corroborations ?c . FILTER (?c > 0) }",
                                     "--results-format", "json"], db=db).stdout)
    beliefs = sparql_rows(runner.call(["query", """SELECT ?p ?polarity ?value WHERE {
        ?a a cg:Assessment ; cg:method "dependence-aware" ; cg:assesses ?p ;
           cg:assessedPolarity ?polarity ; cg:value ?value . ?p a cg:Proposition }""",
                                       "--results-format", "json"], db=db).stdout)
    if not keep:
        shutil.rmtree(db, ignore_errors=True)

    assertion = emergent_rdf.PREFIXES["cg"] + "Assertion"
    belief = defaultdict(dict)
    for b in beliefs:
        belief[b["p"]]["asserted" if b["polarity"] == assertion else "denied"] = float(b["value"])
    prop_ns = emergent_rdf.PREFIXES["proposition"] + "emergent-"

    polarity_of = {}
    for r in rows:
        if stances is None:
            polarity_of[r["article_id"]] = emergent_rdf.GOLD_POLARITY[r["stance"]]
        else:
            polarity_of[r["article_id"]] = stances[r["article_id"]][0]
    votes = defaultdict(Counter)
    for r in rows:
        votes[r["claim_id"]][polarity_of[r["article_id"]]] += 1

    per_claim = []
    for claim_id, _claim, truth in emergent_tables.claims(rows):
        if truth not in ("true", "false"):
            continue
        b = belief.get(prop_ns + emergent_rdf.slug(claim_id), {})
        if "asserted" in b:
            value = b["asserted"]
        elif "denied" in b:
            value = 1.0 - b["denied"]
        else:
            value = 0.5
        v = votes[claim_id]
        per_claim.append({
            "claim": claim_id, "truth": truth == "true", "belief": value, "scored": bool(b),
            "fold": emergent_tables.fold_of(claim_id),
            "aggregate": v["cg:Assertion"] > v["cg:Denial"],
        })

    def accuracy(subset, key):
        return mean(1.0 if key(c) == c["truth"] else 0.0 for c in subset)

    truth = {"claims": len(per_claim), "scored": sum(c["scored"] for c in per_claim),
             "belief_accuracy": accuracy(per_claim, lambda c: c["belief"] > 0.5),
             "aggregate_accuracy": accuracy(per_claim, lambda c: c["aggregate"]),
             "per_fold": {}}
    for k in sorted({c["fold"] for c in per_claim}):
        subset = [c for c in per_claim if c["fold"] == k]
        truth["per_fold"][k] = {"claims": len(subset),
                                "belief_accuracy": accuracy(subset, lambda c: c["belief"] > 0.5),
                                "aggregate_accuracy": accuracy(subset, lambda c: c["aggregate"])}
    top = [{"a": p.get("source_a"), "b": p.get("source_b"),
            "corroborations": int(float(p.get("corroborations") or 0))} for p in pairs[:10]]
    n_pairs = int(float(count[0]["n"])) if count and count[0].get("n") is not None else len(pairs)
    return {"stances": label, "seconds": timings,
            "scored_statements": score_json.get("statements"),
            "scored_claims": score_json.get("claims"),
            "scored_sources": len(score_json.get("sources") or []),
            "corroborating_pairs": n_pairs, "top_pairs": top, "truth": truth}


# ---------------------------------------------------------------------------- report

def per_fold_row(name, per_fold, folds, pooled, key):
    cells = [per_fold[k][key] if k in per_fold else float("nan") for k in range(folds)]
    return [name] + cells + [mean(cells), pooled[key]]


def fmt(x):
    if isinstance(x, float):
        return "-" if math.isnan(x) else f"{x:.3f}"
    return str(x)


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    lines += ["| " + " | ".join(fmt(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def confusion_table(confusion):
    rows = [[f"gold {g}"] + [confusion[g][p] for p in CLASSES] for g in CLASSES]
    return table(["", *(f"predicted {p}" for p in CLASSES)], rows)


def main():
    parser = argparse.ArgumentParser(description="Measures `credgraph match` on Emergent.")
    parser.add_argument("--credgraph", default=default_binary(), help="the binary (default: %(default)s)")
    parser.add_argument("--data", default=str(emergent_tables.DEFAULT_DATA))
    parser.add_argument("--folds", type=int, default=emergent_tables.FOLDS)
    parser.add_argument("--top", type=int, default=5, help="candidates per statement (MRR@N)")
    parser.add_argument("--fit-stance", action="store_true", help="cross-validate a stance model over cues")
    parser.add_argument("--write-model", help="fit on all claims and write the model TSV here")
    parser.add_argument("--l2", type=float, default=0.001, help="L2 penalty (default: %(default)s)")
    parser.add_argument("--iterations", type=int, default=800, help="gradient steps (default: %(default)s)")
    parser.add_argument("--learning-rate", type=float, default=1.0, help="step (default: %(default)s)")
    parser.add_argument("--features", choices=("kinds", "kinds+text"), default="kinds+text",
                        help="cue kinds only, or kinds and kind:text (default: %(default)s)")
    parser.add_argument("--min-count", type=int, default=2,
                        help="fewest training rows for a kind:text feature (default: %(default)s)")
    parser.add_argument("--end-to-end", action="store_true", help="load, reason and score in a store")
    parser.add_argument("--json", help="write the figures as JSON here")
    parser.add_argument("--keep", help="keep the tables, JSON and stores in this directory")
    parser.add_argument("--fake-match", action="store_true", help="harness self-check without the binary")
    parser.add_argument("--match-json", help="a saved JSON of run 1 (all headlines, all claims)")
    args = parser.parse_args()
    if args.write_model:
        args.fit_stance = True

    rows = emergent_tables.read_rows(args.data)
    folds = args.folds
    fold = {r["article_id"]: emergent_tables.fold_of(r["claim_id"], folds) for r in rows}
    gold_claim = {r["article_id"]: r["claim_id"] for r in rows}
    gold_class = {r["article_id"]: GOLD_TO_CLASS[r["stance"]] for r in rows}
    ids = [r["article_id"] for r in rows]

    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="credgraph-emergent-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        runner = Runner(args.credgraph, work, args.fake_match, args.top, rows)
        if args.top != 5 and not args.fake_match and "--top" not in runner.match_flags:
            print(f"warning: match has no --top; MRR is over its default number of candidates",
                  file=sys.stderr)
        figures = {"data": str(args.data), "headlines": len(rows),
                   "claims": len(emergent_tables.claims(rows)), "folds": folds,
                   "fold_sizes": {k: sum(1 for i in ids if fold[i] == k) for k in range(folds)},
                   "binary": "fake (gold-derived stand-in)" if args.fake_match else args.credgraph,
                   "top": args.top}

        # Run 1: every headline against all 240 claims.
        all_tables = emergent_tables.write_tables(rows, work / "all", folds)
        if args.match_json:
            with open(args.match_json, encoding="utf-8") as f:
                data = json.load(f)
            matched = {str(item["statement"]): item for item in data}
            shutil.copy(args.match_json, work / "match-all.json")
        else:
            matched = runner.match("match-all", all_tables["statements"], all_tables["propositions"])
        missing = [i for i in ids if i not in matched]
        if missing:
            raise SystemExit(f"match gave no result for {len(missing)} headlines (the first: {missing[0]})")
        figures["seconds"] = dict(runner.seconds)

        def by_fold(measure):
            per = {k: measure([i for i in ids if fold[i] == k]) for k in range(folds)}
            return per, measure(ids)

        # Stance.
        stance = {}
        odd = Counter(matched[i].get("stance") for i in ids
                      if matched[i].get("stance") not in CLASSES)
        if odd:
            print(f"warning: stances other than {', '.join(CLASSES)} (counted as reports): "
                  f"{dict(odd)}", file=sys.stderr)
        for name, predict in (("match", lambda i: matched[i].get("stance")),
                              ("always for", lambda i: "asserts")):
            per, pooled = by_fold(lambda sel: stance_figures([gold_class[i] for i in sel],
                                                             [predict(i) for i in sel]))
            stance[name] = {"per_fold": per, "all": pooled}
        if args.fit_stance:
            feats = {i: features_of(matched[i], args.features == "kinds+text") for i in ids}
            predicted = {}
            for k in range(folds):
                train = [i for i in ids if fold[i] != k]
                model = Softmax(args.l2, args.iterations, args.learning_rate, args.min_count)
                model.fit([feats[i] for i in train], [gold_class[i] for i in train])
                for i in ids:
                    if fold[i] == k:
                        predicted[i] = model.predict(feats[i])
            per, pooled = by_fold(lambda sel: stance_figures([gold_class[i] for i in sel],
                                                             [predicted[i] for i in sel]))
            stance[f"fitted on cues ({args.features})"] = {"per_fold": per, "all": pooled}
            if args.write_model:
                model = Softmax(args.l2, args.iterations, args.learning_rate, args.min_count)
                model.fit([feats[i] for i in ids], [gold_class[i] for i in ids])
                fitted = stance[f"fitted on cues ({args.features})"]
                model.write(args.write_model, [
                    "Stance model for `credgraph match`: a multinomial logistic regression of a",
                    "statement's stance (asserts / denies / reports) over the cues match finds.",
                    "Features, present (1) or not (0), as match computes them (`stance_features`",
                    "in its JSON): the kind of each cue"
                    + (" and kind:text (text lowercased; those seen in fewer than"
                       f" {args.min_count} headlines are left out)" if args.features == "kinds+text" else "")
                    + ";",
                    "`denial` when a negation or a refuting word stands that nothing cancels,",
                    "`double-negation` when a negation just before a refuting word cancels it",
                    "(\"not a hoax\") and nothing else denies.",
                    "A stance's score is its intercept plus the weights of the features present;",
                    "the probabilities are the softmax of the three scores.",
                    f"Data: Emergent training split (train.tsv), all {len(ids)} headlines of all "
                    f"{figures['claims']} claims;",
                    "gold stance for -> asserts, against -> denies, observing -> reports.",
                    "Cues from `credgraph match` run with all claims as candidate propositions.",
                    f"Fitting: L2 {args.l2} on the weights (not the intercepts), mean cross-entropy,",
                    f"full-batch gradient descent from zero, {args.iterations} iterations, step "
                    f"{args.learning_rate};",
                    "deterministic (benches/match_emergent.py --write-model).",
                    f"Cross-validated first, {folds} folds over claims (SHA-256 of claim_id), "
                    "means over the held-out folds:",
                    f"accuracy {mean(f['accuracy'] for f in fitted['per_fold'].values()):.3f}, "
                    f"macro-F1 {mean(f['macro_f1'] for f in fitted['per_fold'].values()):.3f}.",
                    f"{len(model.features)} features.",
                ])
                figures["model"] = {"path": args.write_model, "features": len(model.features)}
        figures["stance"] = stance

        # Matching against all claims.
        claim_order = [c for c, _, _ in emergent_tables.claims(rows)]
        texts = {c: t for c, t, _ in emergent_tables.claims(rows)}
        tfidf = TfIdf([(c, texts[c]) for c in claim_order])
        headline = {r["article_id"]: r["headline"] for r in rows}
        tfidf_rank = {i: [c for c, x in tfidf.ranking(headline[i]) if x > 0] for i in ids}

        def match_ranking(i):
            return [str(c.get("proposition")) for c in matched[i].get("candidates") or []]

        matching = {}
        for name, ranking in (("match", match_ranking), ("TF-IDF cosine", lambda i: tfidf_rank[i])):
            per, pooled = by_fold(lambda sel: rank_figures([gold_claim[i] for i in sel],
                                                           [ranking(i) for i in sel], args.top))
            matching[name] = {"per_fold": per, "all": pooled}

        def assigned(sel):
            right = sum(1 for i in sel if matched[i].get("proposition") == gold_claim[i])
            some = sum(1 for i in sel if matched[i].get("proposition") in texts)
            return {"n": len(sel), "assigned_right": right / len(sel) if sel else float("nan"),
                    "assigned_any": some / len(sel) if sel else float("nan")}
        per, pooled = by_fold(assigned)
        matching["match"]["assigned"] = {"per_fold": per, "all": pooled}
        figures["matching"] = matching

        # Clustering without propositions: per held-out fold, and all at once.
        clustering = {"match": {"per_fold": {}}, "singletons": {"per_fold": {}}}
        for k in range(folds):
            sel = [i for i in ids if fold[i] == k]
            tables = emergent_tables.write_tables([r for r in rows if fold[r["article_id"]] == k],
                                                  work / f"fold-{k}", folds)
            clustered = runner.match(f"cluster-fold-{k}", tables["statements"])
            clustering["match"]["per_fold"][k] = bcubed([gold_claim[i] for i in sel],
                                                        [str(clustered[i]["cluster"]) for i in sel])
            clustering["singletons"]["per_fold"][k] = bcubed([gold_claim[i] for i in sel], sel)
        clustered = runner.match("cluster-all", all_tables["statements"])
        clustering["match"]["all"] = bcubed([gold_claim[i] for i in ids],
                                            [str(clustered[i]["cluster"]) for i in ids])
        clustering["singletons"]["all"] = bcubed([gold_claim[i] for i in ids], ids)
        figures["clustering"] = clustering
        figures["seconds"] = dict(runner.seconds)

        # End to end.
        if args.end_to_end:
            if args.fake_match:
                print("--end-to-end needs the binary; skipped with --fake-match", file=sys.stderr)
            else:
                figures["end_to_end"] = [
                    end_to_end(runner, rows, None, "gold", args.keep),
                    end_to_end(runner, rows, str(work / "match-all.json"), "match", args.keep),
                ]

        report(figures, folds)
        if args.json:
            with open(args.json, "w", encoding="utf-8") as f:
                json.dump(figures, f, indent=2, sort_keys=False)
                f.write("\n")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


def report(figures, folds):
    head = ["", *(f"fold {k}" for k in range(folds)), "mean", "all"]
    out = [f"# `credgraph match` on Emergent ({figures['headlines']} headlines, "
           f"{figures['claims']} claims, {folds} folds over claims)",
           "",
           f"Binary: {figures['binary']}. Held-out headlines per fold: "
           + ", ".join(str(figures['fold_sizes'][k]) for k in range(folds)) + ".",
           "", "## Stance (gold for / against / observing = asserts / denies / reports)", ""]
    rows = []
    for name, f in figures["stance"].items():
        rows.append(per_fold_row(f"{name}: accuracy", f["per_fold"], folds, f["all"], "accuracy"))
        rows.append(per_fold_row(f"{name}: macro-F1", f["per_fold"], folds, f["all"], "macro_f1"))
    out += [table(head, rows), ""]
    for name, f in figures["stance"].items():
        if name == "always for":
            continue
        out += [f"Confusion, {name}, all headlines (rows gold, columns predicted):", "",
                confusion_table(f["all"]["confusion"]), ""]
    top = figures["top"]
    out += [f"## Matching: each headline against all {figures['claims']} claims", ""]
    rows = []
    for name, f in figures["matching"].items():
        rows.append(per_fold_row(f"{name}: right first time", f["per_fold"], folds, f["all"], "top1"))
        rows.append(per_fold_row(f"{name}: MRR@{top}", f["per_fold"], folds, f["all"], "mrr"))
    a = figures["matching"]["match"]["assigned"]
    rows.append(per_fold_row("match: `proposition` is the gold claim", a["per_fold"], folds, a["all"],
                             "assigned_right"))
    rows.append(per_fold_row("match: `proposition` is some claim", a["per_fold"], folds, a["all"],
                             "assigned_any"))
    out += [table(head, rows), ""]
    out += ["## Clustering without propositions (B-cubed against the gold claim)", "",
            "Per fold: match run on the fold's held-out headlines alone; all: on all headlines.", ""]
    rows = []
    for name, f in figures["clustering"].items():
        for key in ("precision", "recall", "f1"):
            rows.append(per_fold_row(f"{name}: {key}", f["per_fold"], folds, f["all"], key))
        rows.append(per_fold_row(f"{name}: clusters", f["per_fold"], folds, f["all"], "clusters"))
    out += [table(head, rows), ""]
    if figures.get("seconds"):
        out += ["Seconds per run: " + ", ".join(f"{k} {v:.2f}" for k, v in figures["seconds"].items()), ""]
    for e in figures.get("end_to_end", []):
        t = e["truth"]
        out += [f"## End to end, {e['stances']} stances (load, reason, score; no resolutions loaded)", "",
                f"Scored {e['scored_statements']} statements, {e['scored_claims']} claims, "
                f"{e['scored_sources']} sources; seconds: "
                + ", ".join(f"{k} {v:.1f}" for k, v in e["seconds"].items()) + ".",
                f"Outlet pairs that corroborate each other: {e['corroborating_pairs']}.", ""]
        if e["top_pairs"]:
            out += [table(["outlet", "outlet", "corroborations"],
                          [[p["a"], p["b"], p["corroborations"]] for p in e["top_pairs"]]), ""]
        rows = [["belief > 0.5"] + [t["per_fold"].get(k, {}).get("belief_accuracy", float("nan"))
                                    for k in range(folds)]
                + [mean(t["per_fold"][k]["belief_accuracy"] for k in t["per_fold"]), t["belief_accuracy"]],
                ["more for than against"] + [t["per_fold"].get(k, {}).get("aggregate_accuracy", float("nan"))
                                             for k in range(folds)]
                + [mean(t["per_fold"][k]["aggregate_accuracy"] for k in t["per_fold"]),
                   t["aggregate_accuracy"]]]
        out += [f"Claim truth on the {t['claims']} claims marked true or false "
                f"({t['scored']} with a belief):", "", table(["accuracy", *head[1:]], rows), ""]
    print("\n".join(out))


if __name__ == "__main__":
    main()
