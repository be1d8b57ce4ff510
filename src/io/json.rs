//! JSON (one array) and JSON Lines (one record a line) for scripts.

use std::io::{self, Write};

use crate::model::Record;

pub fn write_array<R: Record>(
    out: &mut dyn Write,
    records: impl IntoIterator<Item = R>,
) -> io::Result<()> {
    let mut empty = true;
    for record in records {
        out.write_all(if empty { b"[\n" } else { b",\n" })?;
        serde_json::to_writer(&mut *out, &record)?;
        empty = false;
    }
    out.write_all(if empty { b"[]\n" } else { b"\n]\n" })
}

pub fn write_lines<R: Record>(
    out: &mut dyn Write,
    records: impl IntoIterator<Item = R>,
) -> io::Result<()> {
    for record in records {
        serde_json::to_writer(&mut *out, &record)?;
        writeln!(out)?;
    }
    Ok(())
}
