//! The read side of `import`: the bytes of a file in one of the accepted
//! encodings and formats (CSV, JSON Lines, a JSON array) become raw rows of
//! field texts, each with the line it starts on. Parsing only: the model
//! checks the values later, and nothing here writes.
//!
//! - `encoding`: bytes -> text (UTF-8 with or without a BOM, or an old Baltic
//!   code page named with `--encoding`); a bad byte is refused with its line.
//! - `names`: which column or key gives which field (`--map`, case-insensitive
//!   field names, `id`, nested parts, unknown names).
//! - `csv_in`, `json_in`: the formats; `unique_keys`: JSON whose objects
//!   repeat no key (serde_json would keep the last silently), also used by
//!   `load` for dumps.
//!
//! A file is untrusted: every step is linear in its size (a header of a
//! million columns, an object of a million keys), and a message lists at
//! most [`SHOWN_NAMES`] of the names it reports.

mod csv_in;
mod encoding;
mod json_in;
mod names;
pub mod unique_keys;

use std::fmt;

pub use encoding::encoding_by_label;
pub use encoding_rs::Encoding;

use crate::model::{FieldSpec, FieldValue};

/// The formats `import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputFormat {
    Csv,
    /// JSON Lines: one object a line.
    Jsonl,
    /// One JSON array of objects.
    Json,
}

impl InputFormat {
    /// A `--format` value: `csv`, `jsonl` (or `ndjson`), `json`.
    pub fn parse(name: &str) -> Option<InputFormat> {
        match name.trim().to_ascii_lowercase().as_str() {
            "csv" => Some(InputFormat::Csv),
            "jsonl" | "ndjson" => Some(InputFormat::Jsonl),
            "json" => Some(InputFormat::Json),
            _ => None,
        }
    }

    /// The format a file's extension names (`.csv`, `.jsonl`, `.ndjson`, `.json`).
    pub fn from_path(file: &str) -> Option<InputFormat> {
        let (_, ext) = file.rsplit_once('.')?;
        if ext.contains(['/', '\\']) {
            return None;
        }
        match ext.to_ascii_lowercase().as_str() {
            "csv" => Some(InputFormat::Csv),
            "jsonl" | "ndjson" => Some(InputFormat::Jsonl),
            "json" => Some(InputFormat::Json),
            _ => None,
        }
    }

    /// The format text looks like: `[` -> JSON, `{` -> JSON Lines, else CSV.
    pub fn sniff(text: &str) -> InputFormat {
        match text.trim_start().as_bytes().first() {
            Some(b'[') => InputFormat::Json,
            Some(b'{') => InputFormat::Jsonl,
            _ => InputFormat::Csv,
        }
    }
}

/// How to read one file; every choice left `None` is taken from the file.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// Else from the file's extension, else sniffed from its first character.
    pub format: Option<InputFormat>,
    /// CSV only; else the most frequent of `,` `;` tab in the header line.
    pub delimiter: Option<u8>,
    /// Else UTF-8 (a BOM is accepted); see [`encoding_by_label`].
    pub encoding: Option<&'static Encoding>,
    /// `--map FIELD=COLUMN`: COLUMN's cells (or KEY's values) give FIELD.
    pub map: Vec<(String, String)>,
}

/// One record as the file gives it.
#[derive(Debug, Clone, PartialEq)]
pub struct RawRow {
    /// 1-based line where the record starts in the file.
    pub line: usize,
    /// The `id` column or key, when present and not empty.
    pub id: Option<String>,
    /// The fields the input has, by field name, in the input's order. A CSV
    /// cell is a scalar (empty when the cell is); JSON text, numbers and
    /// booleans are scalars, `null` is an empty scalar, arrays are lists.
    pub fields: Vec<(String, FieldValue)>,
    /// JSON keys naming a nested part (contacts, actions), as they are.
    pub nested: Vec<(String, serde_json::Value)>,
}

/// What a file holds.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RawInput {
    pub rows: Vec<RawRow>,
    /// Columns or keys that are neither a field, a nested part nor `id`, each
    /// once, in the order first met, as the file spells them (print them
    /// through `sanitize_for_message`).
    pub ignored: Vec<String>,
    /// Field names the input provides, in the order first met.
    pub columns_seen: Vec<String>,
}

/// Why a file could not be read: `FILE:LINE: reason` or `FILE: reason`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", Shown(self))]
pub struct ReadError {
    pub file: String,
    pub line: Option<usize>,
    pub reason: String,
}

struct Shown<'a>(&'a ReadError);

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let e = self.0;
        match e.line {
            Some(line) => write!(f, "{}:{line}: {}", e.file, e.reason),
            None => write!(f, "{}: {}", e.file, e.reason),
        }
    }
}

impl ReadError {
    fn at(file: &str, line: usize, reason: impl Into<String>) -> Self {
        ReadError {
            file: shown_file(file),
            line: Some(line),
            reason: reason.into(),
        }
    }

    fn whole(file: &str, reason: impl Into<String>) -> Self {
        ReadError {
            file: shown_file(file),
            line: None,
            reason: reason.into(),
        }
    }
}

fn shown_file(file: &str) -> String {
    crate::model::text::sanitize_for_message(file)
}

/// A name from the file, quoted and made safe for a terminal.
fn quoted(name: &str) -> String {
    format!("\"{}\"", crate::model::text::sanitize_for_message(name))
}

/// How many names a message lists before it only counts the rest.
pub const SHOWN_NAMES: usize = 10;

/// The first [`SHOWN_NAMES`] of `names`, each through `show` (the message
/// escaper, or [`quoted`]), joined with `, `, then `… and N more (M in all)`
/// when there are more.
pub fn listed<S: AsRef<str>>(names: &[S], show: fn(&str) -> String) -> String {
    let shown: Vec<String> = names
        .iter()
        .take(SHOWN_NAMES)
        .map(|n| show(n.as_ref()))
        .collect();
    let mut text = shown.join(", ");
    if names.len() > SHOWN_NAMES {
        text.push_str(&format!(
            ", … and {} more ({} in all)",
            names.len() - SHOWN_NAMES,
            names.len()
        ));
    }
    text
}

/// Reads a whole file. `file` names it in messages (and gives the format by
/// its extension); `fields` are the collection's fields and `nested` the JSON
/// keys of its nested parts. An empty file, or a CSV with only a header, gives
/// no rows: whether that is an error is the caller's choice.
pub fn read(
    file: &str,
    bytes: &[u8],
    opts: &ReadOptions,
    fields: &[FieldSpec],
    nested: &[&str],
) -> Result<RawInput, ReadError> {
    let mut rows = Vec::new();
    let mut input = read_each(file, bytes, opts, fields, nested, &mut |row| rows.push(row))?;
    input.rows = rows;
    Ok(input)
}

/// [`read`], handing each row to `each` as soon as it is read instead of
/// keeping them all (100,000 members kept as rows take ~180 MB). Returns
/// `ignored` and `columns_seen` with `rows` empty. On an error, rows before
/// it have been handed over already: the caller must drop them.
pub fn read_each(
    file: &str,
    bytes: &[u8],
    opts: &ReadOptions,
    fields: &[FieldSpec],
    nested: &[&str],
    each: &mut dyn FnMut(RawRow),
) -> Result<RawInput, ReadError> {
    let text = encoding::decode(file, bytes, opts.encoding)?;
    let format = opts
        .format
        .or_else(|| InputFormat::from_path(file))
        .unwrap_or_else(|| InputFormat::sniff(&text));
    let names = names::Names::new(file, fields, nested, &opts.map)?;
    match format {
        InputFormat::Csv => csv_in::read(file, &text, opts.delimiter, &names, each),
        InputFormat::Jsonl => json_in::read_lines(file, &text, &names, each),
        InputFormat::Json => json_in::read_array(file, &text, &names, each),
    }
}

/// Line numbers of byte offsets met in increasing order, counted once. A
/// line ends at `\n`, `\r\n`, or a lone `\r` (old Mac spreadsheets).
struct LineCounter {
    offset: usize,
    line: usize,
}

impl LineCounter {
    fn new() -> Self {
        LineCounter { offset: 0, line: 1 }
    }

    /// The 1-based line of byte `pos` of `text`.
    fn line_at(&mut self, text: &[u8], pos: usize) -> usize {
        let pos = pos.min(text.len());
        if pos < self.offset {
            *self = LineCounter::new();
        }
        self.line += line_ends(text, self.offset, pos);
        self.offset = pos;
        self.line
    }
}

/// How many lines end in `text[from..to]`.
fn line_ends(text: &[u8], from: usize, to: usize) -> usize {
    (from..to)
        .filter(|&i| match text[i] {
            b'\n' => true,
            b'\r' => text.get(i + 1) != Some(&b'\n'),
            _ => false,
        })
        .count()
}
