//! The credibility commands: `score`, `explain` and `evaluate`.

use super::cli::{EvaluateArgs, ExplainArgs, OutputFormat, ScoreArgs};
use super::print::{self, count, plural};
use crate::credibility::case;
use crate::credibility::dependence_aware::DependentPair;
use crate::credibility::evaluate::{self, Evaluation, Gold, GoldIndex};
use crate::credibility::explain;
use crate::credibility::grades::{reliability_words, GradeScale};
use crate::credibility::predictions;
use crate::credibility::related::hierarchy::Hierarchy;
use crate::credibility::scores::{self, ScoreOptions};
use crate::credibility::Method;
use crate::error::{Error, Result};
use crate::files;
use crate::store::CaseStore;
use std::time::Instant;

fn grade_scale(args: &ScoreArgs) -> Result<GradeScale> {
    if args.min_evidence.is_nan() || args.min_evidence < 0.0 {
        return Err(Error::invalid("--min-evidence must be 0 or more"));
    }
    Ok(GradeScale {
        reliability: GradeScale::parse_thresholds(
            &args.reliability_thresholds,
            "--reliability-thresholds",
        )?,
        min_evidence: args.min_evidence,
        credibility: GradeScale::parse_thresholds(
            &args.credibility_thresholds,
            "--credibility-thresholds",
        )?,
    })
}

/// `credgraph score`.
pub fn score(store: &CaseStore, args: &ScoreArgs) -> Result<()> {
    let options = ScoreOptions {
        methods: args.method.clone(),
        scale: grade_scale(args)?,
        stopping: args.stopping.stopping(),
        attribute_separator: args.attribute_separator.clone(),
    };
    let report = scores::score(store, &options)?;
    summary(&report);
    let graph = &report.claims.graph;
    let labels = case::source_labels(store, graph)?;
    let name = |s: usize| {
        let iri = graph.source_name(s);
        labels
            .get(iri)
            .cloned()
            .unwrap_or_else(|| crate::vocab::compact(iri).unwrap_or_else(|| iri.to_string()))
    };
    let first = &report.methods[0];
    let mut order: Vec<usize> = graph.sources_with_claims().collect();
    order.sort_by(|&a, &b| {
        first.sources[b]
            .trust
            .total_cmp(&first.sources[a].trust)
            .then_with(|| name(a).cmp(&name(b)))
    });
    let shown = if args.top == 0 {
        order.len()
    } else {
        args.top.min(order.len())
    };
    match args.format {
        OutputFormat::Json => sources_json(&report, &order[..shown], &name),
        OutputFormat::Text => sources_table(&report, &order, shown, &name),
    }
}

/// What scoring found and took, on standard error.
fn summary(report: &scores::ScoreReport) {
    let graph = &report.claims.graph;
    if report.claims.incomplete > 0 {
        eprintln!(
            "  {} statement{} lack a polarity and were left out (see `credgraph validate`)",
            report.claims.incomplete,
            plural(report.claims.incomplete)
        );
    }
    let scored = graph.sources_with_claims().count();
    for m in &report.methods {
        // A pair copying on some attributes only has one finding per attribute.
        let pairs = |keep: fn(&DependentPair) -> bool| {
            let pairs: std::collections::BTreeSet<(usize, usize)> = m
                .dependences
                .iter()
                .filter(|d| keep(d))
                .map(|d| (d.a, d.b))
                .collect();
            pairs.len()
        };
        let detected = pairs(|d| !d.declared);
        let declared = pairs(|d| d.declared);
        let on_some = pairs(|d| d.attribute.is_some());
        eprintln!(
            "{}: {} round{} in {:.2} s{}",
            m.method.name(),
            m.rounds,
            plural(m.rounds),
            m.seconds,
            if m.method == Method::DependenceAware {
                format!(
                    "; {declared} declared dependence{}, {detected} pair{} found copying{}",
                    plural(declared),
                    plural(detected),
                    if on_some > 0 {
                        format!(" ({on_some} of them on some attributes only)")
                    } else {
                        String::new()
                    }
                )
            } else {
                String::new()
            }
        );
        if let Some(note) = unsettled(m.method, m.rounds, m.converged, m.max_rounds) {
            eprintln!("{note}");
        }
    }
    eprintln!(
        "scored {} source{} and {} value{} from {} claims of {} statements (read in {:.1} s{}); wrote {} new or changed triples to the scores graph in {:.1} s",
        count(scored),
        plural(scored),
        count(graph.value_count()),
        plural(graph.value_count()),
        count(graph.claim_count()),
        count(report.claims.statements),
        report.read_seconds,
        match report.claims.read.cached_graphs {
            0 => String::new(),
            cached => format!(
                ", {} graph{} unchanged since the last read, {} read anew",
                count(cached),
                plural(cached),
                count(report.claims.read.read_graphs)
            ),
        },
        count(report.quads),
        report.write_seconds
    );
}

/// What to say of a method whose rounds did not settle; nothing when they did.
fn unsettled(method: Method, rounds: usize, converged: bool, max_rounds: usize) -> Option<String> {
    if converged {
        None
    } else if rounds >= max_rounds {
        Some(format!(
            "{} stopped at its cap of {max_rounds} round{} without converging (--max-rounds)",
            method.name(),
            plural(max_rounds)
        ))
    } else {
        Some(format!(
            "{} stopped after {rounds} round{} without converging",
            method.name(),
            plural(rounds)
        ))
    }
}

/// The sources scored, best first by the first method, as JSON.
fn sources_json(
    report: &scores::ScoreReport,
    order: &[usize],
    name: &dyn Fn(usize) -> String,
) -> Result<()> {
    let graph = &report.claims.graph;
    let sources: Vec<serde_json::Value> = order
        .iter()
        .map(|&s| {
            let mut methods = serde_json::Map::new();
            for m in &report.methods {
                let score = &m.sources[s];
                methods.insert(
                    m.method.name().into(),
                    serde_json::json!({
                        "value": score.trust,
                        "interval": score.interval.map(|(l, h)| [l, h]),
                        "accuracy": score.accuracy,
                        "grade": score.grade.to_string(),
                        "claims": score.claims,
                        "checked_claims": score.judged,
                        "discounted_share": score.discounted,
                    }),
                );
            }
            let track = report.track_records[s].as_ref().map(|t| {
                serde_json::json!({
                    "right": t.right,
                    "calls": t.calls,
                    "disagreed": t.disagreed,
                    "mean": t.mean,
                    "interval": [t.lower, t.upper],
                    "prior": {"mean": t.prior.mean, "strength": t.prior.strength, "from": t.prior.from},
                })
            });
            serde_json::json!({
                "source": graph.source_name(s),
                "name": name(s),
                "methods": methods,
                "track_record": track,
            })
        })
        .collect();
    let methods: serde_json::Map<String, serde_json::Value> = report
        .methods
        .iter()
        .map(|m| {
            (
                m.method.name().to_string(),
                serde_json::json!({
                    "rounds": m.rounds,
                    "converged": m.converged,
                    "max_rounds": m.max_rounds,
                }),
            )
        })
        .collect();
    let text = serde_json::to_string_pretty(&serde_json::json!({
        "methods": methods,
        "sources": sources,
        "statements": report.claims.statements,
        "claims": graph.claim_count(),
    }))
    .map_err(|e| Error::Internal(e.to_string()))?;
    print::print(&(text + "\n"))
}

/// The first `shown` sources of `order` as a table: the first method's score,
/// interval, grade and evidence, and the track record.
fn sources_table(
    report: &scores::ScoreReport,
    order: &[usize],
    shown: usize,
    name: &dyn Fn(usize) -> String,
) -> Result<()> {
    let first = &report.methods[0];
    let mut rows = vec![vec![
        "source".to_string(),
        first.method.name().to_string(),
        "90% interval".into(),
        "grade".into(),
        "claims".into(),
        "checked".into(),
        "discounted".into(),
        "track record".into(),
    ]];
    for &s in &order[..shown] {
        let score = &first.sources[s];
        rows.push(vec![
            name(s),
            format!("{:.3}", score.trust),
            score
                .interval
                .map(|(l, h)| format!("{l:.2}-{h:.2}"))
                .unwrap_or_default(),
            format!("{} {}", score.grade, reliability_words(score.grade)),
            score.claims.to_string(),
            format!("{}", score.judged as usize),
            score
                .discounted
                .map(|d| format!("{:.0}%", d * 100.0))
                .unwrap_or_default(),
            report.track_records[s]
                .as_ref()
                .map(|t| {
                    format!(
                        "{}/{} right, {:.2}",
                        crate::credibility::explain::decimal(t.right),
                        t.calls,
                        t.mean
                    )
                })
                .unwrap_or_default(),
        ]);
    }
    let mut text = print::table(&rows)?;
    if shown < order.len() {
        text.push_str(&format!(
            "... and {} more sources (--top 0 lists all; `credgraph query` reads the scores graph)\n",
            order.len() - shown
        ));
    }
    print::print(&text)
}

pub fn explain(store: &CaseStore, args: &ExplainArgs) -> Result<()> {
    let explanation = explain::explain(store, &args.target)?;
    if args.format == OutputFormat::Json {
        print::json(&explanation)
    } else {
        print::print(&explain::to_text(&explanation))
    }
}

pub fn evaluate(store: Option<&CaseStore>, args: &EvaluateArgs) -> Result<()> {
    let methods = &args.method;
    let started = Instant::now();
    // The gold table first: it is small, and a mistake in it is found before the
    // claims are read.
    let gold = Gold::read(
        &args.gold,
        &args.columns.item,
        &args.columns.value,
        args.columns.table_options(false).delimiter,
    )?;
    if gold.values.is_empty() {
        return Err(Error::invalid(format!(
            "{}: the gold table holds no rows",
            args.gold.display()
        )));
    }
    let separator = args.attribute_separator.as_deref();
    let graph = match (&args.claims, store) {
        (Some(path), _) => {
            let (graph, bad) = case::from_table(
                path,
                &args.columns.table_options(args.skip_bad),
                separator,
                args.relations.relations()?,
            )?;
            for row in &bad {
                eprintln!("{}:{}: skipped: {}", path.display(), row.line, row.message);
            }
            if graph.claim_count() == 0 {
                return Err(Error::invalid(format!(
                    "{}: the table holds no claims",
                    path.display()
                )));
            }
            graph
        }
        (None, Some(store)) => case::read_labelled(store, separator, &args.relations.relations()?)?,
        (None, None) => return Err(Error::Internal("evaluate without claims or store".into())),
    };
    let paths = match (&args.gold_paths, &args.relations.hierarchy) {
        (Some(path), _) => Some(std::sync::Arc::new(Hierarchy::read(path)?)),
        (None, Some(_)) => graph.related().hierarchy().cloned(),
        (None, None) => None,
    };
    let index = GoldIndex::new(&graph, &gold, separator)
        .within(args.within)
        .on_paths(paths);
    eprintln!(
        "{} claims by {} sources on {} items; {} gold items ({} that no source covers); read in {:.2} s",
        count(graph.claim_count()),
        count(graph.source_count()),
        count(graph.item_count()),
        count(gold.values.len()),
        count(index.uncovered.len()),
        started.elapsed().as_secs_f64()
    );
    for (a, relation) in graph.related().attributes.iter().enumerate() {
        if let Some(how) = relation.describe() {
            let name = graph.attribute_name(a);
            let name = if name.is_empty() { "values" } else { name };
            eprintln!(
                "{name}: {how} (related values support each other in {})",
                Method::DependenceAware.name()
            );
        }
    }
    let stopping = args.stopping.stopping();
    let mut rows = Vec::new();
    let evaluations: Vec<Evaluation> = methods
        .iter()
        .map(|&method| {
            let started = Instant::now();
            let outcome = method.run_with(&graph, &stopping);
            let seconds = started.elapsed().as_secs_f64();
            if let Some(note) = unsettled(
                method,
                outcome.rounds,
                outcome.converged,
                outcome.max_rounds,
            ) {
                eprintln!("{note}");
            }
            if args.predictions.is_some() {
                rows.extend(predictions::predictions(
                    method, &graph, &outcome, &gold, &index,
                ));
            }
            evaluate::evaluate(
                method.name(),
                &graph,
                &outcome,
                &index,
                args.min_gold_items,
                seconds,
            )
        })
        .collect();
    if let Some(path) = &args.predictions {
        // Comma-separated for a .csv name (gzipped or not), else tab-separated.
        let name = path.to_string_lossy().to_ascii_lowercase();
        let delimiter = if name.ends_with(".csv") || name.ends_with(".csv.gz") {
            b','
        } else {
            b'\t'
        };
        files::write_whole(path, |out| predictions::write(out, path, delimiter, &rows))?;
        eprintln!(
            "{} predictions written to {}",
            count(rows.len()),
            path.display()
        );
    }
    match args.format {
        // Through a JSON value, whose keys are in alphabetical order, as scripts
        // have had them.
        OutputFormat::Json => print::json(
            &if evaluations.len() == 1 {
                serde_json::to_value(&evaluations[0])
            } else {
                serde_json::to_value(&evaluations)
            }
            .map_err(|e| Error::Internal(e.to_string()))?,
        ),
        OutputFormat::Text => evaluations_table(&evaluations),
    }
}

/// One row per method: precision overall (and within `--within`) and per attribute
/// (up to eight), Spearman's
/// rank correlation of trust with accuracy, rounds and seconds.
fn evaluations_table(evaluations: &[Evaluation]) -> Result<()> {
    let attributes: Vec<String> = evaluations[0].per_attribute.keys().cloned().collect();
    let show_attributes = attributes.len() <= 8;
    let first = &evaluations[0];
    // Columns beside the exact precision, where the flags or the data ask for them.
    type Column = (&'static str, fn(&Evaluation) -> Option<f64>);
    let extra: [Column; 3] = [
        ("within", |e| e.precision_within),
        ("on path", |e| e.precision_on_path),
        ("jaccard", |e| e.mean_jaccard),
    ];
    let extra: Vec<_> = extra
        .into_iter()
        .filter(|(_, f)| f(first).is_some())
        .collect();
    let mut header = vec!["method".to_string(), "precision".into()];
    header.extend(extra.iter().map(|(name, _)| name.to_string()));
    if show_attributes {
        header.extend(attributes.iter().cloned());
    }
    header.extend(["spearman".into(), "rounds".into(), "seconds".into()]);
    let mut rows = vec![header];
    for e in evaluations {
        let mut row = vec![e.method.clone(), format!("{:.4}", e.precision)];
        for (_, f) in &extra {
            row.push(f(e).map(|x| format!("{x:.4}")).unwrap_or_default());
        }
        if show_attributes {
            for a in &attributes {
                row.push(
                    e.per_attribute
                        .get(a)
                        .map(|p| format!("{:.3}", p.precision))
                        .unwrap_or_default(),
                );
            }
        }
        row.push(
            e.spearman
                .map(|r| format!("{r:.3}"))
                .unwrap_or_else(|| "-".into()),
        );
        row.push(e.rounds.to_string());
        row.push(format!("{:.3}", e.seconds));
        rows.push(row);
    }
    let mut text = print::table(&rows)?;
    text.push_str(&format!(
        "{} gold items; Spearman over {} source{} with at least {} gold item{} (--min-gold-items){}\n",
        count(first.items),
        count(first.spearman_sources),
        plural(first.spearman_sources),
        first.min_gold_items,
        plural(first.min_gold_items),
        if show_attributes {
            String::new()
        } else {
            format!(
                "; {} attributes (--format json gives each)",
                attributes.len()
            )
        }
    ));
    print::print(&text)
}
