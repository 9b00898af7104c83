//! `reason`: what the rules and the source pairs derive.

use super::cli::ReasonArgs;
use super::print::plural;
use crate::error::Result;
use crate::reason::{self, Mode, ReasonOptions};
use crate::store::CaseStore;

/// `credgraph reason`.
pub fn reason(store: &CaseStore, args: &ReasonArgs) -> Result<()> {
    let options = ReasonOptions {
        dependence: args.dependence.clone(),
        max_statement_pairs: args.max_statement_pairs,
        evidence_limit: args.evidence_limit,
        rules_dir: args.rules.clone(),
        full: args.full,
    };
    let report = reason::reason(store, &options)?;
    match &report.mode {
        Mode::UpToDate => {
            eprintln!(
                "nothing changed since the last reason: the derived graph is up to date ({:.2} s)",
                report.time.as_secs_f64()
            );
            return Ok(());
        }
        Mode::Incremental {
            changed_graphs,
            sources,
            removed,
            added,
        } => {
            print_rules(&report.rules, false);
            eprintln!(
                "updated the derived graph for {changed_graphs} changed graph{} touching {sources} source{} in {:.2} s: {removed} derived triple{} taken out, {added} derived again (`reason --full` rebuilds from scratch)",
                plural(*changed_graphs),
                plural(*sources),
                report.time.as_secs_f64(),
                plural(*removed as usize),
            );
            return Ok(());
        }
        Mode::Full(why) => eprintln!("rebuilding the derived graph from scratch: {why}"),
    }
    print_rules(&report.rules, true);
    if report.incomplete_statements > 0 {
        eprintln!(
            "  {} statement{} lack a source, proposition or polarity and were left out (see `credgraph validate`)",
            report.incomplete_statements,
            plural(report.incomplete_statements)
        );
    }
    eprintln!(
        "  read the statements in {:.2} s",
        report.index_time.as_secs_f64()
    );
    eprintln!(
        "reasoned over {} statement{} in {:.2} s: {} agreeing and {} contradicting statement pairs{}, {} source pair{}, {} corroborating; {} derived triples",
        report.statements,
        plural(report.statements),
        report.time.as_secs_f64(),
        report.statement_pairs.agreeing_statement_pairs,
        report.statement_pairs.contradicting_statement_pairs,
        if report.statement_pairs_stored { "" } else { " (not stored)" },
        report.source_pairs,
        plural(report.source_pairs),
        report.corroborating_pairs,
        report.derived_triples
    );
    if let Some((added, removed)) = report.written {
        eprintln!(
            "  compared with the derived graph as it was: {added} triple{} written, {removed} taken out, the rest unchanged",
            plural(added as usize),
        );
    }
    Ok(())
}

/// A line for each rule: what it derived and how long it took (and how many runs,
/// for a run to a fixpoint), or why it was skipped.
fn print_rules(rules: &[reason::RuleOutcome], runs: bool) {
    for rule in rules {
        let Some(why) = &rule.skipped else {
            let times = if runs {
                format!(" in {} run{}", rule.runs, plural(rule.runs as usize))
            } else {
                String::new()
            };
            eprintln!(
                "  {:<34} {:>9} triple{}{times} ({:.2} s)",
                rule.rule,
                rule.added,
                plural(rule.added as usize),
                rule.time.as_secs_f64()
            );
            continue;
        };
        eprintln!("  {:<34} skipped: {why}", rule.rule);
    }
}
