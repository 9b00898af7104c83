//! `match`: statements to the propositions they speak to and their stances, in a
//! match sheet or as JSON.

use super::cli::{MatchArgs, MatchFormat};
use super::print::plural;
use crate::error::{Error, Result};
use crate::matching::sheet;
use crate::matching::{self, inputs, proposals, Choice, Proposed, Statement};
use crate::store::CaseStore;
use std::collections::HashSet;
use std::io::Write;

/// `credgraph match`.
pub fn run(store: &CaseStore, args: &MatchArgs) -> Result<()> {
    let (inputs, described) = inputs::statements(store, &args.files)?;
    if inputs.is_empty() {
        return Err(Error::invalid(if args.files.is_empty() {
            "no statement to match: every statement of the store shares its proposition with another (or the store holds none); give tables or sheets to match"
        } else {
            "no statement to match in the files given"
        }));
    }
    let own: HashSet<&str> = inputs
        .iter()
        .filter_map(|i| i.proposition.as_deref())
        .collect();
    let mut candidates = inputs::store_candidates(store)?;
    // New propositions are named unlike any of the store's, the statements' own too.
    let reserved: HashSet<String> = candidates.iter().map(|c| c.id.clone()).collect();
    candidates.retain(|c| !own.contains(c.id.as_str()));
    let in_store = candidates.len();
    for table in &args.propositions {
        candidates.extend(crate::import::match_tables::propositions(table)?);
    }
    let options = matching::Options {
        top: args.top.max(1),
        threshold: args.threshold,
        cluster_threshold: args.cluster_threshold,
        window_days: (args.window > 0).then_some(args.window),
        ..matching::Options::default()
    };
    let statements: Vec<Statement> = inputs.iter().map(|i| i.statement.clone()).collect();
    let proposed = matching::propose(&statements, &candidates, &options);
    summary(&proposed);
    let write = |out: &mut dyn Write| -> Result<()> {
        match args.format {
            MatchFormat::Yaml => {
                let sheet = proposals::match_sheet(
                    &inputs,
                    &candidates,
                    in_store,
                    &reserved,
                    &proposed,
                    described,
                );
                out.write_all(sheet::to_yaml(&sheet)?.as_bytes())
            }
            MatchFormat::Json => {
                proposals::write_json(out, &inputs, &candidates, &reserved, &proposed)
            }
        }
        .map_err(Error::Output)?;
        out.flush().map_err(Error::Output)
    };
    super::print::to_output(args.output.as_deref(), write)
}

/// One line on standard error.
fn summary(proposed: &Proposed) {
    let existing = proposed
        .matches
        .iter()
        .filter(|m| matches!(m.choice, Choice::Existing(_)))
        .count();
    let new = proposed
        .matches
        .iter()
        .filter(|m| matches!(m.choice, Choice::New(_)))
        .count();
    let clusters: HashSet<u32> = proposed.matches.iter().map(|m| m.cluster).collect();
    let statements = proposed.matches.len();
    eprintln!(
        "{} statement{}: {existing} matched to existing propositions, {new} to {} new proposition{} shared within a cluster, {} alone; {} cluster{}",
        statements,
        plural(statements),
        proposed.new_propositions.len(),
        plural(proposed.new_propositions.len()),
        statements - existing - new,
        clusters.len(),
        plural(clusters.len()),
    );
}
