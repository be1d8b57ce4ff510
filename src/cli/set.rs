//! `clusterdesk set C KEY FIELD=VALUE...`: changes only the named fields.

use crate::model::Collection;

use super::output::note;
use super::{StoreArgs, assign};
use crate::each_record;
use crate::model::Record;
use crate::ops::save::{Over, save};
use crate::store::StoreError;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[arg(value_enum)]
    collection: Collection,
    /// The record's key: member code, slug, or CODE/YEAR for indicators.
    key: String,
    /// FIELD=VALUE pairs; an empty VALUE clears the field.
    #[arg(value_name = "FIELD=VALUE", required = true)]
    fields: Vec<String>,
    /// Save even if someone changed the record since it was read.
    #[arg(long)]
    force: bool,
}

pub fn run(store: &StoreArgs, args: Args) -> anyhow::Result<()> {
    let collection = args.collection;
    each_record!(type of collection, R => set::<R>(store, &args.key, &args.fields, args.force))
}

fn set<R: Record>(
    store: &StoreArgs,
    key: &str,
    fields: &[String],
    force: bool,
) -> anyhow::Result<()> {
    let store = store.open()?;
    let original: R = store.require(key)?;
    let mut record = original.clone();
    assign::apply(&mut record, fields)?;
    if record == original {
        note(format_args!(
            "no changes to {} {}",
            R::COLLECTION.singular(),
            original.key()
        ));
        return Ok(());
    }
    // Read, change, save: another client's save in between is a conflict.
    let over = if force {
        Over::Anything
    } else {
        Over::Unchanged(Some(&original))
    };
    let stored = save(&store, record, over).map_err(conflict_hint)?.record;
    note(format_args!(
        "changed {} {}",
        R::COLLECTION.singular(),
        stored.key()
    ));
    Ok(())
}

/// A conflict, with what to do about it.
pub fn conflict_hint(e: StoreError) -> anyhow::Error {
    match e {
        StoreError::Conflict { .. } => {
            anyhow::anyhow!("{e}: look at it again, or repeat with --force")
        }
        other => other.into(),
    }
}
