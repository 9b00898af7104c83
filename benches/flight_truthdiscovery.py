#!/usr/bin/env python3
"""The Python baseline of benches/flight.sh: the same job as
`credgraph evaluate --claims claims.tsv.gz --gold gold.tsv --method all`, done with the
package truthdiscovery 1.0.4 (its six algorithms with default parameters; ties broken
by the lexicographically smallest value, as the Flight README's table was measured).

Usage: flight_truthdiscovery.py CLAIMS.tsv.gz GOLD.tsv
"""
import gzip
import sys
import time

from truthdiscovery.algorithm import (AverageLog, Investment, MajorityVoting,
                                      PooledInvestment, Sums, TruthFinder)
from truthdiscovery.input import Dataset


def main(claims_path, gold_path):
    started = time.time()
    triples = []
    with gzip.open(claims_path, "rt", encoding="utf-8") as f:
        next(f)
        for line in f:
            item, source, value = line.rstrip("\n").split("\t")
            triples.append((source, item, value))
    data = Dataset(triples)
    gold = {}
    with open(gold_path, encoding="utf-8") as f:
        next(f)
        for line in f:
            item, value = line.rstrip("\n").split("\t")
            gold[item] = value
    print(f"built the data set in {time.time() - started:.1f} s", file=sys.stderr)
    for name, algorithm in [("voting", MajorityVoting()), ("sums", Sums()),
                            ("average-log", AverageLog()), ("investment", Investment()),
                            ("pooled-investment", PooledInvestment()),
                            ("truthfinder", TruthFinder())]:
        t = time.time()
        result = algorithm.run(data)
        right = 0
        for item, value in gold.items():
            beliefs = result.belief.get(item)
            if not beliefs:
                continue
            top = max(beliefs.values())
            best = min(v for v, b in beliefs.items() if b == top)
            right += best == value
        print(f"{name:18} precision {right / len(gold):.4f}  {time.time() - t:.2f} s")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
