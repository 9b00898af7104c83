//! Claim tables: TSV or CSV (optionally gzipped) with one claim per row, "SOURCE
//! says ITEM has VALUE", and optional date and certainty columns.
//!
//! TSV is read as IANA text/tab-separated-values (no quoting: a tab or newline
//! cannot occur in a field); CSV as RFC 4180 (double quotes around fields that hold
//! commas, quotes or newlines). The first line names the columns.

use crate::error::{quoted, Error, Position, Result};
use std::io::Read;
use std::path::Path;

/// Which columns hold what, and how strict to be.
#[derive(Debug, Clone)]
pub struct TableOptions {
    pub item: String,
    /// Empty for a table without sources (a gold table).
    pub source: String,
    pub value: String,
    pub date: Option<String>,
    pub certainty: Option<String>,
    /// `None`: comma for .csv files, tab otherwise.
    pub delimiter: Option<u8>,
    /// Keep the good rows when some are bad (the bad ones are reported).
    pub skip_bad: bool,
}

impl Default for TableOptions {
    fn default() -> Self {
        TableOptions {
            item: "item".into(),
            source: "source".into(),
            value: "value".into(),
            date: None,
            certainty: None,
            delimiter: None,
            skip_bad: false,
        }
    }
}

/// One good row.
#[derive(Debug, Clone, PartialEq)]
pub struct TableRow {
    pub line: u64,
    pub item: String,
    pub source: String,
    pub value: String,
    /// An xsd:date lexical form, checked.
    pub date: Option<String>,
    /// A probability that the claim is true as the source puts it.
    pub certainty: Option<f64>,
}

/// One good row as read, borrowing the reader's buffer: what [`read_each`] hands
/// on, so that a caller interning names does not allocate for every field.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RowRef<'a> {
    pub line: u64,
    pub item: &'a str,
    pub source: &'a str,
    pub value: &'a str,
    pub date: Option<&'a str>,
    pub certainty: Option<f64>,
}

impl RowRef<'_> {
    pub fn to_row(self) -> TableRow {
        TableRow {
            line: self.line,
            item: self.item.to_string(),
            source: self.source.to_string(),
            value: self.value.to_string(),
            date: self.date.map(str::to_string),
            certainty: self.certainty,
        }
    }
}

/// A row that could not be read, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct BadRow {
    pub line: u64,
    pub message: String,
}

/// What reading a table gave.
#[derive(Debug, Default)]
pub struct Table {
    pub rows: Vec<TableRow>,
    pub bad: Vec<BadRow>,
}

/// How many bad rows an error message lists before saying "and N more".
const LISTED_BAD_ROWS: usize = 10;

/// Reads a whole table. With bad rows and without `skip_bad`, fails listing them
/// (nothing is returned, so nothing gets stored).
pub fn read(path: &Path, options: &TableOptions) -> Result<Table> {
    let mut rows = Vec::new();
    let bad = read_each(path, options, |row| rows.push(row.to_row()))?;
    Ok(Table { rows, bad })
}

/// Reads a table row by row, handing each good row to `each`; returns the bad rows
/// when `skip_bad` is set, and fails listing them otherwise.
pub fn read_each(
    path: &Path,
    options: &TableOptions,
    mut each: impl FnMut(RowRef<'_>),
) -> Result<Vec<BadRow>> {
    let input = crate::files::open_input(path)?;
    let delimiter = options.delimiter.unwrap_or_else(|| delimiter_for(path));
    let bad = read_rows(path, input, delimiter, |header| {
        Ok(Claims {
            columns: Columns::new(path, header, options)?,
            each: &mut each,
        })
    })?;
    if !bad.is_empty() && !options.skip_bad {
        return Err(bad_rows_error(path, &bad));
    }
    Ok(bad)
}

fn bad_rows_error(path: &Path, bad: &[BadRow]) -> Error {
    let mut message = format!(
        "{} bad row{} in {}, so nothing was imported (--skip-bad imports the good rows):",
        bad.len(),
        if bad.len() == 1 { "" } else { "s" },
        path.display()
    );
    for row in bad.iter().take(LISTED_BAD_ROWS) {
        message.push_str(&format!(
            "\n  {}:{}: {}",
            path.display(),
            row.line,
            row.message
        ));
    }
    if bad.len() > LISTED_BAD_ROWS {
        message.push_str(&format!("\n  and {} more", bad.len() - LISTED_BAD_ROWS));
    }
    Error::invalid(message)
}

fn delimiter_for(path: &Path) -> u8 {
    let name = path.to_string_lossy().to_ascii_lowercase();
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    if name.ends_with(".csv") {
        b','
    } else {
        b'\t'
    }
}

/// Reads rows from any reader into a table; `path` names the input in messages.
#[cfg(test)]
pub fn read_from(path: &Path, input: impl Read, options: &TableOptions) -> Result<Table> {
    let mut rows = Vec::new();
    let delimiter = options.delimiter.unwrap_or_else(|| delimiter_for(path));
    let mut each = |row: RowRef<'_>| rows.push(row.to_row());
    let bad = read_rows(path, input, delimiter, |header| {
        Ok(Claims {
            columns: Columns::new(path, header, options)?,
            each: &mut each,
        })
    })?;
    Ok(Table { rows, bad })
}

/// One good record of a table of any columns: its line and its fields, trimmed.
#[derive(Debug, Clone, Copy)]
pub struct Record<'a, C> {
    /// What the header said of the columns.
    pub columns: &'a C,
    pub line: u64,
    pub fields: &'a [&'a str],
}

/// Reads a table of any columns record by record, as claim tables are read (the
/// same quoting, line numbers and bad records): `columns` gets the header's names
/// (trimmed, without a byte order mark) and says what it makes of them or refuses
/// them; `each` gets every good record. Returns the records that could not be read
/// (a field too many or too few, a quote left open, not UTF-8), `skip_bad` or not.
pub fn read_records<C>(
    path: &Path,
    input: impl Read,
    delimiter: Option<u8>,
    columns: impl FnOnce(&[String]) -> Result<C>,
    each: impl FnMut(Record<'_, C>),
) -> Result<Vec<BadRow>> {
    let delimiter = delimiter.unwrap_or_else(|| delimiter_for(path));
    read_rows(path, input, delimiter, |header| {
        Ok(Cells {
            columns: columns(&header)?,
            header,
            each,
        })
    })
}

/// What a header makes of each record after it.
trait Layout {
    /// Reads the record on line `line`: says what is wrong with it, or, when it is
    /// good, hands it on if `hand_on` (else only checks it).
    fn take<'r>(
        &mut self,
        record: impl Fields<'r>,
        line: u64,
        hand_on: bool,
    ) -> std::result::Result<(), String>;
}

/// Claim tables: the columns the options name, and where their rows go.
struct Claims<'f> {
    columns: Columns,
    each: &'f mut dyn FnMut(RowRef<'_>),
}

impl Layout for Claims<'_> {
    fn take<'r>(
        &mut self,
        record: impl Fields<'r>,
        line: u64,
        hand_on: bool,
    ) -> std::result::Result<(), String> {
        let row = self.columns.row(record, line)?;
        if hand_on {
            (self.each)(row);
        }
        Ok(())
    }
}

/// Any table: the header's names, what a caller of [`read_records`] made of them,
/// and where its records go.
struct Cells<C, F> {
    header: Vec<String>,
    columns: C,
    each: F,
}

impl<C, F: FnMut(Record<'_, C>)> Layout for Cells<C, F> {
    fn take<'r>(
        &mut self,
        record: impl Fields<'r>,
        line: u64,
        hand_on: bool,
    ) -> std::result::Result<(), String> {
        same_count(&self.header, record)?;
        let fields = (0..record.count())
            .map(|i| field_text(&self.header, record, i))
            .collect::<std::result::Result<Vec<&str>, _>>()?;
        if hand_on {
            (self.each)(Record {
                columns: &self.columns,
                line,
                fields: &fields,
            });
        }
        Ok(())
    }
}

/// A record has a field for every column of the header, and no more.
fn same_count<'r>(header: &[String], record: impl Fields<'r>) -> std::result::Result<(), String> {
    if record.count() < header.len() {
        return Err(format!(
            "{} field{}, the header has {}: a column is missing",
            record.count(),
            if record.count() == 1 { "" } else { "s" },
            header.len()
        ));
    }
    if record.count() > header.len() {
        return Err(format!(
            "{} fields, the header has {}",
            record.count(),
            header.len()
        ));
    }
    Ok(())
}

/// Field `column` of a record as text, trimmed.
fn field_text<'r>(
    header: &[String],
    record: impl Fields<'r>,
    column: usize,
) -> std::result::Result<&'r str, String> {
    let text = record.text(column).map_err(|e| {
        format!(
            "column '{}' is not UTF-8 (byte {} of the field)",
            quoted(&header[column]),
            e.valid_up_to() + 1
        )
    })?;
    Ok(text.trim())
}

/// Reads a table's records through the layout its header gives; returns the bad ones.
fn read_rows<L: Layout>(
    path: &Path,
    input: impl Read,
    delimiter: u8,
    layout: impl FnOnce(Vec<String>) -> Result<L>,
) -> Result<Vec<BadRow>> {
    if delimiter == b'\t' {
        return read_tsv_rows(path, input, layout);
    }
    // The bytes are followed as the csv reader reads its quotes: a field left open at
    // the end has taken the rest of the file into the last record.
    let tally = std::rc::Rc::new(std::cell::RefCell::new(Tally::new(delimiter)));
    let input = TallyReader {
        inner: input,
        tally: tally.clone(),
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(true)
        .from_reader(input);
    let header = reader
        .byte_headers()
        .map_err(|e| syntax(path, 1, e.to_string()))?
        .clone();
    let mut columns = layout(header_names(path, &header)?)?;

    let mut bad = Vec::new();
    // The last good row is held back one step: an unclosed quote swallows the rest
    // of the file into the last row, which is then reported instead.
    let mut held = csv::ByteRecord::new();
    let mut held_line: Option<u64> = None;
    // Whether the last record read is the one held (else it was a bad row).
    let mut held_is_last = false;
    let mut record = csv::ByteRecord::new();
    loop {
        let line = reader.position().line();
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(line);
                match e.kind() {
                    csv::ErrorKind::Io(_) => {
                        return Err(syntax(path, line, format!("cannot read on: {e}")));
                    }
                    _ => {
                        bad.push(BadRow {
                            line,
                            message: e.to_string(),
                        });
                        held_is_last = false;
                        continue;
                    }
                }
            }
        }
        let line = record_line(&record, reader.position().byte(), &mut tally.borrow_mut());
        if record.len() == 1 && record.get(0).is_some_and(|f| f.is_empty()) {
            continue; // a blank line
        }
        match columns.take(&record, line, false) {
            Ok(()) => {
                if let Some(held_line) = held_line {
                    // Read once already, so it reads again.
                    let _ = columns.take(&held, held_line, true);
                }
                std::mem::swap(&mut record, &mut held);
                held_line = Some(line);
                held_is_last = true;
            }
            Err(message) => {
                bad.push(BadRow { line, message });
                held_is_last = false;
            }
        }
    }
    let quoting = tally.borrow().quoting;
    // The line of the quote that opened the field still open at the end.
    let unclosed = quoting.in_quotes.then_some(quoting.opened_line);
    const UNCLOSED: &str = "a quoted field opened here is never closed";
    match held_line {
        Some(_) if unclosed.is_some() && held_is_last => bad.push(BadRow {
            line: unclosed.unwrap_or_default(),
            message: UNCLOSED.into(),
        }),
        Some(last) => {
            if let (Some(line), Some(row)) = (unclosed, bad.last_mut()) {
                row.line = line;
                row.message = UNCLOSED.into();
            }
            let _ = columns.take(&held, last, true);
        }
        None => {
            if let (Some(line), Some(row)) = (unclosed, bad.last_mut()) {
                row.line = line;
                row.message = UNCLOSED.into();
            }
        }
    }
    // Quotes that do not pair up although every field was closed: one stood inside
    // a field that did not start with one, where the csv reader keeps it as a
    // character; the rows were read, but likely not as meant.
    if unclosed.is_none() && quoting.quotes % 2 == 1 {
        if let Some(line) = quoting.stray_line {
            bad.push(BadRow {
                line,
                message: "a stray quote inside a field that does not start with one, so the file's quotes do not pair up; quote the whole field and double the quote in it (\"1\"\"\")".into(),
            });
            bad.sort_by_key(|row| row.line);
        }
    }
    Ok(bad)
}

fn empty_table(path: &Path) -> Error {
    syntax(
        path,
        1,
        "the table is empty: the first line must name the columns".into(),
    )
}

/// A syntax error at the start of a line of `path`.
fn syntax(path: &Path, line: u64, message: String) -> Error {
    Error::Syntax {
        path: path.to_path_buf(),
        position: Some(Position { line, column: 1 }),
        message,
    }
}

/// Reads TSV, which has no quoting: a line is a record, split at tabs. Lines end
/// at `\n`, `\r\n` or `\r` (where the csv reader ends records too) and are numbered
/// as an editor numbers them, blank lines included; blank lines are skipped. Lines
/// are found in the reader's buffer and handed on from it, without the per-byte
/// state machine a quoting format needs.
fn read_tsv_rows<L: Layout>(
    path: &Path,
    mut input: impl Read,
    layout: impl FnOnce(Vec<String>) -> Result<L>,
) -> Result<Vec<BadRow>> {
    let mut layout = Some(layout);
    let mut buffer = vec![0u8; 1 << 16];
    // The unread text is buffer[start..end].
    let (mut start, mut end) = (0, 0);
    let mut at_end = false;
    let mut number = 0u64;
    let mut columns: Option<L> = None;
    let mut bounds: Vec<usize> = Vec::new();
    let mut bad = Vec::new();
    // How far from `start` the text holds no line break (after a refill, the search
    // goes on from there rather than going over a long line again).
    let mut searched = 0;
    loop {
        let found = memchr::memchr2(b'\n', b'\r', &buffer[start + searched..end])
            .map(|k| start + searched + k);
        let (line_end, next) = match found {
            // A \r last in the buffer may be the first half of \r\n.
            Some(at) if buffer[at] == b'\r' && at + 1 == end && !at_end => (None, 0),
            Some(at)
                if buffer[at] == b'\r' && buffer.get(at + 1) == Some(&b'\n') && at + 1 < end =>
            {
                (Some(at), at + 2)
            }
            Some(at) => (Some(at), at + 1),
            None if at_end && start < end => (Some(end), end),
            None if at_end => break,
            None => (None, 0),
        };
        let Some(line_end) = line_end else {
            // Refill: keep the unread text, making room for more. A \r last in the
            // buffer is searched again.
            searched = (end - start).saturating_sub(1);
            buffer.copy_within(start..end, 0);
            end -= start;
            start = 0;
            if end == buffer.len() {
                buffer.resize(2 * buffer.len(), 0);
            }
            let n = loop {
                match input.read(&mut buffer[end..]) {
                    Ok(n) => break n,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(e) => return Err(syntax(path, number + 1, format!("cannot read on: {e}"))),
                }
            };
            end += n;
            at_end = n == 0;
            continue;
        };
        number += 1;
        let line = &buffer[start..line_end];
        start = next;
        searched = 0;
        if line.is_empty() {
            continue;
        }
        bounds.clear();
        bounds.extend(memchr::memchr_iter(b'\t', line));
        bounds.push(line.len());
        let fields = TsvFields {
            line,
            text: std::str::from_utf8(line).ok(),
            ends: &bounds,
        };
        match &mut columns {
            None => {
                if let Some(layout) = layout.take() {
                    columns = Some(layout(header_names(path, fields)?)?);
                }
            }
            Some(columns) => {
                if let Err(message) = columns.take(fields, number, true) {
                    bad.push(BadRow {
                        line: number,
                        message,
                    });
                }
            }
        }
    }
    if columns.is_none() {
        return Err(empty_table(path));
    }
    Ok(bad)
}

/// The fields of one record, however it was split.
trait Fields<'r>: Copy {
    fn count(self) -> usize;
    /// Field `i`, empty past the last.
    fn field(self, i: usize) -> &'r [u8];

    /// Field `i` as text, or where it stops being UTF-8.
    fn text(self, i: usize) -> std::result::Result<&'r str, std::str::Utf8Error> {
        std::str::from_utf8(self.field(i))
    }
}

impl<'r> Fields<'r> for &'r csv::ByteRecord {
    fn count(self) -> usize {
        self.len()
    }

    fn field(self, i: usize) -> &'r [u8] {
        self.get(i).unwrap_or_default()
    }
}

/// A TSV line and where each of its fields ends (at a tab, the last at the end),
/// with the line as text when it is UTF-8 (checked once for the whole line).
#[derive(Clone, Copy)]
struct TsvFields<'r> {
    line: &'r [u8],
    text: Option<&'r str>,
    ends: &'r [usize],
}

impl<'r> TsvFields<'r> {
    fn range(self, i: usize) -> Option<std::ops::Range<usize>> {
        let end = *self.ends.get(i)?;
        Some(if i == 0 { 0 } else { self.ends[i - 1] + 1 }..end)
    }
}

impl<'r> Fields<'r> for TsvFields<'r> {
    fn count(self) -> usize {
        self.ends.len()
    }

    fn field(self, i: usize) -> &'r [u8] {
        self.range(i).map_or(&[], |range| &self.line[range])
    }

    fn text(self, i: usize) -> std::result::Result<&'r str, std::str::Utf8Error> {
        match (self.text, self.range(i)) {
            // Tabs are ASCII, so each field of a UTF-8 line is.
            (Some(text), Some(range)) => Ok(&text[range]),
            (Some(_), None) => Ok(""),
            (None, _) => std::str::from_utf8(self.field(i)),
        }
    }
}

/// The columns a header names, and which of them hold what.
struct Columns {
    header: Vec<String>,
    item: usize,
    source: Option<usize>,
    value: usize,
    date: Option<usize>,
    certainty: Option<usize>,
}

/// The names a header gives its columns, trimmed, without a byte order mark.
fn header_names<'r>(path: &Path, header: impl Fields<'r>) -> Result<Vec<String>> {
    if header.count() == 0 {
        return Err(empty_table(path));
    }
    Ok((0..header.count())
        .map(|i| {
            String::from_utf8_lossy(header.field(i))
                .trim()
                .trim_start_matches('\u{feff}')
                .to_string()
        })
        .collect())
}

impl Columns {
    fn new(path: &Path, header: Vec<String>, options: &TableOptions) -> Result<Self> {
        let column = |name: &str, flag: &str| -> Result<usize> {
            header.iter().position(|h| h == name).ok_or_else(|| {
                syntax(
                    path,
                    1,
                    format!(
                        "no column '{}' (set it with {flag}); the columns are: {}",
                        quoted(name),
                        quoted(&header.join(", "))
                    ),
                )
            })
        };
        let item = column(&options.item, "--item")?;
        let source = if options.source.is_empty() {
            None
        } else {
            Some(column(&options.source, "--source")?)
        };
        let value = column(&options.value, "--value")?;
        let date = options
            .date
            .as_deref()
            .map(|d| column(d, "--date"))
            .transpose()?;
        let certainty = options
            .certainty
            .as_deref()
            .map(|c| column(c, "--certainty"))
            .transpose()?;
        Ok(Columns {
            header,
            item,
            source,
            value,
            date,
            certainty,
        })
    }
}

impl Columns {
    /// The row a record on line `line` holds, or what is wrong with it.
    fn row<'r>(
        &self,
        record: impl Fields<'r>,
        line: u64,
    ) -> std::result::Result<RowRef<'r>, String> {
        let header = &self.header;
        same_count(header, record)?;
        let text = |column: usize| field_text(header, record, column);
        let required = |column: Option<usize>| -> std::result::Result<&'r str, String> {
            let Some(column) = column else {
                return Ok("");
            };
            let value = text(column)?;
            if value.is_empty() {
                Err(format!("column '{}' is empty", quoted(&header[column])))
            } else {
                Ok(value)
            }
        };
        let date = match self.date {
            Some(column) => {
                let value = text(column)?;
                if value.is_empty() {
                    None
                } else if crate::model::dates::is_date(value) {
                    Some(value)
                } else {
                    return Err(format!(
                        "column '{}': '{}' is not a date like 2022-12-24",
                        quoted(&header[column]),
                        quoted(value)
                    ));
                }
            }
            None => None,
        };
        let certainty = match self.certainty {
            Some(column) => {
                let value = text(column)?;
                if value.is_empty() {
                    None
                } else {
                    Some(crate::model::certainty::parse_probability(value).ok_or_else(|| {
                        format!(
                            "column '{}': '{}' is neither a probability between 0 and 1 nor an ICD-203 term (almost no chance, very unlikely, unlikely, roughly even chance, likely, very likely, almost certain)",
                            quoted(&header[column]),
                            quoted(value)
                        )
                    })?)
                }
            }
            None => None,
        };
        Ok(RowRef {
            line,
            item: required(Some(self.item))?,
            source: required(self.source)?,
            value: required(Some(self.value))?,
            date,
            certainty,
        })
    }
}

/// What passes through a reader, for the CSV reader's records: how its quotes
/// stand, and where the line breaks are that no record has reached yet.
#[derive(Debug, Default)]
struct Tally {
    quoting: Quoting,
    /// Offsets of the `\n`s read ahead of the last record.
    newlines: std::collections::VecDeque<u64>,
    /// How many `\n`s came before those.
    passed: u64,
    /// Bytes read so far.
    offset: u64,
}

impl Tally {
    fn new(delimiter: u8) -> Self {
        Tally {
            quoting: Quoting {
                delimiter,
                at_field_start: true,
                line: 1,
                ..Quoting::default()
            },
            ..Tally::default()
        }
    }

    /// The line (from 1) of the byte at `offset`, at or after every offset asked
    /// before.
    fn line_of(&mut self, offset: u64) -> u64 {
        while self.newlines.front().is_some_and(|&at| at < offset) {
            self.newlines.pop_front();
            self.passed += 1;
        }
        self.passed + 1
    }
}

/// The quotes of CSV text followed as the csv reader follows them (RFC 4180,
/// leniently): a quote opens a quoted field only at a field's start; inside one, a
/// doubled quote is a quote and a single one closes it; anywhere else a quote is a
/// character of the field, and stray.
#[derive(Debug, Default, Clone, Copy)]
struct Quoting {
    delimiter: u8,
    in_quotes: bool,
    /// Inside a quoted field, the last byte was a quote: it closes the field unless
    /// another follows.
    quote_pending: bool,
    at_field_start: bool,
    /// The line (from 1) of the next byte.
    line: u64,
    /// The line of the quote that opened the last quoted field.
    opened_line: u64,
    /// The line of the first stray quote.
    stray_line: Option<u64>,
    quotes: u64,
}

impl Quoting {
    fn follow(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            if self.quote_pending {
                self.quote_pending = false;
                if byte == b'"' {
                    self.quotes += 1;
                    continue;
                }
                self.in_quotes = false;
            }
            if byte == b'\n' {
                self.line += 1;
            }
            if self.in_quotes {
                if byte == b'"' {
                    self.quotes += 1;
                    self.quote_pending = true;
                }
                continue;
            }
            match byte {
                b'"' => {
                    self.quotes += 1;
                    if self.at_field_start {
                        self.in_quotes = true;
                        self.opened_line = self.line;
                    } else if self.stray_line.is_none() {
                        self.stray_line = Some(self.line);
                    }
                    self.at_field_start = false;
                }
                b'\n' | b'\r' => self.at_field_start = true,
                byte => self.at_field_start = byte == self.delimiter,
            }
        }
    }
}

/// Keeps a [`Tally`] of the bytes that pass through a reader.
struct TallyReader<R> {
    inner: R,
    tally: std::rc::Rc<std::cell::RefCell<Tally>>,
}

impl<R: Read> Read for TallyReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let mut tally = self.tally.borrow_mut();
        // The csv reader skips a byte order mark; a quote after it starts a field.
        let bom = if tally.offset == 0 && buf[..n].starts_with(b"\xef\xbb\xbf") {
            3
        } else {
            0
        };
        tally.quoting.follow(&buf[bom..n]);
        let offset = tally.offset;
        tally
            .newlines
            .extend(memchr::memchr_iter(b'\n', &buf[..n]).map(|k| offset + k as u64));
        tally.offset += n as u64;
        Ok(n)
    }
}

/// The line a CSV record starts on, from where it ends (the reader's position
/// after it): the line of its last byte, less the line breaks inside its quoted
/// fields. The csv reader's own record positions count lines only at `\n` and
/// from where it began looking for the record, so after a `\r\n` or blank lines
/// they come out early.
fn record_line(record: &csv::ByteRecord, end: u64, tally: &mut Tally) -> u64 {
    let inside: u64 = record
        .iter()
        .map(|field| memchr::memchr_iter(b'\n', field).count() as u64)
        .sum();
    // The last byte read is the record's terminator, not counted, unless an
    // unclosed quote ran the record to the end of the input, which then ends in
    // the record's own field.
    let unterminated = tally.quoting.in_quotes && end == tally.offset;
    let last = if unterminated {
        end
    } else {
        end.saturating_sub(1)
    };
    tally.line_of(last).saturating_sub(inside).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_text(name: &str, text: &str, options: &TableOptions) -> Table {
        read_from(Path::new(name), text.as_bytes(), options).unwrap()
    }

    #[test]
    fn reads_tsv_and_csv_with_named_columns() {
        let table = read_text(
            "t.tsv",
            "item\tsource\tvalue\nx\ts1\t1\ny\ts2\t2\n",
            &TableOptions::default(),
        );
        assert_eq!(table.rows.len(), 2);
        assert_eq!(table.rows[1].line, 3);
        let options = TableOptions {
            item: "flight".into(),
            certainty: Some("how sure".into()),
            date: Some("day".into()),
            ..TableOptions::default()
        };
        let table = read_text(
            "t.csv",
            "flight,source,value,day,how sure\n\"a, b\",s1,\"say \"\"hi\"\"\",2022-12-24,likely\n",
            &options,
        );
        assert!(table.bad.is_empty(), "{:?}", table.bad);
        assert_eq!(table.rows[0].item, "a, b");
        assert_eq!(table.rows[0].value, "say \"hi\"");
        assert_eq!(table.rows[0].date.as_deref(), Some("2022-12-24"));
        assert_eq!(table.rows[0].certainty, Some(0.675));
    }

    #[test]
    fn tsv_lines_end_at_any_line_break_and_may_outgrow_the_buffer() {
        let long = "v".repeat(200_000);
        let text =
            format!("item\tsource\tvalue\r\nx\ts1\t1\r\n\ny\ts2\t2\rz\ts3\t{long}\n\nw\ts4\t4");
        // Read a few bytes at a time, so that line breaks (\r\n too) fall between reads.
        struct Trickle<'a>(&'a [u8]);
        impl Read for Trickle<'_> {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                let n = buf.len().min(7).min(self.0.len());
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        for input in [
            Box::new(text.as_bytes()) as Box<dyn Read>,
            Box::new(Trickle(text.as_bytes())),
        ] {
            let table = read_from(Path::new("t.tsv"), input, &TableOptions::default()).unwrap();
            assert!(table.bad.is_empty(), "{:?}", table.bad);
            let rows: Vec<(u64, &str, &str)> = table
                .rows
                .iter()
                .map(|r| (r.line, r.item.as_str(), r.source.as_str()))
                .collect();
            // Blank lines count as lines, and \r\n is one line break.
            assert_eq!(
                rows,
                [
                    (2, "x", "s1"),
                    (4, "y", "s2"),
                    (5, "z", "s3"),
                    (7, "w", "s4")
                ]
            );
            assert_eq!(table.rows[2].value, long);
            assert_eq!(table.rows[3].value, "4");
        }
    }

    #[test]
    fn csv_rows_are_numbered_by_the_line_they_start_on() {
        // \r\n line breaks, blank lines and a quoted field over two lines.
        let text = "item,source,value\r\nx,s1\r\n\r\n\r\ny,s2,\"two\r\nlines\"\r\nz,s3\r\nw,s4,4";
        let table = read_text("t.csv", text, &TableOptions::default());
        let bad: Vec<u64> = table.bad.iter().map(|b| b.line).collect();
        assert_eq!(bad, [2, 7]);
        let good: Vec<(u64, &str)> = table
            .rows
            .iter()
            .map(|r| (r.line, r.item.as_str()))
            .collect();
        assert_eq!(good, [(5, "y"), (8, "w")]);
        let table = read_text(
            "t.csv",
            "item,source,value\n\nx,s1\n",
            &TableOptions::default(),
        );
        assert_eq!(table.bad[0].line, 3);
    }

    #[test]
    fn an_empty_tsv_is_an_error_and_a_header_alone_has_no_rows() {
        for text in ["", "\n\n"] {
            let err = read_from(
                Path::new("t.tsv"),
                text.as_bytes(),
                &TableOptions::default(),
            )
            .unwrap_err()
            .to_string();
            assert!(err.contains("t.tsv:1:1: the table is empty"), "{err}");
        }
        let table = read_text("t.tsv", "item\tsource\tvalue", &TableOptions::default());
        assert!(table.rows.is_empty() && table.bad.is_empty());
    }

    #[test]
    fn bad_rows_name_their_line_and_field() {
        let options = TableOptions {
            date: Some("date".into()),
            ..TableOptions::default()
        };
        let table = read_from(
            Path::new("t.tsv"),
            &b"item\tsource\tvalue\tdate\nx\ts1\t1\t2022-02-30\ny\ts2\n\xff\ts3\tv\t\n"[..],
            &options,
        )
        .unwrap();
        assert_eq!(table.rows.len(), 0);
        let lines: Vec<u64> = table.bad.iter().map(|b| b.line).collect();
        assert_eq!(lines, [2, 3, 4]);
        assert!(table.bad[0].message.contains("not a date"));
        assert!(table.bad[1].message.contains("a column is missing"));
        assert!(table.bad[2].message.contains("column 'item' is not UTF-8"));
    }

    #[test]
    fn a_quoted_newline_in_the_last_row_is_fine_and_an_open_quote_anywhere_is_not() {
        let table = read_text(
            "t.csv",
            "item,source,value\nx,s1,1\ny,s1,\"two\nlines\"\n",
            &TableOptions::default(),
        );
        assert!(table.bad.is_empty(), "{:?}", table.bad);
        assert_eq!(table.rows[1].value, "two\nlines");
        // The open quote is in a column nobody reads: still every row after it is lost.
        let table = read_text(
            "t.csv",
            "item,source,value,note\nx,s1,a,\"oops\nx,s2,b,n\nx,s3,b,n\n",
            &TableOptions::default(),
        );
        assert_eq!(table.rows.len(), 0, "{:?}", table.rows);
        assert_eq!(table.bad.len(), 1);
        assert_eq!(table.bad[0].line, 2);
        assert!(table.bad[0].message.contains("never closed"));
    }

    #[test]
    fn an_unclosed_quote_is_a_bad_row() {
        let table = read_text(
            "t.csv",
            "item,source,value\nx,s1,1\ny,s2,\"open\nz,s3,3\n",
            &TableOptions::default(),
        );
        assert_eq!(table.rows.len(), 1);
        assert_eq!(table.bad[0].line, 3);
        assert!(table.bad[0].message.contains("never closed"));
    }

    #[test]
    fn a_stray_quote_is_reported_on_its_line() {
        let table = read_text(
            "t.csv",
            "item,source,value\nx,s1,1\"\ny,s2,2\n",
            &TableOptions::default(),
        );
        assert_eq!(table.bad.len(), 1, "{:?}", table.bad);
        assert_eq!(table.bad[0].line, 2);
        assert!(table.bad[0].message.contains("stray quote"));
        // Opened at a field's start two lines into a record: the line of the quote.
        let table = read_text(
            "t.csv",
            "item,source,value\nx,s1,\"a\nb\"\ny,s2,2\nz,s3,\"open\nw,s4,4\n",
            &TableOptions::default(),
        );
        assert_eq!(table.bad.len(), 1, "{:?}", table.bad);
        assert_eq!(table.bad[0].line, 5);
        assert!(table.bad[0].message.contains("never closed"));
    }

    #[test]
    fn a_missing_column_is_named() {
        let err = read_from(
            Path::new("t.tsv"),
            "a\tsource\tvalue\n".as_bytes(),
            &TableOptions::default(),
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("t.tsv:1:1: no column 'item' (set it with --item)"),
            "{err}"
        );
    }
}
