//! `clusterdesk dump [-o FILE]`: the whole store (every collection with its
//! ids, and the whole history) as one versioned JSON Lines file: the backup
//! a coordinator can read, and `clusterdesk load` reads back.

use std::io::Write;
use std::path::PathBuf;

use super::StoreArgs;
use super::output::note;
use super::output::write_output;
use crate::each_record;
use crate::io::dump::{self, Counts, Header, Line};
use crate::model::{Collection, Record};
use crate::store::{Store, codec};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Write to FILE (replaced whole, only once the dump is complete)
    /// instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
}

fn records<R: Record>(
    store: &Store,
    out: &mut dyn Write,
    counts: &mut Counts,
) -> anyhow::Result<()> {
    for record in store.all::<R>() {
        dump::write_line(out, &Line::of(record?.into_any()))?;
        counts.records += 1;
    }
    Ok(())
}

pub fn run(store: &StoreArgs, args: Args) -> anyhow::Result<()> {
    let store = store.open()?;
    let mut counts = Counts::default();
    write_output(args.output.as_deref(), |out| {
        let header = Header {
            format: dump::FORMAT.to_string(),
            version: dump::VERSION,
            // Records are written in this build's shapes, whatever the store held.
            schema_version: codec::SCHEMA_VERSION,
            written: jiff::Timestamp::now(),
            by: store.user().to_string(),
        };
        dump::write_line(out, &Line::Dump(header))?;
        // In the registry's order, members first: the records after them
        // name members by code.
        for c in Collection::ALL {
            each_record!(type of c, R => records::<R>(&store, out, &mut counts))?;
        }
        store.history_each(|entry| -> anyhow::Result<()> {
            dump::write_line(out, &Line::History(entry))?;
            counts.history += 1;
            Ok(())
        })?;
        dump::write_line(out, &Line::End(counts))?;
        Ok(())
    })?;
    if let Some(path) = &args.output {
        note(format_args!(
            "dumped {} records and {} history entries to {}",
            counts.records,
            counts.history,
            path.display()
        ));
    }
    Ok(())
}
