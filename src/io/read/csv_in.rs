//! CSV in: a header row, then one record a row (quoted cells may span
//! lines). Every row has as many cells as the header. A row whose cells are
//! all empty (what spreadsheets leave below the data) is no record.

use std::collections::{HashMap, HashSet};

use csv::{ErrorKind, ReaderBuilder, StringRecord};

use super::names::{Names, Target};
use super::{LineCounter, RawInput, RawRow, ReadError, listed, quoted};
use crate::model::FieldValue;

const DELIMITERS: [u8; 3] = [b',', b';', b'\t'];

pub(super) fn read(
    file: &str,
    text: &str,
    delimiter: Option<u8>,
    names: &Names,
    each: &mut dyn FnMut(RawRow),
) -> Result<RawInput, ReadError> {
    let mut out = RawInput::default();
    if text.trim().is_empty() {
        return Ok(out);
    }
    let bytes = text.as_bytes();
    let delimiter = delimiter.unwrap_or_else(|| sniff_delimiter(text));
    if matches!(delimiter, b'"' | b'\n' | b'\r') || !delimiter.is_ascii() {
        return Err(ReadError::whole(
            file,
            "the delimiter must be one ASCII character other than a quote or a line end",
        ));
    }
    let mut reader = ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(false)
        .from_reader(bytes);
    let mut lines = LineCounter::new();
    let mut record = StringRecord::new();

    if !next(file, &mut reader, &mut record, &mut lines, bytes)? {
        return Ok(out);
    }
    let header_line = start_line(&record, &mut lines, bytes);
    let mut last_start = record_start(&record, bytes);
    let columns = header(file, header_line, &record, names, delimiter, &mut out)?;
    // Room for the fields only: a header may hold a million unknown columns.
    let known = columns
        .iter()
        .filter(|t| matches!(t, Target::Field(_)))
        .count();

    while next(file, &mut reader, &mut record, &mut lines, bytes)? {
        last_start = record_start(&record, bytes);
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        let mut row = RawRow {
            line: start_line(&record, &mut lines, bytes),
            id: None,
            fields: Vec::with_capacity(known),
            nested: Vec::new(),
        };
        for (cell, target) in record.iter().zip(&columns) {
            match target {
                Target::Field(name) => row
                    .fields
                    .push((name.to_string(), FieldValue::Scalar(cell.to_string()))),
                Target::Id if !cell.trim().is_empty() => row.id = Some(cell.trim().to_string()),
                _ => {}
            }
        }
        each(row);
    }
    if let Some(quote) = open_quote(bytes, last_start, delimiter) {
        return Err(ReadError::at(
            file,
            lines.line_at(bytes, quote),
            "a quote opened here is never closed (the rest of the file would be one cell)",
        ));
    }
    Ok(out)
}

/// Where the last record's quote that is never closed opens, if one does:
/// the reader then takes the rest of the file as one cell, which can hold
/// as many cells as the header and so pass unnoticed.
fn open_quote(bytes: &[u8], start: usize, delimiter: u8) -> Option<usize> {
    let mut open = None;
    let mut at_cell_start = true;
    let mut i = start;
    while let Some(&b) = bytes.get(i) {
        if open.is_some() {
            if b == b'"' {
                if bytes.get(i + 1) == Some(&b'"') {
                    i += 1;
                } else {
                    open = None;
                }
            }
        } else if b == b'"' && at_cell_start {
            open = Some(i);
            at_cell_start = false;
        } else {
            at_cell_start = b == delimiter || b == b'\n' || b == b'\r';
        }
        i += 1;
    }
    open
}

/// The targets of the header's columns; fills `ignored` and `columns_seen`.
/// Linear in the header: one look-up per name, sets for what was met.
fn header(
    file: &str,
    line: usize,
    record: &StringRecord,
    names: &Names,
    delimiter: u8,
    out: &mut RawInput,
) -> Result<Vec<Target>, ReadError> {
    let mut used = vec![false; names.map_len()];
    let mut columns: Vec<Target> = Vec::with_capacity(record.len());
    // Each known target's first column, and the unknown names met.
    let mut first: HashMap<Target, usize> = HashMap::new();
    let mut ignored: HashSet<&str> = HashSet::new();
    for (i, name) in record.iter().enumerate() {
        let name = name.trim();
        let resolved = names.resolve(name);
        if let Some(m) = resolved.via_map
            && let Some(u) = used.get_mut(m)
        {
            *u = true;
        }
        let target = match resolved.target {
            // CSV cannot carry nested parts; say so by listing the column.
            Target::Nested(_) => Target::Unknown,
            t => t,
        };
        if target != Target::Unknown {
            if let Some(&j) = first.get(&target) {
                let what = match target {
                    Target::Field(f) => f,
                    _ => "id",
                };
                return Err(ReadError::at(
                    file,
                    line,
                    format!(
                        "columns {} ({}) and {} ({}) both give {what}; keep one, or --map {what}=COLUMN to choose",
                        j + 1,
                        quoted(record.get(j).unwrap_or_default().trim()),
                        i + 1,
                        quoted(name)
                    ),
                ));
            }
            first.insert(target, i);
        }
        match target {
            Target::Field(f) => out.columns_seen.push(f.to_string()),
            Target::Unknown if name.is_empty() => {
                out.ignored.push(format!("(column {}, no name)", i + 1));
            }
            // Each spelling once, in the order first met.
            Target::Unknown if ignored.insert(name) => out.ignored.push(name.to_string()),
            _ => {}
        }
        columns.push(target);
    }
    if let Some((flag, column)) = names.first_unused(&used) {
        let all: Vec<&str> = record.iter().map(str::trim).collect();
        let sep = match delimiter {
            b'\t' => "tab".to_string(),
            d => format!("{:?}", char::from(d)),
        };
        return Err(ReadError::whole(
            file,
            format!(
                "{flag}: the header has no column {} (columns split at {sep}: {})",
                quoted(column),
                listed(&all, quoted)
            ),
        ));
    }
    Ok(columns)
}

/// Reads the next record; false at the end.
fn next(
    file: &str,
    reader: &mut csv::Reader<&[u8]>,
    record: &mut StringRecord,
    lines: &mut LineCounter,
    bytes: &[u8],
) -> Result<bool, ReadError> {
    reader.read_record(record).map_err(|e| {
        let line = e
            .position()
            .map(|p| line_of_start(p.byte(), lines, bytes))
            .unwrap_or(lines.line);
        match e.kind() {
            ErrorKind::UnequalLengths {
                expected_len, len, ..
            } => ReadError::at(
                file,
                line,
                format!(
                    "this row has {} but the header has {} \
                     (a quote left open, or the delimiter inside a cell without quotes?)",
                    cells(*len),
                    cells(*expected_len)
                ),
            ),
            _ => ReadError::at(file, line, format!("unreadable CSV: {e}")),
        }
    })
}

fn cells(n: u64) -> String {
    if n == 1 {
        "1 cell".to_string()
    } else {
        format!("{n} cells")
    }
}

/// The line a record starts on: its position is where the reader stood
/// before it, which may be at the line ends (and blank lines) in front of it.
fn start_line(record: &StringRecord, lines: &mut LineCounter, bytes: &[u8]) -> usize {
    match record.position() {
        Some(p) => line_of_start(p.byte(), lines, bytes),
        None => lines.line,
    }
}

fn line_of_start(byte: u64, lines: &mut LineCounter, bytes: &[u8]) -> usize {
    lines.line_at(bytes, skip_line_ends(byte, bytes))
}

fn record_start(record: &StringRecord, bytes: &[u8]) -> usize {
    record
        .position()
        .map_or(bytes.len(), |p| skip_line_ends(p.byte(), bytes))
}

/// The first byte at or after `byte` that is not a line end.
fn skip_line_ends(byte: u64, bytes: &[u8]) -> usize {
    let mut at = usize::try_from(byte)
        .unwrap_or(bytes.len())
        .min(bytes.len());
    while matches!(bytes.get(at), Some(b'\r' | b'\n')) {
        at += 1;
    }
    at
}

/// The most frequent of `,` `;` tab outside quotes in the header line; `,`
/// when there is none (a one-column file) and on ties, then `;`.
fn sniff_delimiter(text: &str) -> u8 {
    let mut counts = [0usize; DELIMITERS.len()];
    let mut quoted = false;
    for &b in text.trim_start_matches(['\r', '\n']).as_bytes() {
        match b {
            b'"' => quoted = !quoted,
            b'\r' | b'\n' if !quoted => break,
            _ if !quoted => {
                if let Some(i) = DELIMITERS.iter().position(|&d| d == b) {
                    counts[i] += 1;
                }
            }
            _ => {}
        }
    }
    let mut best = 0;
    for i in 1..DELIMITERS.len() {
        if counts[i] > counts[best] {
            best = i;
        }
    }
    DELIMITERS[best]
}

#[cfg(test)]
mod tests {
    use super::sniff_delimiter;

    #[test]
    fn sniffs_the_header_line_only() {
        assert_eq!(sniff_delimiter("a;b;c\n1,2,3,4,5\n"), b';');
        assert_eq!(sniff_delimiter("\"a;b;c\",d\n"), b',');
        assert_eq!(sniff_delimiter("a\tb\n"), b'\t');
        assert_eq!(sniff_delimiter("code\n"), b',');
        assert_eq!(sniff_delimiter("\r\n\r\na;b\n"), b';');
    }
}
