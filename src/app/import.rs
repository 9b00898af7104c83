//! `import`: claim tables, review sheets from `extract`, match sheets from `match`,
//! and fact-checkers' reviews (ClaimReview).

use super::cli::ImportArgs;
use super::print::{self, count, plural};
use crate::error::{Error, Result};
use crate::import::claim_review::{self, Format};
use crate::import::ratings::Status;
use crate::import::{claims, hierarchy, sheet, wikidata, TargetGraph};
use crate::matching::apply;
use crate::store::CaseStore;
use std::time::Instant;

/// `credgraph import`: claim tables, review sheets, match sheets or ClaimReviews,
/// each kind on its own.
pub fn import(store: &CaseStore, args: &ImportArgs) -> Result<()> {
    if args.wikidata.is_empty() && args.wikidata_endpoint.is_some() {
        return Err(Error::invalid(
            "--wikidata-endpoint is where --wikidata Q… asks; give the entities with --wikidata",
        ));
    }
    if claim_reviews(store, args)? {
        return Ok(());
    }
    if args.ratings.is_some() {
        return Err(Error::invalid(
            "--ratings is for fact-checkers' reviews (ClaimReview), and these files are not; give --claim-review if they are",
        ));
    }
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
    if !args.wikidata.is_empty() || wikidata_files(args)? {
        return import_wikidata(store, args);
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

/// The start of a file, for telling its kind by its content (nothing of standard
/// input, which would be used up).
fn head(path: &std::path::Path) -> Result<String> {
    if path == std::path::Path::new("-") {
        return Ok(String::new());
    }
    Ok(String::from_utf8_lossy(&claim_review::head(path)?).into_owned())
}

/// Whether the files are Wikidata's (entity JSON, dump lines, WDQS results): all
/// of them, or none.
fn wikidata_files(args: &ImportArgs) -> Result<bool> {
    let mut found = Vec::new();
    for path in &args.files {
        let name = path.to_string_lossy().to_lowercase();
        let json = [
            ".json",
            ".jsonl",
            ".ndjson",
            ".json.gz",
            ".jsonl.gz",
            ".ndjson.gz",
        ]
        .iter()
        .any(|ext| name.ends_with(ext));
        if json {
            let head = head(path)?;
            found.push(wikidata::json::sniff(&head) || wikidata::results::sniff(&head));
        } else {
            found.push(false);
        }
    }
    match (found.iter().any(|&f| f), found.iter().all(|&f| f)) {
        (false, _) => Ok(false),
        (true, true) => Ok(true),
        (true, false) => Err(Error::invalid(
            "import Wikidata files (entity JSON, dump lines, WDQS results) on their own, apart from tables and sheets",
        )),
    }
}

/// Wikidata: files, or entities fetched from an endpoint.
fn import_wikidata(store: &CaseStore, args: &ImportArgs) -> Result<()> {
    if args.graph.is_some() {
        return Err(Error::invalid(
            "each Wikidata entity goes into a graph of its own (and a results file into the file's); --graph is for tables and review sheets",
        ));
    }
    let started = Instant::now();
    let mapping = match &args.wikidata_mapping {
        Some(path) => wikidata::mapping::Mapping::read(path)?,
        None => wikidata::mapping::Mapping::default_table(),
    };
    let mut entities = Vec::new();
    if args.wikidata.is_empty() {
        for path in &args.files {
            let head = head(path)?;
            if wikidata::results::sniff(&head) {
                let graph = crate::import::rdf::file_graph(path)?;
                entities.extend(wikidata::results::read(path, &mapping, &graph)?);
            } else {
                entities.extend(wikidata::json::read(path)?);
            }
        }
    } else {
        let url = args
            .wikidata_endpoint
            .as_deref()
            .unwrap_or(wikidata::endpoint::PUBLIC_ENDPOINT);
        eprintln!("asking {url} for {}", args.wikidata.join(", "));
        entities = wikidata::endpoint::fetch(url, &args.wikidata, args.follow, &mapping)?;
    }
    let read = started.elapsed().as_secs_f64();
    let imported = wikidata::write(store, &entities, &mapping)?;
    eprintln!(
        "{} entit{} read in {read:.1} s: {} {}, {} post{}, {} organization{}, {} tenure{}{}; {} triples into {} graph{}{} in {:.1} s",
        count(entities.len()),
        if entities.len() == 1 { "y" } else { "ies" },
        count(imported.people),
        if imported.people == 1 { "person" } else { "people" },
        count(imported.posts),
        plural(imported.posts),
        count(imported.organizations),
        plural(imported.organizations),
        count(imported.tenures),
        plural(imported.tenures),
        if imported.left_out > 0 {
            format!(
                ", {} left out (neither person, post nor organization)",
                count(imported.left_out)
            )
        } else {
            String::new()
        },
        count(imported.quads),
        count(imported.graphs),
        plural(imported.graphs),
        if imported.replaced > 0 {
            format!(" ({} replacing an earlier import)", count(imported.replaced))
        } else {
            String::new()
        },
        started.elapsed().as_secs_f64()
    );
    eprintln!("run `credgraph reason` to derive the dependences the posts and hierarchy imply");
    Ok(())
}

/// Fact-checkers' reviews (ClaimReview JSON-LD or tables), when the files are (by
/// their contents, or `--claim-review`): false when they are another kind.
fn claim_reviews(store: &CaseStore, args: &ImportArgs) -> Result<bool> {
    let mut files: Vec<(std::path::PathBuf, Option<Format>)> = Vec::new();
    let mut other = None;
    for path in &args.files {
        let format = if args.claim_review {
            None
        } else {
            match claim_review::detect(path, args.columns.delimiter)? {
                Some(format) => Some(format),
                None => {
                    other.get_or_insert(path);
                    continue;
                }
            }
        };
        files.push((path.clone(), format));
    }
    let Some(first) = files.first() else {
        return Ok(false);
    };
    if let Some(other) = other {
        return Err(Error::invalid(format!(
            "import fact-checkers' reviews on their own: {} holds ClaimReviews, {} does not (give --claim-review if it does)",
            first.0.display(),
            other.display()
        )));
    }
    let options = claim_review::ImportOptions {
        ratings: args.ratings.clone(),
        skip_bad: args.skip_bad,
        delimiter: args.columns.delimiter,
        graph: args.graph.clone(),
    };
    let started = Instant::now();
    let imported = claim_review::import(store, &files, &options)?;
    let mut reviews = 0;
    for file in &imported.files {
        reviews += file.counts.reviews;
        for bad in &file.bad {
            eprintln!("{}: skipped: {}", bad.at.show(&file.path), bad.message);
        }
        let statuses: Vec<String> = [
            Status::Confirmed,
            Status::PartlyConfirmed,
            Status::Refuted,
            Status::Open,
        ]
        .iter()
        .filter_map(|status| {
            let n = *file.counts.resolutions.get(status)?;
            Some(format!("{} {}", count(n), status.label()))
        })
        .collect();
        let mut notes = Vec::new();
        if !file.bad.is_empty() {
            notes.push(format!(
                "{} bad review{} skipped",
                file.bad.len(),
                plural(file.bad.len())
            ));
        }
        if file.counts.repeated > 0 {
            notes.push(format!("{} given twice", count(file.counts.repeated)));
        }
        if file.ignored > 0 {
            notes.push(format!(
                "{} item{} of other types left aside",
                count(file.ignored),
                plural(file.ignored)
            ));
        }
        eprintln!(
            "{}: {} review{}{}, {} statement{}, {} resolution{}{}, claimants {} known and {} new, {} triples into {}{}",
            file.path.display(),
            count(file.counts.reviews),
            plural(file.counts.reviews),
            if notes.is_empty() {
                String::new()
            } else {
                format!(" ({})", notes.join(", "))
            },
            count(file.counts.statements),
            plural(file.counts.statements),
            count(file.counts.reviews),
            plural(file.counts.reviews),
            if statuses.is_empty() {
                String::new()
            } else {
                format!(" ({})", statuses.join(", "))
            },
            count(file.counts.claimants_known),
            count(file.counts.claimants_new),
            count(file.quads),
            print::graph(&file.graph),
            if file.replaced {
                " (replacing the earlier import)"
            } else {
                ""
            }
        );
    }
    if let Some(note) = claim_review::unknown_words_note(&imported.unknown_words) {
        eprintln!("{note}");
    }
    eprintln!(
        "imported {} review{} in {:.1} s; run `credgraph validate`, `credgraph reason` and `credgraph score` to check and update what is derived and scored",
        count(reviews),
        plural(reviews),
        started.elapsed().as_secs_f64()
    );
    Ok(true)
}
