//! Aligned tables for people (`list` without `--format`).

use std::io::{self, Write};

use crate::display::{cell, pad, truncate, width};
use crate::model::Record;

/// Widest a column may grow before its cells are cut with `…`.
const COLUMN_MAX: usize = 40;

/// The columns a table shows: the record's table fields.
pub fn columns<R: Record>() -> Vec<&'static str> {
    R::fields()
        .iter()
        .filter(|f| f.in_table)
        .map(|f| f.name)
        .collect()
}

pub fn write<R: Record>(out: &mut dyn Write, records: &[R]) -> io::Result<()> {
    let columns = columns::<R>();
    let rows: Vec<Vec<String>> = records
        .iter()
        .map(|r| {
            columns
                .iter()
                .map(|c| {
                    let text = r.get(c).map(|v| v.to_text()).unwrap_or_default();
                    truncate(&cell(&text), COLUMN_MAX).into_owned()
                })
                .collect()
        })
        .collect();
    let widths: Vec<usize> = columns
        .iter()
        .enumerate()
        .map(|(i, name)| {
            rows.iter()
                .map(|row| width(&row[i]))
                .chain(std::iter::once(width(name)))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: &mut dyn Iterator<Item = &str>| -> String {
        let padded: Vec<String> = cells.zip(&widths).map(|(c, &w)| pad(c, w)).collect();
        padded.join("  ").trim_end().to_string()
    };
    writeln!(
        out,
        "{}",
        line(
            &mut columns
                .iter()
                .map(|c| c.to_ascii_uppercase())
                .collect::<Vec<_>>()
                .iter()
                .map(String::as_str)
        )
    )?;
    for row in &rows {
        writeln!(out, "{}", line(&mut row.iter().map(String::as_str)))?;
    }
    Ok(())
}
