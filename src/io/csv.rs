//! CSV for scripts: a header row of field names (`id` first), list cells
//! joined by `;`. Nested parts (contacts past the first, actions) are not in
//! CSV; JSON carries them.

use std::io::{self, Write};

use crate::model::Record;

/// The CSV columns of a collection, in order.
pub fn columns<R: Record>() -> Vec<&'static str> {
    std::iter::once("id")
        .chain(R::fields().iter().map(|f| f.name))
        .collect()
}

pub fn write<R: Record>(
    out: &mut dyn Write,
    records: impl IntoIterator<Item = R>,
) -> io::Result<()> {
    let mut w = ::csv::Writer::from_writer(out);
    w.write_record(columns::<R>()).map_err(into_io)?;
    for record in records {
        let mut row = vec![record.id().to_string()];
        row.extend(
            R::fields()
                .iter()
                .map(|f| record.get(f.name).map(|v| v.to_text()).unwrap_or_default()),
        );
        w.write_record(&row).map_err(into_io)?;
    }
    w.flush()
}

/// The csv crate's error as the io error under it, when there is one, so a
/// closed pipe (`| head`) is still seen as one and ends the output quietly.
fn into_io(e: ::csv::Error) -> io::Error {
    if !e.is_io_error() {
        return io::Error::other(e);
    }
    match e.into_kind() {
        ::csv::ErrorKind::Io(io) => io,
        other => io::Error::other(format!("{other:?}")),
    }
}
