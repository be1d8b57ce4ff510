//! `clusterdesk export C [--format csv|jsonl|json] [-o FILE]`: every record,
//! sorted by natural key, streamed (memory does not grow with the
//! collection), in the shapes `import` reads back.

use crate::model::Collection;
use std::io::Write;
use std::path::PathBuf;

use super::StoreArgs;
use super::output::note;
use super::output::write_output;
use crate::each_record;
use crate::io;
use crate::model::Record;
use crate::store::{Store, StoreError};

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Format {
    Csv,
    Jsonl,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    #[arg(value_enum)]
    collection: Collection,
    /// The format (default: from the -o file's extension, else csv).
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// Write to FILE (replaced whole, only once the export is complete)
    /// instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
}

fn format_of(args: &Args) -> Format {
    if let Some(f) = args.format {
        return f;
    }
    let ext = args
        .output
        .as_ref()
        .and_then(|p| p.extension())
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("json") => Format::Json,
        Some("jsonl" | "ndjson") => Format::Jsonl,
        _ => Format::Csv,
    }
}

pub fn run(store: &StoreArgs, args: Args) -> anyhow::Result<()> {
    let collection = args.collection;
    each_record!(type of collection, R => export::<R>(store, &args))
}

/// Records in key order; the first store error stops the stream and is kept.
struct Records<'s, I> {
    inner: I,
    error: &'s mut Option<StoreError>,
}

impl<R, I: Iterator<Item = Result<R, StoreError>>> Iterator for Records<'_, I> {
    type Item = R;
    fn next(&mut self) -> Option<R> {
        if self.error.is_some() {
            return None;
        }
        match self.inner.next()? {
            Ok(r) => Some(r),
            Err(e) => {
                *self.error = Some(e);
                None
            }
        }
    }
}

fn write_all<R: Record>(store: &Store, format: Format, out: &mut dyn Write) -> anyhow::Result<()> {
    let mut error = None;
    let records = Records {
        inner: store.scan::<R>(None)?,
        error: &mut error,
    };
    let written = match format {
        Format::Csv => io::csv::write(out, records),
        Format::Jsonl => io::json::write_lines(out, records),
        Format::Json => io::json::write_array(out, records),
    };
    if let Some(e) = error {
        return Err(e.into());
    }
    Ok(written?)
}

fn export<R: Record>(store: &StoreArgs, args: &Args) -> anyhow::Result<()> {
    let store = store.open()?;
    let format = format_of(args);
    write_output(args.output.as_deref(), |out| {
        write_all::<R>(&store, format, out)
    })?;
    if let Some(path) = &args.output {
        note(format_args!(
            "exported {} to {}",
            R::COLLECTION,
            path.display()
        ));
    }
    Ok(())
}
