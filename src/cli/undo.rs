//! `clusterdesk undo BATCH`: reverts a batch (an edit, a bulk change, later
//! an import) as a new batch, which can itself be undone.

use uuid::Uuid;

use super::output::note;
use super::{CliError, StoreArgs};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The batch id, as `clusterdesk history` shows it.
    batch: String,
}

pub fn run(store: &StoreArgs, args: Args) -> anyhow::Result<()> {
    let batch = Uuid::parse_str(args.batch.trim()).map_err(|_| {
        CliError::Usage(format!(
            "\"{}\" is not a batch id (clusterdesk history lists them)",
            crate::model::text::sanitize_for_message(&args.batch)
        ))
    })?;
    let store = store.open()?;
    let summary = store.undo_batch(batch)?;
    let n = summary.created + summary.updated + summary.removed;
    note(format_args!(
        "undid batch {batch}: {n} change{} reverted (as batch {}, which `clusterdesk undo` can revert in turn)",
        if n == 1 { "" } else { "s" },
        summary.id
    ));
    Ok(())
}
