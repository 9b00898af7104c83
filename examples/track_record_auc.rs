#![allow(clippy::print_stdout)] // a report on standard output is what this program is for
//! How well a speaker's track record, built from their earlier fact-checked
//! statements, predicts whether their next one is rated true-ish (true, mostly
//! true, half true: a truth degree of 0.5 or more), as the area under the ROC curve.
//! It compares credgraph's record (graded calls, a prior from the speaker's party
//! where the table gives one, its strength estimated from the data) with the plain
//! history of ratings, smoothed: (true-ish + 1) / (rated + 2).
//!
//! ```text
//! cargo run --release --example track_record_auc -- ratings.csv [--ratings FILE]
//! ```
//!
//! The table (CSV, a header line) has the columns `claimant` (or `speaker`), `date`
//! (YYYY-MM-DD) and `rating` (the fact-checker's words, read by
//! `lexicon/ratings.tsv` and `--ratings`), and optionally `party`. Statements are
//! taken in date order; each is predicted from the statements of earlier days, and
//! only statements whose speaker has an earlier rated one are scored. Open verdicts
//! and unknown words are left out (and counted).

use credgraph::credibility::track_record::{self, Tally};
use credgraph::Ratings;
use std::collections::HashMap;
use std::path::PathBuf;

struct Row {
    speaker: String,
    date: String,
    degree: f64,
    party: Option<String>,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let mut table: Option<PathBuf> = None;
    let mut ratings = Ratings::built_in()?;
    while let Some(arg) = args.next() {
        if arg == "--ratings" {
            let path = PathBuf::from(args.next().ok_or("--ratings needs a file")?);
            ratings.add_file(&path)?;
        } else {
            table = Some(PathBuf::from(arg));
        }
    }
    let table = table.ok_or("give a CSV of claimant, date, rating (and party)")?;
    let mut reader = csv::Reader::from_path(&table)?;
    let headers: Vec<String> = reader
        .headers()?
        .iter()
        .map(|h| h.trim().to_lowercase())
        .collect();
    let column = |names: &[&str]| headers.iter().position(|h| names.contains(&h.as_str()));
    let speaker = column(&["claimant", "speaker"]).ok_or("no claimant column")?;
    let date = column(&["date"]).ok_or("no date column")?;
    let rating = column(&["rating"]).ok_or("no rating column")?;
    let party = column(&["party"]);
    let mut rows = Vec::new();
    let (mut open, mut unknown) = (0, 0);
    for record in reader.records() {
        let record = record?;
        let get = |i: usize| record.get(i).unwrap_or_default().trim().to_string();
        let Some(verdict) = ratings.words(&get(rating)) else {
            unknown += 1;
            continue;
        };
        let Some(degree) = verdict.degree else {
            open += 1;
            continue;
        };
        if get(speaker).is_empty() {
            continue;
        }
        rows.push(Row {
            speaker: get(speaker),
            date: get(date),
            degree,
            party: party.map(get).filter(|p| !p.is_empty()),
        });
    }
    rows.sort_by(|a, b| a.date.cmp(&b.date));

    let mut index: HashMap<String, usize> = HashMap::new();
    for row in &rows {
        let next = index.len();
        index.entry(row.speaker.clone()).or_insert(next);
    }
    let mut groups: Vec<Vec<String>> = vec![Vec::new(); index.len()];
    for row in &rows {
        if let Some(p) = &row.party {
            let g = &mut groups[index[&row.speaker]];
            if !g.contains(p) {
                g.push(p.clone());
            }
        }
    }
    let group_refs: Vec<Vec<&str>> = groups
        .iter()
        .map(|g| g.iter().map(String::as_str).collect())
        .collect();
    let mut tallies = vec![Tally::default(); index.len()];
    let mut binary = vec![Tally::default(); index.len()];
    let mut ours_binary = Vec::new();
    let mut plain = vec![(0u32, 0u32); index.len()];
    let (mut ours, mut baseline, mut labels) = (Vec::new(), Vec::new(), Vec::new());
    let mut at = 0;
    while at < rows.len() {
        let day = rows[at].date.clone();
        let end = at + rows[at..].iter().take_while(|r| r.date == day).count();
        let records = track_record::records(&tallies, &group_refs);
        let binary_records = track_record::records(&binary, &group_refs);
        for row in &rows[at..end] {
            let s = index[&row.speaker];
            if tallies[s].calls == 0 {
                continue;
            }
            ours.push(records[s].as_ref().map_or(0.5, |r| r.mean));
            ours_binary.push(binary_records[s].as_ref().map_or(0.5, |r| r.mean));
            let (trueish, rated) = plain[s];
            baseline.push((trueish as f64 + 1.0) / (rated as f64 + 2.0));
            labels.push(row.degree >= 0.5);
        }
        for row in &rows[at..end] {
            let s = index[&row.speaker];
            tallies[s].add(row.degree, false);
            binary[s].add(if row.degree >= 0.5 { 1.0 } else { 0.0 }, false);
            plain[s].0 += (row.degree >= 0.5) as u32;
            plain[s].1 += 1;
        }
        at = end;
    }
    println!(
        "{} rated statements ({} open, {} with unknown words left out); {} scored (their speaker has an earlier one), {} true-ish",
        rows.len(),
        open,
        unknown,
        labels.len(),
        labels.iter().filter(|&&l| l).count()
    );
    println!(
        "AUC, credgraph's track record:          {:.4}",
        auc(&ours, &labels)
    );
    println!(
        "AUC, the same counting true-ish calls:   {:.4}",
        auc(&ours_binary, &labels)
    );
    println!(
        "AUC, plain history with smoothing:       {:.4}",
        auc(&baseline, &labels)
    );
    Ok(())
}

/// The area under the ROC curve: the chance that a true-ish statement scores above
/// one that is not, ties counting half.
fn auc(scores: &[f64], labels: &[bool]) -> f64 {
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| scores[a].total_cmp(&scores[b]));
    let (mut rank_sum, mut i) = (0.0, 0);
    while i < order.len() {
        let j = i + order[i..]
            .iter()
            .take_while(|&&k| scores[k] == scores[order[i]])
            .count();
        let mid = (i + j + 1) as f64 / 2.0;
        rank_sum += order[i..j].iter().filter(|&&k| labels[k]).count() as f64 * mid;
        i = j;
    }
    let positives = labels.iter().filter(|&&l| l).count() as f64;
    let negatives = labels.len() as f64 - positives;
    if positives == 0.0 || negatives == 0.0 {
        return f64::NAN;
    }
    (rank_sum - positives * (positives + 1.0) / 2.0) / (positives * negatives)
}
