//! `clusterdesk show C KEY [--format text|json]`

use crate::model::Collection;

use super::{StoreArgs, write_stdout};
use crate::each_record;
use crate::io::text;
use crate::model::Record;

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Format {
    Text,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    #[arg(value_enum)]
    collection: Collection,
    /// The record's key: member code, slug, or CODE/YEAR for indicators.
    key: String,
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
}

pub fn run(store: &StoreArgs, args: Args) -> anyhow::Result<()> {
    let collection = args.collection;
    each_record!(type of collection, R => show::<R>(store, &args.key, args.format))
}

fn show<R: Record>(store: &StoreArgs, key: &str, format: Format) -> anyhow::Result<()> {
    let store = store.open()?;
    let record: R = store.require(key)?;
    match format {
        Format::Json => write_stdout(|out| {
            serde_json::to_writer_pretty(&mut *out, &record)?;
            writeln!(out)
        }),
        Format::Text => write_stdout(|out| text::write_record(out, &record)),
    }
}
