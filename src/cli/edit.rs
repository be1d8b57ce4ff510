//! `clusterdesk edit C KEY`: the record as TOML in `$VISUAL`/`$EDITOR`/`vi`
//! (see `crate::editor`). The store is open only to read and to save, never
//! while the editor runs: an edit can take minutes, and sled lets one
//! process in at a time.

use std::path::Path;

use super::{CliError, CollectionArg, open_store, with_record};
use crate::editor::{self, EditError, Edited, SaveOutcome};
use crate::model::Record;
use crate::store::StoreError;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[arg(value_enum)]
    collection: CollectionArg,
    /// The record's key: member code, slug, or CODE/YEAR for indicators.
    key: String,
}

pub fn run(store: Option<&Path>, args: Args) -> anyhow::Result<()> {
    let collection = args.collection.into();
    with_record!(collection, edit(store, &args.key))
}

fn edit<R: Record>(store_path: Option<&Path>, key: &str) -> anyhow::Result<()> {
    let original: R = open_store(store_path)?.require(key)?;
    let save = |record: R| -> SaveOutcome<R> {
        let store = match open_store(store_path) {
            Ok(s) => s,
            Err(e) => return SaveOutcome::Fatal(format!("{e:#}")),
        };
        match store.get_by_id::<R>(original.id()) {
            Ok(current) if current.as_ref() == Some(&original) => {}
            Ok(_) => {
                return SaveOutcome::Fatal(format!(
                    "{} {} was changed or removed by someone else during the edit; nothing written",
                    R::COLLECTION.singular(),
                    original.key()
                ));
            }
            Err(e) => return SaveOutcome::Fatal(e.to_string()),
        }
        match store.put(record) {
            Ok(stored) => SaveOutcome::Saved(stored),
            Err(StoreError::Invalid { errors, .. }) => SaveOutcome::Invalid(errors.to_string()),
            Err(e) => SaveOutcome::Fatal(e.to_string()),
        }
    };
    match editor::edit(&original, save) {
        Ok(Edited::Saved(stored)) => {
            eprintln!("changed {} {}", R::COLLECTION.singular(), stored.key());
            Ok(())
        }
        Ok(Edited::Unchanged) => {
            eprintln!(
                "no changes to {} {}",
                R::COLLECTION.singular(),
                original.key()
            );
            Ok(())
        }
        Err(EditError::Abandoned(errors)) => {
            Err(CliError::Invalid(format!("edit abandoned, nothing written:\n{errors}")).into())
        }
        Err(EditError::FormUnreadable { path, reason }) => {
            Err(CliError::Input { path, reason }.into())
        }
        Err(e) => Err(CliError::Failed(e.to_string()).into()),
    }
}
