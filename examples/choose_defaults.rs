#![allow(clippy::print_stdout)] // a report on standard output is what this program is for
//! Chooses the default method's parameters leaving one data set out.
//!
//! For every candidate setting of the dependence-aware method and every data set
//! given, the precision on that set; the six published methods beside them. Then,
//! for each set, the candidate with the best worst case over the *other* sets
//! (its precision less the best published method's, at its lowest), and that
//! candidate's precision on the set left out: the figure BENCHMARKS.md reports.
//!
//!     cargo run --release --example choose_defaults -- \
//!         flight=DATA/flight weather=DATA/weather product=DATA/product dog=DATA/dog
//!
//! Each DIR holds claims.tsv.gz (item, source, value) and gold.tsv (item, value).

use credgraph::credibility::dependence_aware::{self, Params};
use credgraph::credibility::evaluate::{evaluate, Gold, GoldIndex};
use credgraph::credibility::related::Relations;
use credgraph::credibility::{case, ClaimGraph, Method};
use credgraph::TableOptions;
use std::path::Path;

/// The settings compared: a name and the parameters.
fn candidates() -> Vec<(String, Params)> {
    let mut out = Vec::new();
    let base = Params::default();
    out.push(("default".to_string(), base.clone()));
    out.push((
        "no attr".into(),
        Params {
            by_attribute: false,
            ..base.clone()
        },
    ));
    out.push((
        "attr100".into(),
        Params {
            attribute_strength: 100.0,
            ..base.clone()
        },
    ));
    out.push((
        "attr1000".into(),
        Params {
            attribute_strength: 1000.0,
            ..base.clone()
        },
    ));
    out.push((
        "prior5".into(),
        Params {
            prior_strength: 5.0,
            ..base.clone()
        },
    ));
    out.push((
        "prior10".into(),
        Params {
            prior_strength: 10.0,
            ..base.clone()
        },
    ));
    out.push((
        "prior0.6".into(),
        Params {
            prior_accuracy: 0.6,
            ..base.clone()
        },
    ));
    out.push((
        "no invested".into(),
        Params {
            invested_start: false,
            ..base.clone()
        },
    ));
    out.push((
        "no copying".into(),
        Params {
            detect_copying: false,
            ..base.clone()
        },
    ));
    out.push((
        "no copy attr".into(),
        Params {
            copying_by_attribute: false,
            ..base.clone()
        },
    ));
    out.push((
        "pooled".into(),
        Params {
            pooled_prior: true,
            ..base.clone()
        },
    ));
    out.push((
        "pooled attr1000".into(),
        Params {
            pooled_prior: true,
            attribute_strength: 1000.0,
            ..base.clone()
        },
    ));
    let pooled = Params {
        pooled_prior: true,
        ..base.clone()
    };
    out.push((
        "pooled n3".into(),
        Params {
            false_values: Some(3.0),
            ..pooled.clone()
        },
    ));
    out.push((
        "pooled n1".into(),
        Params {
            false_values: Some(1.0),
            ..pooled.clone()
        },
    ));
    out.push((
        "pooled no inv".into(),
        Params {
            invested_start: false,
            ..pooled.clone()
        },
    ));
    out.push((
        "pooled tag0.5".into(),
        Params {
            true_agreement_weight: 0.5,
            ..pooled.clone()
        },
    ));
    out.push((
        "pooled cprior.01".into(),
        Params {
            copy_prior: 0.01,
            ..pooled.clone()
        },
    ));
    out.push((
        "pooled crate.8".into(),
        Params {
            copy_rate: 0.8,
            ..pooled.clone()
        },
    ));
    out.push((
        "pooled noest".into(),
        Params {
            estimate_copy_prior: false,
            ..pooled.clone()
        },
    ));
    out.push((
        "pooled classes".into(),
        Params {
            class_false_values: true,
            ..pooled.clone()
        },
    ));
    out.push((
        "classes".into(),
        Params {
            class_false_values: true,
            ..base.clone()
        },
    ));
    out.push((
        "rho0".into(),
        Params {
            related_weight: 0.0,
            ..base.clone()
        },
    ));
    out
}

struct DataSet {
    name: String,
    graph: ClaimGraph,
    gold: GoldIndex,
}

fn load(name: &str, dir: &Path) -> DataSet {
    let (graph, _) = case::from_table(
        &dir.join("claims.tsv.gz"),
        &TableOptions::default(),
        None,
        Relations::guessed(),
    )
    .expect("claims");
    let gold = Gold::read(&dir.join("gold.tsv"), "item", "value", None).expect("gold");
    let gold = GoldIndex::new(&graph, &gold, None);
    DataSet {
        name: name.to_string(),
        graph,
        gold,
    }
}

fn precision(set: &DataSet, outcome: &credgraph::credibility::Outcome) -> f64 {
    evaluate("", &set.graph, outcome, &set.gold, 5, 0.0).precision
}

fn main() {
    let sets: Vec<DataSet> = std::env::args()
        .skip(1)
        .map(|arg| {
            let (name, dir) = arg.split_once('=').expect("NAME=DIR");
            load(name, Path::new(dir))
        })
        .collect();
    let published: Vec<f64> = sets
        .iter()
        .map(|set| {
            Method::ALL[1..]
                .iter()
                .map(|m| precision(set, &m.run(&set.graph)))
                .fold(0.0, f64::max)
        })
        .collect();
    let candidates = candidates();
    let mut table = vec![vec![0.0; sets.len()]; candidates.len()];
    print!("{:<24}", "candidate");
    for set in &sets {
        print!("{:>10}", set.name);
    }
    println!();
    for (c, (name, params)) in candidates.iter().enumerate() {
        print!("{name:<24}");
        for (k, set) in sets.iter().enumerate() {
            let outcome = dependence_aware::run(&set.graph, params).0;
            table[c][k] = precision(set, &outcome);
            print!("{:>10.4}", table[c][k]);
            if let Ok(attribute) = std::env::var("SHOW_ATTRIBUTE") {
                let e = evaluate("", &set.graph, &outcome, &set.gold, 5, 0.0);
                if let Some(p) = e.per_attribute.get(&attribute) {
                    print!(" ({attribute} {:.3})", p.precision);
                }
            }
        }
        println!();
    }
    print!("{:<24}", "best published");
    for p in &published {
        print!("{p:>10.4}");
    }
    println!("\n");
    for (out, set) in sets.iter().enumerate() {
        let worst = |c: usize| {
            (0..sets.len())
                .filter(|&k| k != out)
                .map(|k| table[c][k] - published[k])
                .fold(f64::INFINITY, f64::min)
        };
        let chosen = (0..candidates.len())
            .max_by(|&a, &b| worst(a).total_cmp(&worst(b)).then(b.cmp(&a)))
            .unwrap_or(0);
        println!(
            "{} left out: chose {} (worst margin elsewhere {:+.4}); on {}: {:.4} (best published {:.4})",
            set.name, candidates[chosen].0, worst(chosen), set.name, table[chosen][out], published[out]
        );
    }
}
