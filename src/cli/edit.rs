//! `clusterdesk edit C KEY [--force]`: the record as TOML in
//! `$VISUAL`/`$EDITOR`/`vi` (see `crate::editor`). The store is open only to
//! read and to save, not while the editor runs (an edit can take minutes).
//! A record someone changed during the edit is a conflict: nothing is
//! saved, exit 1, and the edited form is kept.

use crate::model::Collection;

use super::output::note;
use super::{CliError, StoreArgs};
use crate::each_record;
use crate::editor::{self, EditError, Edited, SaveOutcome};
use crate::model::Record;
use crate::ops::save::{Over, save};
use crate::store::StoreError;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[arg(value_enum)]
    collection: Collection,
    /// The record's key: member code, slug, or CODE/YEAR for indicators.
    key: String,
    /// Save even if someone changed the record during the edit.
    #[arg(long)]
    force: bool,
}

pub fn run(store: &StoreArgs, args: Args) -> anyhow::Result<()> {
    let collection = args.collection;
    each_record!(type of collection, R => edit::<R>(store, &args.key, args.force))
}

fn edit<R: Record>(store_path: &StoreArgs, key: &str, force: bool) -> anyhow::Result<()> {
    let original: R = store_path.open()?.require(key)?;
    let save_form = |record: R| -> SaveOutcome<R> {
        let store = match store_path.open() {
            Ok(s) => s,
            Err(e) => return SaveOutcome::Fatal(format!("{e:#}")),
        };
        let over = if force {
            Over::Anything
        } else {
            Over::Unchanged(Some(&original))
        };
        match save(&store, record, over) {
            Ok(saved) => SaveOutcome::Saved(saved.record),
            Err(e @ StoreError::Conflict { .. }) => {
                SaveOutcome::Fatal(format!("{e} (edit again, or save with --force)"))
            }
            Err(StoreError::Invalid { errors, .. }) => SaveOutcome::Invalid(errors.to_string()),
            Err(e) => SaveOutcome::Fatal(e.to_string()),
        }
    };
    let signals = crate::signals::Signals::install()
        .map_err(|e| CliError::Failed(format!("cannot handle signals: {e}")))?;
    match editor::edit(&original, &signals, save_form) {
        Ok(Edited::Saved(stored)) => {
            note(format_args!(
                "changed {} {}",
                R::COLLECTION.singular(),
                stored.key()
            ));
            Ok(())
        }
        Ok(Edited::Unchanged) => {
            note(format_args!(
                "no changes to {} {}",
                R::COLLECTION.singular(),
                original.key()
            ));
            Ok(())
        }
        Err(EditError::Abandoned(errors)) => {
            Err(CliError::Invalid(format!("edit abandoned, nothing written:\n{errors}")).into())
        }
        Err(EditError::FormUnreadable { path, reason }) => {
            Err(CliError::Input { path, reason }.into())
        }
        Err(EditError::Stopped(stopped)) => Err(stopped.into()),
        Err(e) => Err(CliError::Failed(e.to_string()).into()),
    }
}
