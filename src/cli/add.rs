//! `clusterdesk add C FIELD=VALUE...`

use crate::model::Collection;

use uuid::Uuid;

use super::output::note;
use super::{StoreArgs, assign};
use crate::each_record;
use crate::model::Record;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[arg(value_enum)]
    collection: Collection,
    /// FIELD=VALUE pairs; list fields take `a,b` or `a;b`.
    #[arg(value_name = "FIELD=VALUE", required = true)]
    fields: Vec<String>,
}

pub fn run(store: &StoreArgs, args: Args) -> anyhow::Result<()> {
    let collection = args.collection;
    each_record!(type of collection, R => add::<R>(store, &args.fields))
}

fn add<R: Record>(store: &StoreArgs, fields: &[String]) -> anyhow::Result<()> {
    let mut record = R::empty(Uuid::now_v7());
    assign::apply(&mut record, fields)?;
    let store = store.open()?;
    let stored = store.put(record)?;
    note(format_args!(
        "added {} {}",
        R::COLLECTION.singular(),
        stored.key()
    ));
    Ok(())
}
