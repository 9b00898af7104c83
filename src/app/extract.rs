//! `extract`: articles to review sheets, one per article.

use super::cli::ExtractArgs;
use super::print::plural;
use crate::error::{Error, Result};
use crate::extract::linking::Directory;
use crate::extract::proposals::{self, ArticleInput};
use crate::extract::sheet::{self, Sheet, SpeakerKind};
use crate::extract::{self, article};
use crate::store::CaseStore;
use std::io::Read;
use std::path::{Path, PathBuf};

/// `credgraph extract`.
pub fn extract(store: &CaseStore, args: &ExtractArgs) -> Result<()> {
    let overrides = extract::Overrides {
        date: args.date.clone(),
        outlet: args.outlet.clone(),
        title: args.title.clone(),
        url: args.url.clone(),
    };
    let folder = output_folder(args)?;
    let directory = Directory::read(store)?;
    // Read and check every article first: a bad one stops the run before anything is written.
    let mut articles = Vec::new();
    for path in &args.files {
        let (name, bytes) = read_input(path)?;
        let article = article::read(Path::new(&name), bytes)?;
        let date = overrides.date.clone().or_else(|| article.date.clone()).ok_or_else(|| {
            Error::invalid(format!(
                "{name}: no date: give --date YYYY-MM-DD or start the article with a `date: YYYY-MM-DD` line"
            ))
        })?;
        articles.push(ArticleInput {
            name,
            article,
            date,
        });
    }
    let mut sheets = proposals::propose_sheets(store, &articles, &overrides, &directory);
    if args.with_match {
        crate::matching::extract_sheets::match_sheets(store, &mut sheets)?;
    }
    let mut used = std::collections::HashSet::new();
    for ((path, input), sheet) in args.files.iter().zip(&articles).zip(&sheets) {
        report(&input.name, sheet);
        let rendered = proposals::render(sheet, args.format)?;
        match (&folder, &args.output) {
            (Some(folder), _) => {
                let stem = path
                    .file_stem()
                    .map(|s| s.to_string_lossy().to_string())
                    .filter(|s| s != "-")
                    .unwrap_or_else(|| "standard-input".into());
                let extension = args.format.extension();
                let mut target = folder.join(format!("{stem}.{extension}"));
                let mut n = 2;
                while !used.insert(target.clone()) {
                    target = folder.join(format!("{stem}-{n}.{extension}"));
                    n += 1;
                }
                write_file(&target, &rendered)?;
            }
            (None, Some(file)) => write_file(file, &rendered)?,
            (None, None) => super::print::print(&rendered)?,
        }
    }
    Ok(())
}

/// The folder the sheets go to, one file per article: `-o` when it is one (or ends
/// in `/`), and it must be for several articles.
fn output_folder(args: &ExtractArgs) -> Result<Option<PathBuf>> {
    match &args.output {
        Some(path)
            if args.files.len() > 1 || path.is_dir() || path.to_string_lossy().ends_with('/') =>
        {
            std::fs::create_dir_all(path).map_err(|e| Error::file(path, e))?;
            Ok(Some(path.clone()))
        }
        None if args.files.len() > 1 => Err(Error::invalid(
            "several articles need -o FOLDER: each gets a sheet of its own there",
        )),
        _ => Ok(None),
    }
}

fn read_input(path: &Path) -> Result<(String, Vec<u8>)> {
    let mut bytes = Vec::new();
    if path == Path::new("-") {
        std::io::stdin()
            .lock()
            .read_to_end(&mut bytes)
            .map_err(|e| Error::file("<stdin>", e))?;
        return Ok(("-".into(), bytes));
    }
    let mut file = std::fs::File::open(path).map_err(|e| Error::file(path, e))?;
    file.read_to_end(&mut bytes)
        .map_err(|e| Error::file(path, e))?;
    Ok((path.display().to_string(), bytes))
}

fn write_file(path: &Path, text: &str) -> Result<()> {
    crate::files::write_whole(path, |out| {
        out.write_all(text.as_bytes())
            .map_err(|e| Error::file(path, e))
    })
}

/// One line per article on standard error, and the sheet's notes.
fn report(name: &str, sheet: &Sheet) {
    let count = |kind: SpeakerKind| {
        sheet
            .statements
            .iter()
            .filter(|s| s.speaker_kind == kind)
            .count()
    };
    let quotes = sheet
        .statements
        .iter()
        .filter(|s| s.how == sheet::How::Quote)
        .count();
    let linked = sheet
        .statements
        .iter()
        .filter(|s| {
            !s.speaker_is_new
                && !matches!(s.speaker_kind, SpeakerKind::Unknown | SpeakerKind::Outlet)
        })
        .count();
    eprintln!(
        "{name}: {} statement{} proposed ({quotes} quoted, {} the outlet's own, {linked} by speakers already in the store, {} without a speaker)",
        sheet.statements.len(),
        plural(sheet.statements.len()),
        count(SpeakerKind::Outlet),
        count(SpeakerKind::Unknown),
    );
    for note in &sheet.notes {
        eprintln!("{name}: note: {note}");
    }
}
