//! The credibility commands: import, score, explain, evaluate.

use crate::app_extract;
use crate::cli::{ColumnArgs, EvaluateArgs, ExplainArgs, ImportArgs, ScoreArgs};
use crate::credibility::case::{self, value_name};
use crate::credibility::dependence_aware::DependentPair;
use crate::credibility::evaluate::{self, Evaluation, Gold, GoldIndex};
use crate::credibility::explain;
use crate::credibility::grades::{reliability_words, GradeScale};
use crate::credibility::scores::{self, ScoreOptions};
use crate::credibility::{ClaimGraph, ClaimGraphBuilder, Method};
use crate::error::{Error, Result};
use crate::import::claims;
use crate::import::table::{self, TableOptions};
use crate::store::CaseStore;
use oxigraph::model::{GraphName, NamedNode};
use rustc_hash::FxHashMap;
use std::io::Write;
use std::time::Instant;

fn plural(n: usize) -> &'static str {
    crate::app::plural(n as u64)
}

/// Thousands separated by commas.
fn count(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn table_options(columns: &ColumnArgs, skip_bad: bool) -> Result<TableOptions> {
    let delimiter = match columns.delimiter.as_deref() {
        None => None,
        Some("tab" | "\\t" | "\t") => Some(b'\t'),
        Some("comma" | ",") => Some(b','),
        Some("semicolon" | ";") => Some(b';'),
        Some(one) if one.len() == 1 => Some(one.as_bytes()[0]),
        Some(other) => {
            return Err(Error::invalid(format!(
                "--delimiter {other}: give tab, comma, semicolon, or one ASCII character"
            )))
        }
    };
    Ok(TableOptions {
        item: columns.item.clone(),
        source: columns.source.clone(),
        value: columns.value.clone(),
        date: columns.date.clone(),
        certainty: columns.certainty.clone(),
        delimiter,
        skip_bad,
    })
}

fn check_format(format: &str) -> Result<bool> {
    match format {
        "text" => Ok(false),
        "json" => Ok(true),
        other => Err(Error::invalid(format!(
            "--format {other}: give text or json"
        ))),
    }
}

fn print(text: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes()).map_err(Error::Output)?;
    out.flush().map_err(Error::Output)
}

pub fn import(store: &CaseStore, args: &ImportArgs) -> Result<()> {
    let sheets = args
        .files
        .iter()
        .filter(|f| app_extract::is_sheet(f))
        .count();
    let match_sheets = args
        .files
        .iter()
        .filter(|f| crate::app_match::is_match_sheet(f))
        .count();
    if match_sheets > 0 {
        if match_sheets < args.files.len() {
            return Err(Error::invalid(
                "import match sheets on their own, after the statements they match (review sheets or tables first)",
            ));
        }
        return crate::app_match::import_match_sheets(store, args);
    }
    if sheets > 0 {
        if sheets < args.files.len() {
            return Err(Error::invalid(
                "import either claim tables or review sheets (.yaml, .yml, .json), not both at once",
            ));
        }
        return import_sheets(store, args);
    }
    let options = table_options(&args.columns, args.skip_bad)?;
    let graph = match args.graph.as_deref() {
        None => None,
        Some("default") => Some(GraphName::DefaultGraph),
        Some(iri) => Some(GraphName::NamedNode(
            NamedNode::new(crate::resolve::expand_iri(iri))
                .map_err(|e| Error::invalid(format!("--graph {iri}: not an IRI: {e}")))?,
        )),
    };
    let started = Instant::now();
    let imported = claims::import(store, &args.files, &options, graph.as_ref())?;
    let mut statements = 0;
    for file in &imported {
        statements += file.statements;
        for bad in &file.bad_rows {
            eprintln!(
                "{}:{}: skipped: {}",
                file.path.display(),
                bad.line,
                bad.message
            );
        }
        eprintln!(
            "{}: {} row{}{}, {} triples into {}{}",
            file.path.display(),
            count(file.rows),
            plural(file.rows),
            if file.bad_rows.is_empty() {
                String::new()
            } else {
                format!(
                    " ({} bad row{} skipped)",
                    file.bad_rows.len(),
                    plural(file.bad_rows.len())
                )
            },
            count(file.quads),
            match &file.graph {
                GraphName::DefaultGraph => "the default graph".to_string(),
                other => other.to_string(),
            },
            if file.replaced {
                " (replacing the earlier import)"
            } else {
                ""
            }
        );
    }
    eprintln!(
        "imported {} statement{} in {:.1} s; run `credgraph reason` and `credgraph score` to update what is derived and scored",
        count(statements),
        plural(statements),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

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

/// Source names for display: labels where the store has them, looked up for the
/// sources scored only.
fn source_labels(store: &CaseStore, graph: &ClaimGraph) -> Result<FxHashMap<String, String>> {
    let values: Vec<String> = graph
        .sources_with_claims()
        .filter_map(|s| NamedNode::new(graph.source_name(s)).ok())
        .map(|iri| iri.to_string())
        .collect();
    if values.is_empty() {
        return Ok(FxHashMap::default());
    }
    Ok(case::rows(
        store,
        &format!(
            "SELECT ?s ?l WHERE {{ VALUES ?s {{ {} }} ?s rdfs:label ?l }}",
            values.join(" ")
        ),
        2,
    )?
    .into_iter()
    .filter_map(|r| Some((r[0].clone()?, r[1].clone()?)))
    .collect())
}

pub fn score(store: &CaseStore, args: &ScoreArgs) -> Result<()> {
    let json = check_format(&args.format)?;
    let options = ScoreOptions {
        methods: Method::parse_list(&args.method)?,
        scale: grade_scale(args)?,
    };
    let report = scores::score(store, &options)?;
    let graph = &report.claims.graph;
    let labels = source_labels(store, graph)?;
    let name = |s: usize| {
        let iri = graph.source_name(s);
        labels
            .get(iri)
            .cloned()
            .unwrap_or_else(|| crate::vocab::compact(iri).unwrap_or_else(|| iri.to_string()))
    };
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
            "{}: {} rounds in {:.2} s{}",
            m.method.name(),
            m.rounds,
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
    if json {
        let sources: Vec<serde_json::Value> = order[..shown]
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
                    serde_json::json!({"right": t.right, "calls": t.calls, "mean": t.mean, "interval": [t.lower, t.upper]})
                });
                serde_json::json!({
                    "source": graph.source_name(s),
                    "name": name(s),
                    "methods": methods,
                    "track_record": track,
                })
            })
            .collect();
        let text = serde_json::to_string_pretty(&serde_json::json!({
            "sources": sources,
            "statements": report.claims.statements,
            "claims": graph.claim_count(),
        }))
        .map_err(|e| Error::Internal(e.to_string()))?;
        return print(&(text + "\n"));
    }
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
                .map(|t| format!("{}/{} right, {:.2}", t.right, t.calls, t.mean))
                .unwrap_or_default(),
        ]);
    }
    let mut text = table_text(&rows)?;
    if shown < order.len() {
        text.push_str(&format!(
            "... and {} more sources (--top 0 lists all; `credgraph query` reads the scores graph)\n",
            order.len() - shown
        ));
    }
    print(&text)
}

/// The first row as the header, the rest as cells, in the style of `query`'s tables:
/// columns of numbers (or "-") to the right.
fn table_text(rows: &[Vec<String>]) -> Result<String> {
    let (header, cells) = rows.split_first().expect("a table has a header");
    let numeric: Vec<bool> = (0..header.len())
        .map(|c| {
            !cells.is_empty()
                && cells.iter().all(|row| {
                    let cell = row.get(c).map_or("", String::as_str);
                    cell.is_empty() || cell == "-" || cell.parse::<f64>().is_ok()
                })
        })
        .collect();
    let mut out = Vec::new();
    crate::output::write_text_table(header, cells, &numeric, &mut out).map_err(Error::Output)?;
    String::from_utf8(out).map_err(|e| Error::Internal(e.to_string()))
}

pub fn explain(store: &CaseStore, args: &ExplainArgs) -> Result<()> {
    let json = check_format(&args.format)?;
    let explanation = explain::explain(store, &args.target)?;
    if json {
        let text = serde_json::to_string_pretty(&explanation)
            .map_err(|e| Error::Internal(e.to_string()))?;
        print(&(text + "\n"))
    } else {
        print(&explain::to_text(&explanation))
    }
}

/// Reads a claim table straight into a claim graph.
pub fn claim_graph_from_table(
    path: &std::path::Path,
    options: &TableOptions,
) -> Result<ClaimGraph> {
    let mut builder = ClaimGraphBuilder::new();
    let bad = table::read_each(path, options, |row| {
        let p = row.certainty.unwrap_or(1.0);
        let weight = (2.0 * p - 1.0).abs();
        if weight > 0.0 {
            if p >= 0.5 {
                builder.add(row.source, row.item, row.value, weight as f32);
            } else {
                builder.add(
                    row.source,
                    row.item,
                    &value_name(row.value, false),
                    weight as f32,
                );
            }
        }
    })?;
    for row in &bad {
        eprintln!("{}:{}: skipped: {}", path.display(), row.line, row.message);
    }
    if builder.claim_count() == 0 {
        return Err(Error::invalid(format!(
            "{}: the table holds no claims",
            path.display()
        )));
    }
    Ok(builder.build())
}

/// The claim graph of the store, with items and values named by their labels.
fn claim_graph_from_store(store: &CaseStore) -> Result<ClaimGraph> {
    let claims = case::read(store)?;
    if claims.graph.claim_count() == 0 {
        return Err(Error::invalid(
            "the store holds no statements to evaluate; import a claim table or pass --claims",
        ));
    }
    let labels: FxHashMap<String, String> = case::rows(
        store,
        "SELECT ?x ?l WHERE { { ?x a cg:Question } UNION { ?x a cg:Proposition } ?x rdfs:label ?l }",
        2,
    )?
    .into_iter()
    .filter_map(|r| Some((r[0].clone()?, r[1].clone()?)))
    .collect();
    Ok(claims.graph.relabel(
        |name| labels.get(name).cloned(),
        |name| {
            let (proposition, assertion) = case::parse_value_name(name);
            labels.get(proposition).map(|l| value_name(l, assertion))
        },
    ))
}

pub fn evaluate(store: Option<&CaseStore>, args: &EvaluateArgs) -> Result<()> {
    let json = check_format(&args.format)?;
    let methods = Method::parse_list(&args.method)?;
    let started = Instant::now();
    // The gold table first: it is small, and a mistake in it is found before the
    // claims are read.
    let gold = Gold::read(
        &args.gold,
        &args.columns.item,
        &args.columns.value,
        table_options(&args.columns, false)?.delimiter,
    )?;
    if gold.values.is_empty() {
        return Err(Error::invalid(format!(
            "{}: the gold table holds no rows",
            args.gold.display()
        )));
    }
    let graph = match (&args.claims, store) {
        (Some(path), _) => {
            claim_graph_from_table(path, &table_options(&args.columns, args.skip_bad)?)?
        }
        (None, Some(store)) => claim_graph_from_store(store)?,
        (None, None) => return Err(Error::Internal("evaluate without claims or store".into())),
    };
    let index = GoldIndex::new(&graph, &gold);
    eprintln!(
        "{} claims by {} sources on {} items; {} gold items ({} that no source covers); read in {:.2} s",
        count(graph.claim_count()),
        count(graph.source_count()),
        count(graph.item_count()),
        count(gold.values.len()),
        count(index.uncovered.len()),
        started.elapsed().as_secs_f64()
    );
    let evaluations: Vec<Evaluation> = methods
        .iter()
        .map(|&method| {
            let started = Instant::now();
            let outcome = method.run(&graph);
            let seconds = started.elapsed().as_secs_f64();
            evaluate::evaluate(method.name(), &graph, &outcome, &index, seconds)
        })
        .collect();
    if json {
        let value = if evaluations.len() == 1 {
            serde_json::to_value(&evaluations[0])
        } else {
            serde_json::to_value(&evaluations)
        }
        .map_err(|e| Error::Internal(e.to_string()))?;
        let text =
            serde_json::to_string_pretty(&value).map_err(|e| Error::Internal(e.to_string()))?;
        return print(&(text + "\n"));
    }
    let attributes: Vec<String> = evaluations[0].per_attribute.keys().cloned().collect();
    let show_attributes = attributes.len() <= 8;
    let mut header = vec!["method".to_string(), "precision".into()];
    if show_attributes {
        header.extend(attributes.iter().cloned());
    }
    header.extend(["spearman".into(), "rounds".into(), "seconds".into()]);
    let mut rows = vec![header];
    for e in &evaluations {
        let mut row = vec![e.method.clone(), format!("{:.4}", e.precision)];
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
    let mut text = table_text(&rows)?;
    text.push_str(&format!(
        "{} gold items{}\n",
        count(evaluations[0].items),
        if show_attributes {
            String::new()
        } else {
            format!(
                "; {} attributes (--format json gives each)",
                attributes.len()
            )
        }
    ));
    print(&text)
}

fn import_sheets(store: &CaseStore, args: &ImportArgs) -> Result<()> {
    let started = Instant::now();
    let imported = app_extract::import_sheets(store, args)?;
    let mut statements = 0;
    for sheet in &imported {
        statements += sheet.statements;
        eprintln!(
            "{}: {} statement{}{}, {} triples{}",
            sheet.path.display(),
            sheet.statements,
            plural(sheet.statements),
            if sheet.left_out > 0 {
                format!(" ({} left out by keep: false)", sheet.left_out)
            } else {
                String::new()
            },
            count(sheet.quads),
            if sheet.replaced {
                " (replacing the earlier import)"
            } else {
                ""
            }
        );
    }
    eprintln!(
        "imported {} statement{} in {:.1} s; run `credgraph validate`, `credgraph reason` and `credgraph score` to check and update what is derived and scored",
        count(statements),
        plural(statements),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
