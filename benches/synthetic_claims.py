#!/usr/bin/env python3
"""Writes a synthetic claim table and its gold values, for the speed figures of
BENCHMARKS.md: SOURCES sources each with an accuracy drawn uniformly from 0.5 to 0.95;
CLAIMS claims, each by a source drawn uniformly, on an item drawn uniformly from
ITEMS items (ATTRIBUTES kinds, named ITEM/attr-K); a claim is the item's true value
with the source's accuracy, else one of 10 false values. Deterministic for a seed.

Usage: synthetic_claims.py OUT_DIR [CLAIMS=1000000] [SOURCES=1000] [ITEMS=100000] [SEED=1]
"""
import os
import random
import sys


def main(out, claims=1_000_000, sources=1000, items=100_000, seed=1, attributes=4):
    rng = random.Random(seed)
    accuracy = [rng.uniform(0.5, 0.95) for _ in range(sources)]
    os.makedirs(out, exist_ok=True)
    seen = set()
    with open(os.path.join(out, "claims.tsv"), "w", encoding="utf-8") as f:
        f.write("item\tsource\tvalue\n")
        written = 0
        while written < claims:
            s = rng.randrange(sources)
            i = rng.randrange(items)
            if (s, i) in seen:
                continue
            seen.add((s, i))
            value = "true" if rng.random() < accuracy[s] else f"false-{rng.randrange(10)}"
            f.write(f"item-{i}/attr-{i % attributes}\tsource-{s}\t{value}\n")
            written += 1
    with open(os.path.join(out, "gold.tsv"), "w", encoding="utf-8") as f:
        f.write("item\tvalue\n")
        for i in range(0, items, 10):
            f.write(f"item-{i}/attr-{i % attributes}\ttrue\n")


if __name__ == "__main__":
    args = sys.argv[1:]
    main(args[0], *[int(a) for a in args[1:]])
