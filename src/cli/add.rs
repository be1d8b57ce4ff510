//! `clusterdesk add C FIELD=VALUE...`

use std::path::Path;

use uuid::Uuid;

use super::output::note;
use super::{CollectionArg, assign, open_store};
use crate::each_record;
use crate::model::Record;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[arg(value_enum)]
    collection: CollectionArg,
    /// FIELD=VALUE pairs; list fields take `a,b` or `a;b`.
    #[arg(value_name = "FIELD=VALUE", required = true)]
    fields: Vec<String>,
}

pub fn run(store: Option<&Path>, args: Args) -> anyhow::Result<()> {
    let collection = args.collection.into();
    each_record!(type of collection, R => add::<R>(store, &args.fields))
}

fn add<R: Record>(store: Option<&Path>, fields: &[String]) -> anyhow::Result<()> {
    let mut record = R::empty(Uuid::now_v7());
    assign::apply(&mut record, fields)?;
    let store = open_store(store)?;
    let stored = store.put(record)?;
    note(format_args!(
        "added {} {}",
        R::COLLECTION.singular(),
        stored.key()
    ));
    Ok(())
}
