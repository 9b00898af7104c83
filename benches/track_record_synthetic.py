#!/usr/bin/env python3
"""Writes a synthetic table of fact-checked statements for
`examples/track_record_auc.rs` (claimant, date, rating, party), to check that a
track record's prior from the party helps where parties differ, and costs little
where they do not. Not real data: a generator with documented assumptions.

- PARTIES parties, each with a share of true-ish statements (true, mostly true,
  half true) drawn uniformly from 0.3 to 0.7;
- SPEAKERS speakers, each in one party, whose own share is drawn from a Beta
  distribution around the party's with strength STRENGTH (smaller: speakers
  stray further from their party);
- each speaker makes a number of rated statements drawn from a geometric
  distribution with mean MEAN (most speakers have few), on days spread over five
  years;
- a true-ish statement is rated true, mostly true or half true with equal chances;
  another mostly false, false or pants on fire.

  benches/track_record_synthetic.py [--parties N] [--speakers N] [--strength K]
      [--mean N] [--seed S] > table.csv
  cargo run --release --example track_record_auc -- table.csv
"""
import argparse, csv, random, sys
from datetime import date, timedelta

p = argparse.ArgumentParser()
p.add_argument("--parties", type=int, default=2)
p.add_argument("--speakers", type=int, default=400)
p.add_argument("--strength", type=float, default=8.0)
p.add_argument("--mean", type=float, default=8.0)
p.add_argument("--seed", type=int, default=1)
a = p.parse_args()
rng = random.Random(a.seed)
parties = [rng.uniform(0.3, 0.7) for _ in range(a.parties)]
out = csv.writer(sys.stdout)
out.writerow(["claimant", "date", "rating", "party"])
start = date(2015, 1, 1)
for s in range(a.speakers):
    party = rng.randrange(a.parties)
    m = parties[party]
    share = rng.betavariate(m * a.strength, (1 - m) * a.strength)
    n = 1
    while rng.random() > 1 / a.mean:
        n += 1
    for _ in range(n):
        day = start + timedelta(days=rng.randrange(5 * 365))
        if rng.random() < share:
            rating = rng.choice(["True", "Mostly True", "Half True"])
        else:
            rating = rng.choice(["Mostly False", "False", "Pants on Fire"])
        out.writerow([f"speaker {s}", day.isoformat(), rating, f"party {party}"])
