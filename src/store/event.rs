//! What others did to the store, as a client of a shared store hears it.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::model::Collection;

/// What changed, told to every other client as it happens.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Event {
    Changed {
        by: String,
        batch: Uuid,
        /// The records changed; None when there were too many to list
        /// (read the collections again).
        records: Option<Vec<(Collection, Uuid)>>,
    },
    /// How many clients are connected now.
    Clients(u32),
}
