//! `clusterdesk rm C KEY...`: all named records or none.

use crate::model::Collection;

use super::output::note;
use super::{CliError, StoreArgs};
use crate::each_record;
use crate::model::Record;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[arg(value_enum)]
    collection: Collection,
    /// Keys of the records to remove.
    #[arg(required = true)]
    keys: Vec<String>,
}

pub fn run(store: &StoreArgs, args: Args) -> anyhow::Result<()> {
    let collection = args.collection;
    each_record!(type of collection, R => rm::<R>(store, &args.keys))
}

fn rm<R: Record>(store: &StoreArgs, keys: &[String]) -> anyhow::Result<()> {
    // All or none: a key named twice would remove the record, then find it
    // gone ("no member with code LT1"). Said as what it is, nothing removed:
    // a repeated key in a script's list is more likely a mistake than meant.
    let mut seen = std::collections::HashSet::new();
    for key in keys {
        let normal = R::normalize_key(key);
        if !seen.insert(normal.clone()) {
            return Err(
                CliError::Usage(format!("{normal} is named twice; nothing removed")).into(),
            );
        }
    }
    let store = store.open()?;
    let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
    let removed = store.remove::<R>(&keys)?;
    let names: Vec<String> = removed.iter().map(Record::key).collect();
    let what = if removed.len() == 1 {
        R::COLLECTION.singular()
    } else {
        R::COLLECTION.as_str()
    };
    note(format_args!(
        "removed {} {what}: {}",
        removed.len(),
        names.join(", ")
    ));
    Ok(())
}
