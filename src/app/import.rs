//! `import`: claim tables, review sheets from `extract`, and match sheets from `match`.

use super::cli::ImportArgs;
use super::print::{self, count, plural};
use crate::error::{Error, Result};
use crate::import::{claims, hierarchy, sheet, TargetGraph};
use crate::matching::apply;
use crate::store::CaseStore;
use std::time::Instant;

/// `credgraph import`: claim tables, review sheets or match sheets, each kind on its own.
pub fn import(store: &CaseStore, args: &ImportArgs) -> Result<()> {
    if let Some(path) = &args.hierarchy {
        let imported = hierarchy::import(store, path)?;
        eprintln!(
            "{}: {} entailment{} between answers into {}{}; run `credgraph score` to update the scores",
            path.display(),
            count(imported.links),
            plural(imported.links),
            print::graph(&imported.graph.into()),
            if imported.replaced {
                " (replacing the earlier import)"
            } else {
                ""
            }
        );
        return Ok(());
    }
    let sheets = args.files.iter().filter(|f| sheet::is_sheet(f)).count();
    let match_sheets = args
        .files
        .iter()
        .filter(|f| apply::is_match_sheet(f))
        .count();
    if match_sheets > 0 {
        if match_sheets < args.files.len() {
            return Err(Error::invalid(
                "import match sheets on their own, after the statements they match (review sheets or tables first)",
            ));
        }
        return import_match_sheets(store, args);
    }
    if sheets > 0 {
        if sheets < args.files.len() {
            return Err(Error::invalid(
                "import either claim tables or review sheets (.yaml, .yml, .json), not both at once",
            ));
        }
        return review_sheets(store, args);
    }
    let options = args.columns.table_options(args.skip_bad);
    let graph = args.graph.as_ref().map(TargetGraph::graph_name);
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
            print::graph(&file.graph),
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

fn review_sheets(store: &CaseStore, args: &ImportArgs) -> Result<()> {
    let started = Instant::now();
    let imported = sheet::import(store, &args.files, args.graph.as_ref())?;
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

/// Match sheets: checked against the store, then applied in one write.
fn import_match_sheets(store: &CaseStore, args: &ImportArgs) -> Result<()> {
    if args.graph.is_some() {
        return Err(Error::invalid(
            "a match sheet goes into a graph of its own (named by its file); --graph is for tables and review sheets",
        ));
    }
    for sheet in apply::import(store, &args.files)? {
        eprintln!(
            "{}: {} statement{} matched ({} added to the store), {} new proposition{}, {} left as they were, {} earlier triple{} replaced{}",
            sheet.path.display(),
            sheet.matched,
            plural(sheet.matched),
            sheet.added,
            sheet.minted,
            plural(sheet.minted),
            sheet.left_out,
            sheet.removed,
            plural(sheet.removed),
            if sheet.replaced { " (replacing the earlier import of this sheet)" } else { "" }
        );
    }
    eprintln!("run `credgraph reason` to derive who agrees and contradicts");
    Ok(())
}
