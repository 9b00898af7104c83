//! Fact-checkers' verdicts (schema.org ClaimReview) into the model: who made the
//! claim, the statement they made, the proposition it asserts, and one resolution
//! per review, by the fact-checker, mapped through the rating table.
//!
//! Inputs: JSON-LD (one ClaimReview, a list of them, an object with `@graph`, a
//! DataFeed, or JSON lines), and tables (CSV or TSV, read as claim tables are) with
//! a column per field, under our names or ClaimsKG's. Each review becomes, in the
//! graph of its file:
//! - the claimant, linked to a source the store knows (by `sameAs`, else by name)
//!   or minted: `person/SLUG` or `organization/SLUG` when JSON-LD says which, else
//!   `source/SLUG`;
//! - a statement, asserting, by the claimant, on the claim's date (else the
//!   review's), with the claim's words, reported in the documents where it
//!   appeared: `statement/claim-review-MD5(CLAIMANT, CLAIM, DATE)`, so that two
//!   reviews of one claim share it;
//! - a proposition labelled by the claim, answering a question of its own:
//!   `proposition/claim-review-MD5(CLAIM)` (claims compared as rating words are);
//! - a resolution of the proposition by the fact-checker, with the status and truth
//!   degree of the rating, the rating's own words, the review's date and address:
//!   `resolution/claim-review-MD5(REVIEWER, URL, PROPOSITION)`.

use super::ratings::{self, Ratings, Scale, Status, Unrated};
use super::rdf::file_graph;
use super::table;
use super::TargetGraph;
use crate::error::{quoted, Error, Position, Result};
use crate::extract::linking::Directory;
use crate::extract::rdf::minted;
use crate::store::CaseStore;
use crate::vocab::{cg, owl, rdfs};
use md5::{Digest, Md5};
use oxigraph::model::vocab::{rdf, xsd};
use oxigraph::model::{GraphName, Literal, NamedNode, NamedNodeRef, Quad, Term};
use rustc_hash::{FxHashMap, FxHashSet};
use serde_json::Value;
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

/// How far into a file detection looks for the word ClaimReview or a header.
const SNIFFED_BYTES: usize = 64 * 1024;

/// How many bad reviews an error lists before saying "and N more".
const LISTED_BAD_REVIEWS: usize = 10;

/// The shapes a ClaimReview file comes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// One JSON value: a review, a list, `@graph`, a DataFeed; or, when the file is
    /// not one value, JSON lines.
    Json,
    /// One JSON value per line.
    JsonLines,
    /// CSV or TSV with a header.
    Table,
}

/// The file's name without `.gz`, in lower case.
fn plain_name(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    match name.strip_suffix(".gz") {
        Some(name) => name.to_string(),
        None => name,
    }
}

fn extension(path: &Path) -> String {
    let name = plain_name(path);
    Path::new(&name)
        .extension()
        .map(|e| e.to_string_lossy().to_string())
        .unwrap_or_default()
}

/// The first bytes of a file, decompressed when it is gzipped.
pub fn head(path: &Path) -> Result<Vec<u8>> {
    let mut head = Vec::with_capacity(SNIFFED_BYTES);
    crate::files::open_input(path)?
        .take(SNIFFED_BYTES as u64)
        .read_to_end(&mut head)
        .map_err(|e| Error::file(path, e))?;
    Ok(head)
}

/// Whether a file holds ClaimReviews, and in which shape: a .json, .jsonld, .jsonl
/// or .ndjson file (gzipped or not) whose first 64 KB name ClaimReview, or a table
/// whose header has a claim column and a rating column. Standard input is never
/// guessed at (`--claim-review` says so).
pub fn detect(path: &Path, delimiter: Option<u8>) -> Result<Option<Format>> {
    if path == Path::new("-") {
        return Ok(None);
    }
    let format = match extension(path).as_str() {
        "json" | "jsonld" => Format::Json,
        "jsonl" | "ndjson" => Format::JsonLines,
        // Review sheets, match sheets and RDF are other kinds of input.
        "yaml" | "yml" | "ttl" | "nt" | "nq" | "trig" | "rdf" | "owl" | "n3" | "xml" => {
            return Ok(None)
        }
        _ => Format::Table,
    };
    let head = head(path)?;
    let found = match format {
        Format::Json | Format::JsonLines => memchr::memmem::find(&head, b"ClaimReview").is_some(),
        Format::Table => {
            let header = first_line(&head);
            let delimiter = delimiter.unwrap_or(if plain_name(path).ends_with(".csv") {
                b','
            } else {
                b'\t'
            });
            is_review_header(&split_header(header, delimiter))
        }
    };
    Ok(found.then_some(format))
}

/// The format of a file given as ClaimReview (`--claim-review`): by its name, else
/// by its first bytes (JSON starts with `{` or `[`).
pub fn format_of(path: &Path, head: &[u8]) -> Format {
    match extension(path).as_str() {
        "json" | "jsonld" => Format::Json,
        "jsonl" | "ndjson" => Format::JsonLines,
        "csv" | "tsv" => Format::Table,
        _ => match head
            .iter()
            .find(|b| !b.is_ascii_whitespace() && !b"\xef\xbb\xbf".contains(b))
        {
            Some(b'{' | b'[') => Format::Json,
            _ => Format::Table,
        },
    }
}

fn first_line(text: &[u8]) -> &[u8] {
    let end = memchr::memchr2(b'\n', b'\r', text).unwrap_or(text.len());
    &text[..end]
}

/// A header line's names, unquoted: enough to tell a ClaimReview table.
fn split_header(line: &[u8], delimiter: u8) -> Vec<String> {
    String::from_utf8_lossy(line)
        .split(delimiter as char)
        .map(|name| {
            name.trim()
                .trim_start_matches('\u{feff}')
                .trim_matches('"')
                .trim()
                .to_string()
        })
        .collect()
}

// The columns of a ClaimReview table, each under our name and ClaimsKG's (matched
// in any case).
const CLAIM: &[&str] = &["claim", "claimReview_claimReviewed"];
const CLAIMANT: &[&str] = &["claimant", "creativeWork_author_name"];
const CLAIMANT_SAME_AS: &[&str] = &["claimant_sameAs", "creativeWork_author_sameAs"];
const CLAIM_DATE: &[&str] = &["claim_date", "date", "creativeWork_datePublished"];
const REVIEW_DATE: &[&str] = &["review_date", "claimReview_datePublished"];
const RATING: &[&str] = &["rating", "rating_alternateName"];
const RATING_VALUE: &[&str] = &["rating_value", "rating_ratingValue"];
const BEST_RATING: &[&str] = &["best_rating", "rating_bestRating"];
const WORST_RATING: &[&str] = &["worst_rating", "rating_worstRating"];
const REVIEWER: &[&str] = &["reviewer", "claimReview_author_name"];
const URL: &[&str] = &["url", "claimReview_url"];
const APPEARANCE: &[&str] = &["appearance"];

/// The first column with one of `names` (in any case), in their order.
fn column(header: &[String], names: &[&str]) -> Option<usize> {
    names
        .iter()
        .find_map(|name| header.iter().position(|h| h.eq_ignore_ascii_case(name)))
}

/// A table is of ClaimReviews when its header has a claim and a rating column.
fn is_review_header(header: &[String]) -> bool {
    column(header, CLAIM).is_some()
        && (column(header, RATING).is_some() || column(header, RATING_VALUE).is_some())
}

/// Where a review is in its file: the line, and for an item of a list its number.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct At {
    pub line: Option<u64>,
    pub item: Option<usize>,
}

impl At {
    /// Where in the file, in words: `line 3`, `item 2 (line 4)`, `item 2`.
    pub fn describe(&self) -> String {
        match (self.line, self.item) {
            (Some(line), None) => format!("line {line}"),
            (Some(line), Some(item)) => format!("item {item} (line {line})"),
            (None, Some(item)) => format!("item {item}"),
            (None, None) => "the review".into(),
        }
    }

    /// As messages give it: `FILE:LINE`, `FILE:LINE: item N` or `FILE: item N`.
    pub fn show(&self, path: &Path) -> String {
        let path = path.display();
        match (self.line, self.item) {
            (Some(line), None) => format!("{path}:{line}"),
            (Some(line), Some(item)) => format!("{path}:{line}: item {item}"),
            (None, Some(item)) => format!("{path}: item {item}"),
            (None, None) => path.to_string(),
        }
    }
}

/// A review that cannot be imported, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadReview {
    pub at: At,
    pub message: String,
}

/// Who a party is, when the input says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Person,
    Organization,
    Unstated,
}

/// A claimant or a fact-checker: a name, what it is, and its identities elsewhere.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Party {
    pub name: String,
    pub kind: Kind,
    pub same_as: Vec<String>,
}

impl Party {
    fn named(name: &str) -> Party {
        Party {
            name: name.to_string(),
            kind: Kind::Unstated,
            same_as: Vec::new(),
        }
    }
}

/// A review's rating as published: words, numbers, or both.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rating {
    pub words: Option<String>,
    pub scale: Option<Scale>,
    /// What is wrong with the numbers, when they cannot be read as a scale.
    pub scale_problem: Option<String>,
}

/// One review, with what import needs present: a claim, a claimant, a rating and a
/// date (the claim's, the review's or both).
#[derive(Debug, Clone, PartialEq)]
pub struct Review {
    pub at: At,
    pub claim: String,
    pub claimant: Party,
    pub claimed_on: Option<String>,
    pub reviewed_on: Option<String>,
    pub rating: Rating,
    pub reviewer: Option<Party>,
    pub url: Option<String>,
    /// Addresses where the claim appeared.
    pub appearances: Vec<String>,
}

/// What reading a file gave.
#[derive(Debug, Default)]
pub struct Reading {
    pub reviews: Vec<Review>,
    pub bad: Vec<BadReview>,
    /// Items of other types (a WebPage, an Organization in `@graph`).
    pub ignored: usize,
}

/// A date as `YYYY-MM-DD`: an ISO date or date-time, or one of the ways
/// [`crate::extract::article::parse_date`] reads.
fn date_of(text: &str) -> Option<String> {
    let text = text.trim();
    if let Some(day) = text.get(..10) {
        let rest = &text[10..];
        if crate::model::dates::is_date(day) && (rest.is_empty() || rest.starts_with(['T', ' '])) {
            return Some(day.to_string());
        }
    }
    crate::extract::article::parse_date(text)
}

/// A number written as a number or as text.
fn number_of(text: &str) -> Option<f64> {
    text.trim().parse::<f64>().ok().filter(|x| x.is_finite())
}

/// What a review's fields say, before it is checked: the same for JSON and tables.
#[derive(Default)]
struct Fields {
    claim: Option<String>,
    claimant: Option<Party>,
    claim_date: Option<String>,
    review_date: Option<String>,
    words: Option<String>,
    value: Option<String>,
    best: Option<String>,
    worst: Option<String>,
    reviewer: Option<Party>,
    url: Option<String>,
    appearances: Vec<String>,
}

/// How a format names its fields, for messages.
struct Names {
    claim: String,
    claimant: String,
    rating: String,
    claim_date: String,
    review_date: String,
    value: String,
    best: String,
    worst: String,
}

static JSON_NAMES: std::sync::LazyLock<Names> = std::sync::LazyLock::new(|| Names {
    claim: "claimReviewed".into(),
    claimant: "itemReviewed.author with a name".into(),
    rating: "reviewRating with alternateName or ratingValue".into(),
    claim_date: "itemReviewed.datePublished".into(),
    review_date: "datePublished".into(),
    value: "ratingValue".into(),
    best: "bestRating".into(),
    worst: "worstRating".into(),
});

impl Fields {
    /// The review, or everything that is missing or wrong in it.
    fn review(self, at: At, names: &Names) -> std::result::Result<Review, BadReview> {
        let mut problems = Vec::new();
        let nonempty = |text: Option<String>| text.filter(|t| !t.trim().is_empty());
        let claim = nonempty(self.claim);
        if claim.is_none() {
            problems.push(format!("no claim text ({})", names.claim));
        }
        let claimant = self.claimant.filter(|p| !p.name.trim().is_empty());
        if claimant.is_none() {
            problems.push(format!("no claimant ({})", names.claimant));
        }
        let mut bad_date = false;
        let mut date = |text: Option<String>, name: &str| -> Option<String> {
            let text = nonempty(text)?;
            let date = date_of(&text);
            if date.is_none() {
                bad_date = true;
                problems.push(format!(
                    "{name} '{}' is not a date (write YYYY-MM-DD)",
                    quoted(&text)
                ));
            }
            date
        };
        let claim_date = date(self.claim_date, &names.claim_date);
        let review_date = date(self.review_date, &names.review_date);
        if claim_date.is_none() && review_date.is_none() && !bad_date {
            let places: Vec<&str> = [&names.review_date, &names.claim_date]
                .into_iter()
                .filter(|name| !name.is_empty())
                .map(String::as_str)
                .collect();
            problems.push(format!("no date ({})", places.join(" or ")));
        }
        let words = nonempty(self.words);
        let value = nonempty(self.value);
        // A value that is not a number is the rating's words, when there are none.
        let (words, value) = match (words, value) {
            (None, Some(value)) if number_of(&value).is_none() => (Some(value), None),
            pair => pair,
        };
        if words.is_none() && value.is_none() {
            problems.push(format!("no rating ({})", names.rating));
        }
        let mut rating = Rating {
            words,
            ..Rating::default()
        };
        if let Some(value) = value {
            let bound = |text: Option<String>, name: &str, default: f64| match nonempty(text) {
                None => Ok(default),
                Some(text) => number_of(&text)
                    .ok_or_else(|| format!("{name} '{}' is not a number", quoted(&text))),
            };
            let scale = number_of(&value)
                .ok_or_else(|| format!("{} '{}' is not a number", names.value, quoted(&value)))
                .and_then(|value| {
                    Ok(Scale {
                        value,
                        best: bound(self.best, &names.best, Scale::DEFAULT_BEST)?,
                        worst: bound(self.worst, &names.worst, Scale::DEFAULT_WORST)?,
                    })
                });
            match scale {
                Ok(scale) => rating.scale = Some(scale),
                Err(problem) => rating.scale_problem = Some(problem),
            }
        }
        match (claim, claimant) {
            (Some(claim), Some(claimant)) if problems.is_empty() => Ok(Review {
                at,
                claim: claim.trim().to_string(),
                claimant,
                claimed_on: claim_date,
                reviewed_on: review_date,
                rating,
                reviewer: self.reviewer.filter(|p| !p.name.trim().is_empty()),
                url: nonempty(self.url).map(|u| u.trim().to_string()),
                appearances: self.appearances,
            }),
            _ => Err(BadReview {
                at,
                message: problems.join("; "),
            }),
        }
    }
}

/// Reads a file's reviews (`-`: standard input); `format` is what [`detect`] found,
/// or none for a file given as ClaimReview by `--claim-review`, whose format is
/// then found from its name or first bytes.
pub fn read(path: &Path, format: Option<Format>, delimiter: Option<u8>) -> Result<Reading> {
    // Standard input can be read once: whole, then looked at.
    let stdin = if path == Path::new("-") {
        Some(all(path)?)
    } else {
        None
    };
    let format = match (format, &stdin) {
        (Some(format), _) => format,
        (None, Some(bytes)) => format_of(path, bytes),
        (None, None) => format_of(path, &head(path)?),
    };
    match format {
        Format::Table => match stdin {
            Some(bytes) => read_table(path, &bytes[..], delimiter),
            None => read_table(path, crate::files::open_input(path)?, delimiter),
        },
        Format::Json | Format::JsonLines => {
            let bytes = match stdin {
                Some(bytes) => bytes,
                None => all(path)?,
            };
            let text = String::from_utf8(bytes).map_err(|e| Error::Syntax {
                path: path.to_path_buf(),
                position: None,
                message: format!("not UTF-8 text: {e}"),
            })?;
            read_json(path, &text, format == Format::JsonLines)
        }
    }
}

/// A whole file, decompressed when it is gzipped.
fn all(path: &Path) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    crate::files::open_input(path)?
        .read_to_end(&mut bytes)
        .map_err(|e| Error::file(path, e))?;
    Ok(bytes)
}

// JSON-LD

/// The elements of a value that may be one or a list.
fn each(value: &Value) -> impl Iterator<Item = &Value> {
    match value {
        Value::Array(items) => items.iter().collect::<Vec<_>>().into_iter(),
        other => vec![other].into_iter(),
    }
}

/// A field's text: a string or number, the first of a list, or an object's
/// `@value` or `name`.
fn text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        Value::Number(n) => Some(n.to_string()),
        Value::Array(items) => items.iter().find_map(text),
        Value::Object(object) => object
            .get("@value")
            .or_else(|| object.get("name"))
            .and_then(text),
        _ => None,
    }
}

fn field<'v>(value: &'v Value, name: &str) -> Option<&'v Value> {
    value
        .get(name)
        .or_else(|| value.get(format!("schema:{name}")))
}

fn field_text(value: &Value, name: &str) -> Option<String> {
    field(value, name).and_then(text)
}

/// The schema.org types of a node, without prefixes.
fn types(value: &Value) -> Vec<String> {
    value
        .get("@type")
        .map(|t| {
            each(t)
                .filter_map(Value::as_str)
                .map(|t| {
                    t.trim_start_matches("http://schema.org/")
                        .trim_start_matches("https://schema.org/")
                        .trim_start_matches("schema:")
                        .to_string()
                })
                .collect()
        })
        .unwrap_or_default()
}

fn is_claim_review(value: &Value) -> bool {
    let types = types(value);
    if types.is_empty() {
        return value.get("claimReviewed").is_some() || value.get("reviewRating").is_some();
    }
    types.iter().any(|t| t == "ClaimReview")
}

fn kind_of(value: &Value) -> Kind {
    let types = types(value);
    if types.iter().any(|t| t == "Person") {
        Kind::Person
    } else if types.iter().any(|t| {
        t.ends_with("Organization")
            || matches!(
                t.as_str(),
                "Corporation" | "NGO" | "PoliticalParty" | "Project"
            )
    }) {
        Kind::Organization
    } else {
        Kind::Unstated
    }
}

/// A party named by a string, an object with a name (or, for a fact-checker, an
/// address), or the first of a list; `prefer` picks among a list.
fn party(value: &Value, prefer: Kind) -> Option<Party> {
    let one = |v: &Value| -> Option<Party> {
        match v {
            Value::String(name) => Some(Party::named(name.trim())).filter(|p| !p.name.is_empty()),
            Value::Object(_) => {
                let name = field_text(v, "name").or_else(|| {
                    // A fact-checker known by its address alone.
                    (prefer == Kind::Organization)
                        .then(|| field_text(v, "url").and_then(|u| host(&u)))
                        .flatten()
                })?;
                let same_as = field(v, "sameAs")
                    .map(|s| each(s).filter_map(text).collect())
                    .unwrap_or_default();
                Some(Party {
                    name,
                    kind: kind_of(v),
                    same_as,
                })
            }
            _ => None,
        }
    };
    let parties: Vec<Party> = each(value).filter_map(one).collect();
    parties
        .iter()
        .find(|p| p.kind == prefer)
        .or_else(|| parties.first())
        .cloned()
}

/// The host of an address, without `www.`: a fact-checker's name of last resort.
fn host(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.strip_prefix("www.").unwrap_or(host);
    (!host.is_empty()).then(|| host.to_string())
}

/// Whether a text is a web address.
fn is_address(text: &str) -> bool {
    let text = text.trim();
    let lower = text.to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://"))
        && !text.contains(char::is_whitespace)
}

/// The addresses where a claim appeared: strings or objects with a `url`.
fn appearances(item: &Value) -> Vec<String> {
    let mut found = Vec::new();
    for name in ["firstAppearance", "appearance"] {
        for v in field(item, name).into_iter().flat_map(each) {
            let url = match v {
                Value::String(s) => Some(s.trim().to_string()),
                Value::Object(_) => field_text(v, "url").or_else(|| field_text(v, "@id")),
                _ => None,
            };
            if let Some(url) = url.filter(|u| is_address(u)) {
                if !found.contains(&url) {
                    found.push(url);
                }
            }
        }
    }
    found
}

/// A ClaimReview object's fields.
fn json_fields(review: &Value) -> Fields {
    let item = field(review, "itemReviewed").and_then(|i| each(i).find(|v| v.is_object()));
    let rating = field(review, "reviewRating").and_then(|r| each(r).find(|v| v.is_object()));
    let rating_field = |name: &str| rating.and_then(|r| field_text(r, name));
    Fields {
        claim: field_text(review, "claimReviewed"),
        claimant: item.and_then(|i| {
            field(i, "author")
                .or_else(|| field(i, "creator"))
                .and_then(|a| party(a, Kind::Person))
        }),
        claim_date: item
            .and_then(|i| field_text(i, "datePublished").or_else(|| field_text(i, "dateCreated"))),
        review_date: field_text(review, "datePublished"),
        words: rating_field("alternateName").or_else(|| rating_field("name")),
        value: rating_field("ratingValue"),
        best: rating_field("bestRating"),
        worst: rating_field("worstRating"),
        reviewer: field(review, "author")
            .or_else(|| field(review, "publisher"))
            .and_then(|a| party(a, Kind::Organization)),
        url: field_text(review, "url").or_else(|| {
            review
                .get("@id")
                .and_then(Value::as_str)
                .filter(|id| is_address(id))
                .map(str::to_string)
        }),
        appearances: item.map(appearances).unwrap_or_default(),
    }
}

/// Reads JSON: one value (a review, a list, `@graph`, a DataFeed), or JSON lines
/// when `lines` says so or the text is not one value but its first line is.
fn read_json(path: &Path, text: &str, lines: bool) -> Result<Reading> {
    let text = text.trim_start_matches('\u{feff}');
    if !lines {
        match serde_json::from_str::<Value>(text) {
            Ok(value) => return Ok(read_json_value(text, &value)),
            Err(e) => {
                let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
                if !serde_json::from_str::<Value>(first).is_ok_and(|v| v.is_object()) {
                    return Err(Error::Syntax {
                        path: path.to_path_buf(),
                        position: Some(Position {
                            line: e.line() as u64,
                            column: e.column() as u64,
                        }),
                        message: json_message(&e),
                    });
                }
            }
        }
    }
    let mut reading = Reading::default();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let at = At {
            line: Some(i as u64 + 1),
            item: None,
        };
        match serde_json::from_str::<Value>(line) {
            Ok(value) => add_item(&mut reading, &value, at),
            Err(e) => reading.bad.push(BadReview {
                at,
                message: format!("column {}: not JSON: {}", e.column(), json_message(&e)),
            }),
        }
    }
    Ok(reading)
}

/// serde_json's message without the position it appends.
fn json_message(e: &serde_json::Error) -> String {
    let message = e.to_string();
    match message.rfind(" at line ") {
        Some(at) => message[..at].to_string(),
        None => message,
    }
}

fn add_item(reading: &mut Reading, value: &Value, at: At) {
    if !is_claim_review(value) {
        reading.ignored += 1;
        return;
    }
    match json_fields(value).review(at, &JSON_NAMES) {
        Ok(review) => reading.reviews.push(review),
        Err(bad) => reading.bad.push(bad),
    }
}

fn read_json_value(text: &str, value: &Value) -> Reading {
    let mut reading = Reading::default();
    let items: Option<&Vec<Value>> = match value {
        Value::Array(items) => Some(items),
        Value::Object(_) => value.get("@graph").and_then(Value::as_array),
        _ => None,
    };
    if let Some(items) = items {
        let lines = item_lines(text);
        let lines = (lines.len() == items.len()).then_some(lines);
        for (i, item) in items.iter().enumerate() {
            let at = At {
                line: lines.as_ref().map(|l| l[i]),
                item: Some(i + 1),
            };
            add_item(&mut reading, item, at);
        }
    } else if let Some(elements) = value.get("dataFeedElement") {
        // A DataFeed: its elements, or the items each one holds.
        let mut number = 0;
        for element in each(elements) {
            for item in each(element.get("item").unwrap_or(element)) {
                number += 1;
                let at = At {
                    line: None,
                    item: Some(number),
                };
                add_item(&mut reading, item, at);
            }
        }
    } else {
        let line = text
            .lines()
            .position(|l| !l.trim().is_empty())
            .map_or(1, |i| i as u64 + 1);
        let at = At {
            line: Some(line),
            item: None,
        };
        add_item(&mut reading, value, at);
    }
    reading
}

/// The line each item of a JSON text's list starts on: the items of a top-level
/// list, or of the `@graph` of a top-level object. One pass over the bytes,
/// following strings and nesting.
fn item_lines(text: &str) -> Vec<u64> {
    let bytes = text.as_bytes();
    let mut lines = Vec::new();
    let mut line = 1;
    let mut depth = 0usize;
    let (mut in_string, mut escaped) = (false, false);
    let mut string_start = 0;
    // The last string closed at depth 1: the key of what follows it.
    let mut key_is_graph = false;
    // The depth inside the items' list, once it is found.
    let mut list: Option<usize> = None;
    let mut item_next = false;
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'\n' {
            line += 1;
        }
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
                if depth == 1 {
                    key_is_graph = &bytes[string_start..i] == b"@graph";
                }
            }
            continue;
        }
        if item_next && !b.is_ascii_whitespace() {
            item_next = false;
            if b != b']' {
                lines.push(line);
            }
        }
        match b {
            b'"' => {
                in_string = true;
                string_start = i + 1;
            }
            b'[' | b'{' => {
                depth += 1;
                if list.is_none() && b == b'[' && (depth == 1 || depth == 2 && key_is_graph) {
                    list = Some(depth);
                    item_next = true;
                }
            }
            b']' | b'}' => {
                if list == Some(depth) {
                    break;
                }
                depth = depth.saturating_sub(1);
            }
            b',' if list == Some(depth) => item_next = true,
            _ => {}
        }
    }
    lines
}

// Tables

/// Which columns of a ClaimReview table hold what.
struct TableColumns {
    names: Names,
    claim: usize,
    claimant: usize,
    claimant_same_as: Option<usize>,
    claim_date: Option<usize>,
    review_date: Option<usize>,
    rating: Option<usize>,
    value: Option<usize>,
    best: Option<usize>,
    worst: Option<usize>,
    reviewer: Option<usize>,
    url: Option<usize>,
    appearance: Option<usize>,
}

impl TableColumns {
    fn new(path: &Path, header: &[String]) -> Result<TableColumns> {
        let find = |names: &[&str]| column(header, names);
        let required = |names: &[&str], what: &str| {
            find(names).ok_or_else(|| Error::Syntax {
                path: path.to_path_buf(),
                position: Some(Position { line: 1, column: 1 }),
                message: format!(
                    "no column for {what} ({}); the columns are: {}",
                    names.join(" or "),
                    quoted(&header.join(", "))
                ),
            })
        };
        let claim = required(CLAIM, "the claim")?;
        let claimant = required(CLAIMANT, "the claimant")?;
        let (rating, value) = (find(RATING), find(RATING_VALUE));
        if rating.is_none() && value.is_none() {
            required(&[RATING, RATING_VALUE].concat(), "the rating")?;
        }
        let (claim_date, review_date) = (find(CLAIM_DATE), find(REVIEW_DATE));
        if claim_date.is_none() && review_date.is_none() {
            required(&[CLAIM_DATE, REVIEW_DATE].concat(), "a date")?;
        }
        let (best, worst) = (find(BEST_RATING), find(WORST_RATING));
        let name = |column: Option<usize>| match column {
            Some(c) => format!("column '{}'", header[c]),
            None => String::new(),
        };
        let names = Names {
            claim: name(Some(claim)),
            claimant: name(Some(claimant)),
            rating: name(rating.or(value)),
            claim_date: name(claim_date),
            review_date: name(review_date),
            value: name(value),
            best: name(best),
            worst: name(worst),
        };
        Ok(TableColumns {
            names,
            claim,
            claimant,
            claimant_same_as: find(CLAIMANT_SAME_AS),
            claim_date,
            review_date,
            rating,
            value,
            best,
            worst,
            reviewer: find(REVIEWER),
            url: find(URL),
            appearance: find(APPEARANCE),
        })
    }

    fn review(&self, line: u64, fields: &[&str]) -> std::result::Result<Review, BadReview> {
        let cell = |column: Option<usize>| {
            column
                .and_then(|c| fields.get(c))
                .map(|f| f.to_string())
                .filter(|f| !f.is_empty())
        };
        let claimant = cell(Some(self.claimant)).map(|name| Party {
            same_as: cell(self.claimant_same_as).into_iter().collect(),
            ..Party::named(&name)
        });
        Fields {
            claim: cell(Some(self.claim)),
            claimant,
            claim_date: cell(self.claim_date),
            review_date: cell(self.review_date),
            words: cell(self.rating),
            value: cell(self.value),
            best: cell(self.best),
            worst: cell(self.worst),
            reviewer: cell(self.reviewer).map(|name| Party {
                kind: Kind::Organization,
                ..Party::named(&name)
            }),
            url: cell(self.url),
            appearances: cell(self.appearance)
                .filter(|a| is_address(a))
                .into_iter()
                .collect(),
        }
        .review(
            At {
                line: Some(line),
                item: None,
            },
            &self.names,
        )
    }
}

fn read_table(path: &Path, input: impl Read, delimiter: Option<u8>) -> Result<Reading> {
    let mut reading = Reading::default();
    let unreadable = table::read_records(
        path,
        input,
        delimiter,
        |header| TableColumns::new(path, header),
        |record| match record.columns.review(record.line, record.fields) {
            Ok(review) => reading.reviews.push(review),
            Err(bad) => reading.bad.push(bad),
        },
    )?;
    reading
        .bad
        .extend(unreadable.into_iter().map(|row| BadReview {
            at: At {
                line: Some(row.line),
                item: None,
            },
            message: row.message,
        }));
    reading.bad.sort_by_key(|b| b.at);
    Ok(reading)
}

// The model

/// What the store knows of sources: names, and identities elsewhere (`owl:sameAs`).
pub struct Known<'a> {
    pub directory: &'a Directory,
    /// An IRI a source of the store is `owl:sameAs` to, and that source.
    pub same_as: FxHashMap<String, String>,
}

impl Known<'_> {
    fn by_same_as(&self, party: &Party) -> Option<NamedNode> {
        party
            .same_as
            .iter()
            .find_map(|iri| self.same_as.get(iri))
            .map(|iri| NamedNode::new_unchecked(iri.as_str()))
    }

    /// A claimant the store knows: person first, unless the input says organization.
    fn claimant(&self, party: &Party) -> Option<NamedNode> {
        let d = self.directory;
        let found = match party.kind {
            Kind::Organization => d
                .organization(&party.name)
                .or_else(|| d.person(&party.name)),
            _ => d
                .person(&party.name)
                .or_else(|| d.organization(&party.name)),
        };
        self.by_same_as(party)
            .or_else(|| found.map(|k| NamedNode::new_unchecked(k.iri.as_str())))
    }

    /// A fact-checker the store knows: an organization or outlet.
    fn reviewer(&self, party: &Party) -> Option<NamedNode> {
        self.by_same_as(party).or_else(|| {
            self.directory
                .organization(&party.name)
                .map(|k| NamedNode::new_unchecked(k.iri.as_str()))
        })
    }
}

/// Rating words no table knows, and how often.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownWords {
    /// As first seen.
    pub words: String,
    pub reviews: usize,
    /// Of those, the reviews rated by their numbers instead.
    pub by_numbers: usize,
}

/// What the reviews of one file gave.
#[derive(Debug, Default)]
pub struct Counts {
    pub reviews: usize,
    pub statements: usize,
    pub resolutions: BTreeMap<Status, usize>,
    /// Claimants linked to sources the store knows, and claimants new to it.
    pub claimants_known: usize,
    pub claimants_new: usize,
    /// Reviews given twice (the same reviewer, address, claim and verdict), left out.
    pub repeated: usize,
}

/// The reviews of one file in the model.
#[derive(Debug, Default)]
pub struct Mapped {
    pub quads: Vec<Quad>,
    pub counts: Counts,
    pub bad: Vec<BadReview>,
    /// By their normalized words.
    pub unknown: BTreeMap<String, UnknownWords>,
}

/// A resolution as written, to tell a repeated review from a contradicting one.
struct Written {
    status: Status,
    degree: Option<String>,
    text: String,
    date: String,
    at: At,
}

impl Written {
    /// The same status, degree, words and date, wherever it was read.
    fn same_verdict(&self, other: &Written) -> bool {
        (self.status, &self.degree, &self.text, &self.date)
            == (other.status, &other.degree, &other.text, &other.date)
    }
}

/// The MD5 of parts, each ended by a zero byte, in hex.
fn digest(parts: &[&str]) -> String {
    let mut hash = Md5::new();
    for part in parts {
        hash.update(part.as_bytes());
        hash.update([0]);
    }
    hex::encode(hash.finalize())
}

/// An IRI of a kind, from a digest: `KIND/claim-review-MD5`.
fn hashed(kind: &str, parts: &[&str]) -> NamedNode {
    minted(kind, &format!("claim review {}", digest(parts)))
}

struct Mapper<'a> {
    ratings: &'a Ratings,
    known: &'a Known<'a>,
    graph: GraphName,
    seen: FxHashSet<Quad>,
    mapped: Mapped,
    claimants: FxHashMap<(String, Kind), NamedNode>,
    /// Each fact-checker's node, and whether it is minted.
    reviewers: FxHashMap<String, (NamedNode, bool)>,
    statements: FxHashSet<NamedNode>,
    /// The first words of each claim, by its key: its label and text.
    claims: FxHashMap<String, String>,
    resolutions: FxHashMap<NamedNode, Written>,
}

impl Mapper<'_> {
    fn add(&mut self, s: &NamedNode, p: NamedNodeRef<'_>, o: impl Into<Term>) {
        let quad = Quad::new(s.clone(), p.into_owned(), o.into(), self.graph.clone());
        if self.seen.insert(quad.clone()) {
            self.mapped.quads.push(quad);
        }
    }

    fn text(&mut self, s: &NamedNode, p: NamedNodeRef<'_>, text: &str) {
        self.add(s, p, Literal::new_simple_literal(text));
    }

    fn claimant(&mut self, party: &Party) -> NamedNode {
        let key = (party.name.clone(), party.kind);
        if let Some(node) = self.claimants.get(&key) {
            return node.clone();
        }
        let node = match self.known.claimant(party) {
            Some(node) => {
                self.mapped.counts.claimants_known += 1;
                node
            }
            None => {
                self.mapped.counts.claimants_new += 1;
                let (kind, class) = match party.kind {
                    Kind::Person => ("person", cg::PERSON),
                    Kind::Organization => ("organization", cg::ORGANIZATION),
                    Kind::Unstated => ("source", cg::SOURCE),
                };
                let node = minted(kind, &party.name);
                self.add(&node, rdf::TYPE, class.into_owned());
                self.text(&node, rdfs::LABEL, &party.name);
                self.same_as(&node, party);
                node
            }
        };
        self.claimants.insert(key, node.clone());
        node
    }

    fn same_as(&mut self, node: &NamedNode, party: &Party) {
        for iri in &party.same_as {
            if is_address(iri) {
                if let Ok(other) = NamedNode::new(iri.trim()) {
                    self.add(node, owl::SAME_AS, other);
                }
            }
        }
    }

    /// The fact-checker's node: a known organization or outlet, else minted (and
    /// described once its review is in).
    fn reviewer(&mut self, party: &Party) -> (NamedNode, bool) {
        if let Some(found) = self.reviewers.get(&party.name) {
            return found.clone();
        }
        let found = match self.known.reviewer(party) {
            Some(node) => (node, false),
            None => (minted("organization", &party.name), true),
        };
        self.reviewers.insert(party.name.clone(), found.clone());
        found
    }

    fn unknown(&mut self, words: &str, by_numbers: bool) {
        let entry = self
            .mapped
            .unknown
            .entry(ratings::normalize(words))
            .or_insert_with(|| UnknownWords {
                words: words.to_string(),
                reviews: 0,
                by_numbers: 0,
            });
        entry.reviews += 1;
        entry.by_numbers += usize::from(by_numbers);
    }

    /// The rating's verdict, or (noting words no table knows) why there is none.
    fn rate(&mut self, rating: &Rating) -> std::result::Result<ratings::Rated, String> {
        let unrated = match self.ratings.rate(rating.words.as_deref(), rating.scale) {
            Ok(rated) => return Ok(rated),
            Err(unrated) => unrated,
        };
        Err(match unrated {
            Unrated::UnknownWords(words) => {
                self.unknown(&words, false);
                let numbers = match &rating.scale_problem {
                    Some(problem) => format!("its numbers cannot be used: {problem}"),
                    None => "there is no numeric rating".into(),
                };
                format!(
                    "the rating '{}' is not in the rating table, and {numbers}",
                    quoted(&words)
                )
            }
            Unrated::BadScale {
                unknown_words,
                message,
            } => {
                if let Some(words) = &unknown_words {
                    self.unknown(words, false);
                }
                message
            }
            Unrated::Missing => rating
                .scale_problem
                .clone()
                .unwrap_or_else(|| "no rating".into()),
        })
    }

    fn review(&mut self, review: &Review) {
        let rated = match self.rate(&review.rating) {
            Ok(rated) => rated,
            Err(message) => {
                self.mapped.bad.push(BadReview {
                    at: review.at,
                    message,
                });
                return;
            }
        };
        let claim_key = ratings::normalize(&review.claim);
        let proposition = hashed("proposition", &[&claim_key]);
        let reviewer = review.reviewer.as_ref().map(|r| self.reviewer(r));
        let resolution = hashed(
            "resolution",
            &[
                reviewer.as_ref().map_or("", |(node, _)| node.as_str()),
                review.url.as_deref().unwrap_or(""),
                proposition.as_str(),
            ],
        );
        // Checked when read: one of the two dates is there.
        let resolved_on = review
            .reviewed_on
            .clone()
            .or_else(|| review.claimed_on.clone())
            .unwrap_or_default();
        let written = Written {
            status: rated.verdict.status,
            degree: rated.verdict.degree.map(ratings::decimal),
            text: rated.text.clone(),
            date: resolved_on,
            at: review.at,
        };
        // The same review again (a feed that lists it twice, or one review of a
        // claim two claimants made) adds its statement only.
        let repeated = match self.resolutions.get(&resolution) {
            None => false,
            Some(earlier) if earlier.same_verdict(&written) => true,
            Some(earlier) => {
                let message = format!(
                    "the same reviewer rates the same claim at the same address at {}, but otherwise (another rating or date)",
                    earlier.at.describe()
                );
                self.mapped.bad.push(BadReview {
                    at: review.at,
                    message,
                });
                return;
            }
        };
        let proposition = self.statement(review, &claim_key, proposition);
        if repeated {
            self.mapped.counts.repeated += 1;
            return;
        }
        if let Some(words) = &rated.unknown_words {
            self.unknown(words, true);
        }
        self.mapped.counts.reviews += 1;
        *self
            .mapped
            .counts
            .resolutions
            .entry(rated.verdict.status)
            .or_default() += 1;
        if let (Some(party), Some((node, true))) = (&review.reviewer, &reviewer) {
            self.add(node, rdf::TYPE, cg::ORGANIZATION.into_owned());
            self.text(node, rdfs::LABEL, &party.name);
            self.same_as(node, party);
        }
        self.resolution(
            review,
            &resolution,
            &written,
            proposition,
            reviewer.map(|(node, _)| node),
        );
        self.resolutions.insert(resolution, written);
    }

    /// The claimant, their statement, its proposition and question, and where it
    /// appeared; gives the proposition.
    fn statement(&mut self, review: &Review, claim_key: &str, proposition: NamedNode) -> NamedNode {
        let claimant = self.claimant(&review.claimant);
        let claim = self
            .claims
            .entry(claim_key.to_string())
            .or_insert_with(|| review.claim.clone())
            .clone();
        let question = hashed("question", &[claim_key]);
        self.add(&question, rdf::TYPE, cg::QUESTION.into_owned());
        self.text(
            &question,
            rdfs::LABEL,
            &format!("Is it so that \"{claim}\"?"),
        );
        self.add(&proposition, rdf::TYPE, cg::PROPOSITION.into_owned());
        self.text(&proposition, rdfs::LABEL, &claim);
        self.add(&proposition, cg::ANSWERS, question);

        // Checked when read: one of the two dates is there.
        let stated_on = review
            .claimed_on
            .clone()
            .or_else(|| review.reviewed_on.clone())
            .unwrap_or_default();
        let statement = hashed("statement", &[claimant.as_str(), claim_key, &stated_on]);
        if self.statements.insert(statement.clone()) {
            self.mapped.counts.statements += 1;
        }
        self.add(&statement, rdf::TYPE, cg::STATEMENT.into_owned());
        self.text(
            &statement,
            rdfs::LABEL,
            &format!("{}: {claim}", review.claimant.name),
        );
        self.add(&statement, cg::STATED_BY, claimant);
        self.add(&statement, cg::PROPOSITION_PROP, proposition.clone());
        self.add(&statement, cg::POLARITY, cg::ASSERTION.into_owned());
        self.add(
            &statement,
            cg::STATED_ON,
            Literal::new_typed_literal(&stated_on, xsd::DATE),
        );
        self.text(&statement, cg::TEXT, &claim);
        self.add(&statement, cg::IS_DIRECT_QUOTE, Literal::from(false));
        for url in &review.appearances {
            let document = minted(
                "document",
                &format!(
                    "{} {}",
                    host(url).unwrap_or_default(),
                    &digest(&[url])[..16]
                ),
            );
            self.add(&document, rdf::TYPE, cg::DOCUMENT.into_owned());
            self.text(&document, rdfs::LABEL, url);
            self.text(&document, cg::URL, url);
            self.add(&statement, cg::REPORTED_IN, document);
        }
        proposition
    }

    /// The checker's resolution of the proposition.
    fn resolution(
        &mut self,
        review: &Review,
        resolution: &NamedNode,
        written: &Written,
        proposition: NamedNode,
        reviewer: Option<NamedNode>,
    ) {
        self.add(resolution, rdf::TYPE, cg::RESOLUTION.into_owned());
        let by = review
            .reviewer
            .as_ref()
            .map_or("A fact-checker", |r| r.name.as_str());
        self.text(resolution, rdfs::LABEL, &format!("{by}: {}", written.text));
        self.add(resolution, cg::RESOLVES, proposition);
        self.add(resolution, cg::STATUS, written.status.term().into_owned());
        if let Some(degree) = &written.degree {
            self.add(
                resolution,
                cg::TRUTH_DEGREE,
                Literal::new_typed_literal(degree, xsd::DECIMAL),
            );
        }
        self.text(resolution, cg::RATING_TEXT, &written.text);
        if let Some(reviewer) = reviewer {
            self.add(resolution, cg::RESOLVED_BY, reviewer);
        }
        self.add(
            resolution,
            cg::RESOLVED_ON,
            Literal::new_typed_literal(&written.date, xsd::DATE),
        );
        if let Some(url) = &review.url {
            self.text(resolution, cg::EVIDENCE_SOURCE, url);
        }
    }
}

/// The reviews of one file as quads in `graph`, with what could not be mapped.
pub fn map(reviews: &[Review], ratings: &Ratings, known: &Known<'_>, graph: GraphName) -> Mapped {
    let mut mapper = Mapper {
        ratings,
        known,
        graph,
        seen: FxHashSet::default(),
        mapped: Mapped::default(),
        claimants: FxHashMap::default(),
        reviewers: FxHashMap::default(),
        statements: FxHashSet::default(),
        claims: FxHashMap::default(),
        resolutions: FxHashMap::default(),
    };
    for review in reviews {
        mapper.review(review);
    }
    mapper.mapped
}

// Import

/// How to import.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// A table of rating words that adds to the built-in one and overrides it.
    pub ratings: Option<PathBuf>,
    /// Import the good reviews when some are bad.
    pub skip_bad: bool,
    /// The field separator of tables, when not by the file's name.
    pub delimiter: Option<u8>,
    /// One graph for every file, instead of each file's own.
    pub graph: Option<TargetGraph>,
}

/// What one file gave.
#[derive(Debug)]
pub struct ImportedFile {
    pub path: PathBuf,
    pub graph: GraphName,
    pub counts: Counts,
    pub ignored: usize,
    pub quads: usize,
    pub replaced: bool,
    /// Left out (with --skip-bad).
    pub bad: Vec<BadReview>,
}

/// What an import gave.
#[derive(Debug)]
pub struct Imported {
    pub files: Vec<ImportedFile>,
    /// Rating words no table knows, most frequent first.
    pub unknown_words: Vec<UnknownWords>,
}

/// The sentence that lists rating words no table knows, if there are any.
pub fn unknown_words_note(words: &[UnknownWords]) -> Option<String> {
    if words.is_empty() {
        return None;
    }
    let listed: Vec<String> = words
        .iter()
        .map(|w| {
            let numbers = match w.by_numbers {
                0 => String::new(),
                n if n == w.reviews => ", rated by the numbers".into(),
                n => format!(", {n} rated by the numbers"),
            };
            format!(
                "'{}' ({} review{}{numbers})",
                quoted(&w.words),
                w.reviews,
                if w.reviews == 1 { "" } else { "s" }
            )
        })
        .collect();
    Some(format!(
        "unknown rating words: {}; add them to a --ratings file (tab-separated columns rating, status, degree) to map them",
        listed.join(", ")
    ))
}

/// The sources of the store that are `owl:sameAs` the IRIs `parties` give.
fn same_as_in_store<'p>(
    store: &CaseStore,
    directory: &Directory,
    parties: impl Iterator<Item = &'p Party>,
) -> Result<FxHashMap<String, String>> {
    let sources: FxHashSet<&str> = directory
        .people
        .iter()
        .chain(&directory.organizations)
        .chain(&directory.outlets)
        .map(|k| k.iri.as_str())
        .collect();
    let mut found = FxHashMap::default();
    for iri in parties.flat_map(|p| &p.same_as) {
        if found.contains_key(iri) {
            continue;
        }
        let Ok(node) = NamedNode::new(iri.trim()) else {
            continue;
        };
        for quad in store.quads(None, Some(owl::SAME_AS), Some(node.as_ref().into()), None)? {
            if let oxigraph::model::NamedOrBlankNode::NamedNode(subject) = quad?.subject {
                if sources.contains(subject.as_str()) {
                    found.insert(iri.clone(), subject.into_string());
                    break;
                }
            }
        }
    }
    Ok(found)
}

/// The subjects typed in `graphs` and in no other graph.
fn described_only_in(store: &CaseStore, graphs: &[NamedNode]) -> Result<FxHashSet<String>> {
    let mut found = FxHashSet::default();
    for graph in graphs {
        for quad in store.quads(None, Some(rdf::TYPE), None, Some(graph.as_ref().into()))? {
            let oxigraph::model::NamedOrBlankNode::NamedNode(subject) = quad?.subject else {
                continue;
            };
            if found.contains(subject.as_str()) {
                continue;
            }
            let mut elsewhere = false;
            for other in store.quads(Some(subject.as_ref().into()), Some(rdf::TYPE), None, None)? {
                if !matches!(&other?.graph_name, GraphName::NamedNode(g) if graphs.contains(g)) {
                    elsewhere = true;
                    break;
                }
            }
            if !elsewhere {
                found.insert(subject.into_string());
            }
        }
    }
    Ok(found)
}

/// Imports ClaimReview files, all or nothing: each into the graph named by its file
/// (importing it again replaces it) unless `options.graph` names one. Bad reviews
/// fail the import, listed, unless `skip_bad`.
pub fn import(
    store: &CaseStore,
    files: &[(PathBuf, Option<Format>)],
    options: &ImportOptions,
) -> Result<Imported> {
    let mut ratings = Ratings::built_in()?;
    if let Some(path) = &options.ratings {
        ratings.add_file(path)?;
    }
    let mut readings = Vec::new();
    for (path, format) in files {
        let reading = read(path, *format, options.delimiter)?;
        if reading.reviews.is_empty() && reading.bad.is_empty() {
            return Err(Error::invalid(format!(
                "{}: no ClaimReview found{}",
                path.display(),
                match reading.ignored {
                    0 => String::new(),
                    n => format!(
                        " (only {n} item{} of other types)",
                        if n == 1 { "" } else { "s" }
                    ),
                }
            )));
        }
        readings.push((path.clone(), reading));
    }
    let graphs = readings
        .iter()
        .map(|(path, _)| match &options.graph {
            Some(target) => Ok(target.graph_name()),
            None if path == Path::new("-") => Ok(GraphName::DefaultGraph),
            None => Ok(GraphName::NamedNode(file_graph(path)?)),
        })
        .collect::<Result<Vec<_>>>()?;
    let replace: Vec<NamedNode> = match options.graph {
        Some(_) => Vec::new(),
        None => graphs
            .iter()
            .filter_map(|g| match g {
                GraphName::NamedNode(g) => Some(g.clone()),
                _ => None,
            })
            .collect(),
    };
    let mut directory = Directory::read(store)?;
    // A source that only the graphs about to be replaced describe (minted by an
    // earlier import of these files) is not known: it is minted again, described.
    let going = described_only_in(store, &replace)?;
    for known in [
        &mut directory.people,
        &mut directory.organizations,
        &mut directory.outlets,
    ] {
        known.retain(|k| !going.contains(&k.iri));
    }
    let parties = readings.iter().flat_map(|(_, r)| {
        r.reviews
            .iter()
            .flat_map(|review| std::iter::once(&review.claimant).chain(&review.reviewer))
    });
    let known = Known {
        directory: &directory,
        same_as: same_as_in_store(store, &directory, parties)?,
    };

    let mut files_out = Vec::new();
    let mut quads = Vec::new();
    let mut unknown: BTreeMap<String, UnknownWords> = BTreeMap::new();
    let mut bad: Vec<(PathBuf, BadReview)> = Vec::new();
    for ((path, reading), graph) in readings.into_iter().zip(graphs) {
        let mapped = map(&reading.reviews, &ratings, &known, graph.clone());
        let replaced = match (&graph, &options.graph) {
            (GraphName::NamedNode(g), None) => store.graph_exists(g.as_ref())?,
            _ => false,
        };
        for (key, words) in mapped.unknown {
            let entry = unknown.entry(key).or_insert_with(|| UnknownWords {
                reviews: 0,
                by_numbers: 0,
                ..words.clone()
            });
            entry.reviews += words.reviews;
            entry.by_numbers += words.by_numbers;
        }
        let mut file_bad = reading.bad;
        file_bad.extend(mapped.bad);
        file_bad.sort_by_key(|b| b.at);
        bad.extend(file_bad.iter().map(|b| (path.clone(), b.clone())));
        files_out.push(ImportedFile {
            path,
            graph,
            counts: mapped.counts,
            ignored: reading.ignored,
            quads: mapped.quads.len(),
            replaced,
            bad: file_bad,
        });
        quads.extend(mapped.quads);
    }
    let mut unknown_words: Vec<UnknownWords> = unknown.into_values().collect();
    unknown_words.sort_by(|a, b| b.reviews.cmp(&a.reviews).then(a.words.cmp(&b.words)));
    if !bad.is_empty() && !options.skip_bad {
        let mut message = format!(
            "{} bad review{}, so nothing was imported (--skip-bad imports the others):",
            bad.len(),
            if bad.len() == 1 { "" } else { "s" }
        );
        for (path, review) in bad.iter().take(LISTED_BAD_REVIEWS) {
            message.push_str(&format!("\n  {}: {}", review.at.show(path), review.message));
        }
        if bad.len() > LISTED_BAD_REVIEWS {
            message.push_str(&format!("\n  and {} more", bad.len() - LISTED_BAD_REVIEWS));
        }
        if let Some(note) = unknown_words_note(&unknown_words) {
            message.push('\n');
            message.push_str(&note);
        }
        return Err(Error::invalid(message));
    }
    store.write_graphs(&replace, quads)?;
    Ok(Imported {
        files: files_out,
        unknown_words,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::linking::Known as KnownSource;

    fn reading(text: &str) -> Reading {
        read_json(Path::new("r.json"), text, false).unwrap()
    }

    fn directory() -> Directory {
        Directory {
            people: vec![KnownSource {
                iri: "https://w3id.org/credgraph/id/person/marta-kovacs".into(),
                names: vec!["Marta Kovacs".into()],
            }],
            organizations: vec![KnownSource {
                iri: "https://w3id.org/credgraph/id/organization/northfield-verify".into(),
                names: vec!["Northfield Verify".into()],
            }],
            ..Directory::default()
        }
    }

    fn mapped(reviews: &[Review]) -> Mapped {
        let d = directory();
        let known = Known {
            directory: &d,
            same_as: FxHashMap::default(),
        };
        map(
            reviews,
            &Ratings::built_in().unwrap(),
            &known,
            GraphName::DefaultGraph,
        )
    }

    const ONE: &str = r#"{
  "@context": "https://schema.org",
  "@type": "ClaimReview",
  "url": "https://check.example/a",
  "claimReviewed": "The river bridge cost 40 million.",
  "datePublished": "2023-03-02T10:00:00Z",
  "author": {"@type": "Organization", "name": "Northfield Verify", "url": "https://check.example"},
  "itemReviewed": {
    "@type": "Claim",
    "author": {"@type": "Person", "name": "Marta Kovacs"},
    "datePublished": "2023-02-27",
    "appearance": [{"@type": "CreativeWork", "url": "https://news.example/bridge"}, "not an address"]
  },
  "reviewRating": {"@type": "Rating", "ratingValue": 5, "bestRating": 5, "worstRating": 1, "alternateName": "False"}
}"#;

    #[test]
    fn one_json_ld_review_and_its_fields() {
        let r = reading(ONE);
        assert!(r.bad.is_empty(), "{:?}", r.bad);
        let review = &r.reviews[0];
        assert_eq!(
            review.at,
            At {
                line: Some(1),
                item: None
            }
        );
        assert_eq!(review.claim, "The river bridge cost 40 million.");
        assert_eq!(review.claimant.name, "Marta Kovacs");
        assert_eq!(review.claimant.kind, Kind::Person);
        assert_eq!(review.claimed_on.as_deref(), Some("2023-02-27"));
        assert_eq!(review.reviewed_on.as_deref(), Some("2023-03-02"));
        assert_eq!(review.rating.words.as_deref(), Some("False"));
        assert_eq!(
            review.rating.scale,
            Some(Scale {
                value: 5.0,
                best: 5.0,
                worst: 1.0
            })
        );
        assert_eq!(review.reviewer.as_ref().unwrap().name, "Northfield Verify");
        assert_eq!(review.appearances, ["https://news.example/bridge"]);
    }

    #[test]
    fn items_of_a_list_and_of_a_graph_are_numbered_with_their_lines() {
        let list = format!(
            "[\n{ONE},\n  {{\"@type\": \"WebPage\"}},\n{}\n]",
            ONE.replace("Marta Kovacs", "")
        );
        let r = reading(&list);
        assert_eq!(r.reviews.len(), 1);
        assert_eq!(r.ignored, 1);
        assert_eq!(
            r.reviews[0].at,
            At {
                line: Some(2),
                item: Some(1)
            }
        );
        // The third item opens on the second line that is "{" alone.
        let third = list
            .lines()
            .enumerate()
            .filter(|(_, l)| *l == "{")
            .nth(1)
            .unwrap()
            .0;
        assert_eq!(r.bad.len(), 1);
        assert_eq!(
            r.bad[0].at,
            At {
                line: Some(third as u64 + 1),
                item: Some(3)
            }
        );
        assert!(
            r.bad[0].message.contains("no claimant"),
            "{}",
            r.bad[0].message
        );
        let graph = format!(
            "{{\"@context\": [\"x\"], \"@graph\": [\n{{\"@type\": \"Organization\"}},\n{ONE}]}}"
        );
        let r = reading(&graph);
        assert_eq!(
            r.reviews[0].at,
            At {
                line: Some(3),
                item: Some(2)
            }
        );
    }

    #[test]
    fn json_lines_are_numbered_by_line_and_a_broken_one_is_bad() {
        let one_line: String = ONE.lines().map(str::trim).collect();
        let text = format!("{one_line}\n\n{{\"@type\": \"ClaimReview\", \n{one_line}\n");
        let r = reading(&text);
        assert_eq!(r.reviews.len(), 2);
        assert_eq!(r.reviews[1].at.line, Some(4));
        assert_eq!(r.bad.len(), 1);
        assert_eq!(r.bad[0].at.line, Some(3));
        assert!(
            r.bad[0].message.contains("not JSON"),
            "{}",
            r.bad[0].message
        );
    }

    #[test]
    fn broken_json_is_a_syntax_error_with_line_and_column() {
        let err = read_json(Path::new("r.json"), "{\n  \"a\": [1,\n  }\n", false)
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("r.json:3:3: "), "{err}");
    }

    #[test]
    fn what_is_missing_is_said() {
        let r = reading(
            r#"{"@type": "ClaimReview", "reviewRating": {"ratingValue": ""}, "itemReviewed": {"author": "X", "datePublished": "someday"}}"#,
        );
        let message = &r.bad[0].message;
        assert!(
            message.contains("no claim text (claimReviewed)"),
            "{message}"
        );
        assert!(message.contains("'someday' is not a date"), "{message}");
        assert!(message.contains("no rating"), "{message}");
        assert!(!message.contains("no claimant"), "{message}");
    }

    fn review(
        claim: &str,
        claimant: &str,
        words: Option<&str>,
        reviewer: &str,
        url: &str,
    ) -> Review {
        Review {
            at: At {
                line: Some(2),
                item: None,
            },
            claim: claim.into(),
            claimant: Party::named(claimant),
            claimed_on: Some("2023-02-27".into()),
            reviewed_on: Some("2023-03-02".into()),
            rating: Rating {
                words: words.map(str::to_string),
                ..Rating::default()
            },
            reviewer: Some(Party {
                kind: Kind::Organization,
                ..Party::named(reviewer)
            }),
            url: Some(url.into()),
            appearances: Vec::new(),
        }
    }

    fn objects(m: &Mapped, predicate: NamedNodeRef<'_>) -> Vec<String> {
        let mut found: Vec<String> = m
            .quads
            .iter()
            .filter(|q| q.predicate == predicate)
            .map(|q| q.object.to_string())
            .collect();
        found.sort();
        found
    }

    #[test]
    fn two_checkers_on_one_claim_give_one_statement_and_two_resolutions() {
        let m = mapped(&[
            review(
                "The bridge cost 40 million.",
                "Marta Kovacs",
                Some("False"),
                "Northfield Verify",
                "https://a.example/1",
            ),
            review(
                "the bridge cost 40 million",
                "Marta Kovacs",
                Some("Half true"),
                "Lakeside Facts",
                "https://b.example/2",
            ),
        ]);
        assert!(m.bad.is_empty(), "{:?}", m.bad);
        assert_eq!(m.counts.reviews, 2);
        assert_eq!(m.counts.statements, 1);
        assert_eq!(m.counts.resolutions.get(&Status::Refuted), Some(&1));
        assert_eq!(m.counts.resolutions.get(&Status::PartlyConfirmed), Some(&1));
        assert_eq!(objects(&m, cg::RESOLVES).len(), 2);
        let propositions: FxHashSet<String> = objects(&m, cg::RESOLVES).into_iter().collect();
        assert_eq!(propositions.len(), 1);
        // The claimant and the first checker are known; the second is minted.
        assert_eq!(
            objects(&m, cg::STATED_BY),
            ["<https://w3id.org/credgraph/id/person/marta-kovacs>"]
        );
        assert_eq!(
            objects(&m, cg::RESOLVED_BY),
            [
                "<https://w3id.org/credgraph/id/organization/lakeside-facts>",
                "<https://w3id.org/credgraph/id/organization/northfield-verify>"
            ]
        );
        assert_eq!(m.counts.claimants_known, 1);
        assert_eq!(
            objects(&m, cg::TRUTH_DEGREE),
            [
                "\"0\"^^<http://www.w3.org/2001/XMLSchema#decimal>",
                "\"0.5\"^^<http://www.w3.org/2001/XMLSchema#decimal>"
            ]
        );
        assert_eq!(objects(&m, cg::RATING_TEXT), ["\"False\"", "\"Half true\""]);
    }

    #[test]
    fn an_unknown_claimant_is_a_source_and_open_verdicts_have_no_degree() {
        let m = mapped(&[review(
            "Rain is dry.",
            "A viral post",
            Some("Satire"),
            "Lakeside Facts",
            "https://b.example/3",
        )]);
        assert_eq!(
            objects(&m, cg::STATED_BY),
            ["<https://w3id.org/credgraph/id/source/a-viral-post>"]
        );
        assert_eq!(m.counts.claimants_new, 1);
        assert!(objects(&m, cg::TRUTH_DEGREE).is_empty());
        assert_eq!(
            objects(&m, cg::STATUS),
            [format!("<{}>", cg::OPEN.as_str())]
        );
    }

    #[test]
    fn unknown_words_are_listed_and_the_review_is_bad_unless_numbers_rate_it() {
        let mut numbered = review("B.", "X", Some("Sort of"), "C", "https://c.example/2");
        numbered.rating.scale = Some(Scale {
            value: 2.0,
            best: 5.0,
            worst: 1.0,
        });
        let m = mapped(&[
            review("A.", "X", Some("Sort of"), "C", "https://c.example/1"),
            numbered,
            review("C.", "X", Some("sort of!"), "C", "https://c.example/3"),
        ]);
        assert_eq!(m.counts.reviews, 1);
        assert_eq!(m.bad.len(), 2);
        assert!(
            m.bad[0]
                .message
                .contains("'Sort of' is not in the rating table, and there is no numeric rating"),
            "{}",
            m.bad[0].message
        );
        let words: Vec<&UnknownWords> = m.unknown.values().collect();
        assert_eq!(
            words,
            [&UnknownWords {
                words: "Sort of".into(),
                reviews: 3,
                by_numbers: 1
            }]
        );
        assert_eq!(
            unknown_words_note(&[words[0].clone()]).unwrap(),
            "unknown rating words: 'Sort of' (3 reviews, 1 rated by the numbers); add them to a --ratings file (tab-separated columns rating, status, degree) to map them"
        );
        assert_eq!(objects(&m, cg::RATING_TEXT), ["\"Sort of\""]);
    }

    #[test]
    fn a_review_given_twice_is_one_and_given_twice_otherwise_is_bad() {
        let first = review("A.", "X", Some("False"), "C", "https://c.example/1");
        let mut again = first.clone();
        again.at.line = Some(3);
        let mut otherwise = first.clone();
        otherwise.at.line = Some(4);
        otherwise.rating.words = Some("True".into());
        let mut by_another = first.clone();
        by_another.claimant = Party::named("Y");
        let m = mapped(&[first, again, otherwise, by_another]);
        assert_eq!(m.counts.reviews, 1);
        assert_eq!(m.counts.repeated, 2);
        assert_eq!(m.bad.len(), 1);
        assert_eq!(m.bad[0].at.line, Some(4));
        // One review of a claim two claimants made: one resolution, two statements.
        assert_eq!(m.counts.statements, 2);
        assert_eq!(objects(&m, cg::RESOLVES).len(), 1);
    }

    #[test]
    fn tables_under_either_naming() {
        let ours = "claim,claimant,date,rating,reviewer,url\n\"Taxes rose, twice.\",Marta Kovacs,2023-01-05,Mostly False,Northfield Verify,https://a.example/t\n,Nobody,2023-01-05,False,C,https://a.example/u\n";
        let r = read_table(Path::new("t.csv"), ours.as_bytes(), None).unwrap();
        assert_eq!(r.reviews.len(), 1);
        assert_eq!(r.reviews[0].claim, "Taxes rose, twice.");
        assert_eq!(r.reviews[0].claimed_on.as_deref(), Some("2023-01-05"));
        assert_eq!(r.bad[0].at.line, Some(3));
        assert!(
            r.bad[0].message.contains("no claim text (column 'claim')"),
            "{}",
            r.bad[0].message
        );
        let claimskg = "\tclaimReview_claimReviewed\tcreativeWork_author_name\trating_ratingValue\trating_bestRating\trating_worstRating\trating_alternateName\tclaimReview_author_name\tclaimReview_datePublished\n0\tA claim\tSomeone\t2\t5\t1\t\tchecker\t2021-07-21\n";
        let r = read_table(Path::new("k.tsv"), claimskg.as_bytes(), None).unwrap();
        assert!(r.bad.is_empty(), "{:?}", r.bad);
        assert_eq!(
            r.reviews[0].rating.scale,
            Some(Scale {
                value: 2.0,
                best: 5.0,
                worst: 1.0
            })
        );
        assert_eq!(r.reviews[0].reviewed_on.as_deref(), Some("2021-07-21"));
        let err = read_table(Path::new("n.tsv"), "claim\trating\n".as_bytes(), None)
            .err()
            .unwrap()
            .to_string();
        assert!(
            err.contains("n.tsv:1:1: no column for the claimant"),
            "{err}"
        );
    }

    #[test]
    fn detection_by_header_and_by_content() {
        let header = |line: &str| is_review_header(&split_header(line.as_bytes(), b','));
        assert!(header("Claim,Claimant,Rating"));
        assert!(header("\"\",claimReview_claimReviewed,rating_ratingValue"));
        assert!(!header("item,source,value"));
        assert_eq!(format_of(Path::new("-"), b"  [{}]"), Format::Json);
        assert_eq!(
            format_of(Path::new("x.gz"), b"claim\trating"),
            Format::Table
        );
        assert_eq!(format_of(Path::new("x.ndjson.gz"), b""), Format::JsonLines);
    }

    #[test]
    fn dates_of_either_form() {
        assert_eq!(
            date_of("2023-03-02T10:00:00Z").as_deref(),
            Some("2023-03-02")
        );
        assert_eq!(date_of("2023-03-02").as_deref(), Some("2023-03-02"));
        assert_eq!(date_of("March 2, 2023").as_deref(), Some("2023-03-02"));
        assert_eq!(date_of("2023-03-02x"), None);
        assert_eq!(date_of("é"), None);
    }
}
