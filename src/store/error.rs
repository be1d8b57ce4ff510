//! What can go wrong at the store's door, said so a coordinator knows what to do.

use std::path::PathBuf;

use crate::model::{Collection, FieldErrors};

#[derive(Debug, Clone, PartialEq, thiserror::Error, serde::Serialize, serde::Deserialize)]
pub enum StoreError {
    #[error(
        "the store {} is in use by another clusterdesk process; try again when it has finished",
        path.display()
    )]
    Busy { path: PathBuf },

    #[error("cannot open the store {}: {reason}", path.display())]
    Open { path: PathBuf, reason: String },

    #[error(
        "the store {} was written by a newer clusterdesk (schema {found}; this one knows up to {supported})",
        path.display()
    )]
    NewerSchema {
        path: PathBuf,
        found: u32,
        supported: u32,
    },

    #[error("{}", invalid_lines(*collection, key, errors))]
    Invalid {
        collection: Collection,
        key: String,
        errors: FieldErrors,
    },

    #[error("no {} with {} {key}", collection.singular(), collection.key_name())]
    NotFound { collection: Collection, key: String },

    #[error("{} {key} cannot be removed: {}; remove those first, or set its status instead", collection.singular(), by.join(", "))]
    Referenced {
        collection: Collection,
        key: String,
        by: Vec<String>,
    },

    #[error(
        "the store {} already holds records or history; a dump loads only into an empty store (give --store NEW_DIR)",
        path.display()
    )]
    NotEmpty { path: PathBuf },

    #[error(
        "{} {key} was changed by someone else since it was read; nothing saved",
        collection.singular()
    )]
    Conflict {
        collection: Collection,
        key: String,
        /// The record as it is now (None: removed).
        theirs: Option<Box<crate::model::AnyRecord>>,
    },

    #[error("no change batch {batch} in the history")]
    NoSuchBatch { batch: uuid::Uuid },

    #[error("{} {key} has changed since; undo would overwrite the later change", collection.singular())]
    ChangedSince { collection: Collection, key: String },

    #[error(
        "the store {} holds a value it cannot read ({what}): {reason}; {RESTORE}",
        path.display()
    )]
    Corrupt {
        path: PathBuf,
        what: String,
        reason: String,
    },

    /// sled found its own files damaged (a checksum that does not match).
    #[error(
        "the store {} is damaged: {} cannot be read ({reason}); {RESTORE}",
        path.display(),
        file.display()
    )]
    Damaged {
        path: PathBuf,
        file: PathBuf,
        reason: String,
    },

    #[error("the store {} failed: {reason}", path.display())]
    Storage { path: PathBuf, reason: String },

    /// The files' modes keep this user out.
    #[error(
        "you are not allowed to use the store {}: {reason}",
        path.display()
    )]
    NotAllowed { path: PathBuf, reason: String },

    /// Whoever holds the store refused the request (a client over its
    /// limits, a request of the wrong shape): sent to the client as is.
    #[error("the clusterdesk server of {} refused this client: {reason}", path.display())]
    Refused { path: PathBuf, reason: String },

    /// The store cannot be reached through the backend in use (the one
    /// that holds it could not be started, stopped, or the connection was
    /// lost): the backend says why in `message` (see `server::LinkError`),
    /// and which exit code the CLI gives it.
    #[error("{message}")]
    Unreachable {
        path: PathBuf,
        message: String,
        exit_code: i32,
    },
}

/// What to do with a damaged store.
const RESTORE: &str = "restore it from a dump into a new store (`clusterdesk --store NEW_DIR load BACKUP.jsonl`) and use that";

impl StoreError {
    /// The exit code for the CLI contract (see DESIGN.md).
    pub fn exit_code(&self) -> i32 {
        match self {
            StoreError::Busy { .. } => 75,
            StoreError::Invalid { .. } => 65,
            StoreError::Damaged { .. } | StoreError::Corrupt { .. } => 74,
            StoreError::Unreachable { exit_code, .. } => *exit_code,
            _ => 1,
        }
    }
}

/// One line per broken rule, each naming the record: `members LT1: name: ...`.
fn invalid_lines(collection: Collection, key: &str, errors: &FieldErrors) -> String {
    let name = if key.is_empty() {
        collection.to_string()
    } else {
        format!("{collection} {key}")
    };
    errors
        .0
        .iter()
        .map(|e| format!("{name}: {e}"))
        .collect::<Vec<_>>()
        .join("\n")
}
