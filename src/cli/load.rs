//! `clusterdesk load FILE|-`: a dump (see `io::dump`) back into an empty
//! store. The whole file is read and checked first (every line parses,
//! every record keeps the rules, ids and keys are unique, references point
//! at members loaded before them, the end line is there and its counts
//! agree); if anything is wrong nothing is written and every error is listed
//! as `FILE:LINE: FIELD: reason`. Then it is read again and written; a load
//! that dies on the way leaves an empty store (see `store::Loader`). The
//! work is `ops::load`; this file finds the dump and says what happened.

use std::io::Seek;
use std::path::{Path, PathBuf};
use std::time::Instant;

use super::output::note;
use super::{CliError, StoreArgs};
use crate::ops::load::{self, LoadError};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The dump; `-` reads stdin.
    file: PathBuf,
}

/// The dump as a file that can be read twice (stdin is copied first).
fn source(args: &Args) -> Result<(String, std::fs::File), CliError> {
    if args.file == Path::new("-") {
        let failed = |e: std::io::Error| CliError::Input {
            path: PathBuf::from("-"),
            reason: e.to_string(),
        };
        let mut copy = tempfile::tempfile().map_err(failed)?;
        std::io::copy(&mut std::io::stdin().lock(), &mut copy).map_err(failed)?;
        copy.rewind().map_err(failed)?;
        return Ok(("stdin".into(), copy));
    }
    let file = std::fs::File::open(&args.file).map_err(|e| CliError::Input {
        path: args.file.clone(),
        reason: e.to_string(),
    })?;
    Ok((args.file.display().to_string(), file))
}

pub fn run(store_path: &StoreArgs, args: Args) -> anyhow::Result<()> {
    let started = Instant::now();
    let store = store_path.open_for_bulk()?;
    load::ensure_empty(&store)?;
    let (name, mut file) = source(&args)?;
    let done = load::load(&store, &name, &mut file).map_err(|e| -> anyhow::Error {
        match e {
            LoadError::Invalid(text) => CliError::Invalid(text).into(),
            LoadError::Unreadable { reason, .. } => CliError::Input {
                path: args.file.clone(),
                reason,
            }
            .into(),
            LoadError::Store(e) => e.into(),
        }
    })?;
    note(format_args!(
        "loaded {} records and {} history entries from {name} ({:.1} s)",
        done.records,
        done.history,
        started.elapsed().as_secs_f64()
    ));
    Ok(())
}
