//! `clusterdesk set C KEY FIELD=VALUE...`: changes only the named fields.

use std::path::Path;

use super::{CollectionArg, assign, open_store, with_record};
use crate::model::Record;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[arg(value_enum)]
    collection: CollectionArg,
    /// The record's key: member code, slug, or CODE/YEAR for indicators.
    key: String,
    /// FIELD=VALUE pairs; an empty VALUE clears the field.
    #[arg(value_name = "FIELD=VALUE", required = true)]
    fields: Vec<String>,
}

pub fn run(store: Option<&Path>, args: Args) -> anyhow::Result<()> {
    let collection = args.collection.into();
    with_record!(collection, set(store, &args.key, &args.fields))
}

fn set<R: Record>(store: Option<&Path>, key: &str, fields: &[String]) -> anyhow::Result<()> {
    let store = open_store(store)?;
    let original: R = store.require(key)?;
    let mut record = original.clone();
    assign::apply(&mut record, fields)?;
    if record == original {
        eprintln!(
            "no changes to {} {}",
            R::COLLECTION.singular(),
            original.key()
        );
        return Ok(());
    }
    let stored = store.put(record)?;
    eprintln!("changed {} {}", R::COLLECTION.singular(), stored.key());
    Ok(())
}
