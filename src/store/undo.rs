//! Undo through the history: a batch is undone by a new batch that puts back
//! every record as it was before, so an undo is durable and itself undoable
//! (that is redo).

use crate::each_record;
use uuid::Uuid;

use super::history::StoredEntry;
use super::{BatchSummary, Engine, StoreError, codec};
use crate::model::Record;

impl Engine {
    /// Reverts every change of `batch` in one new batch, newest change first.
    /// Refused, writing nothing, when a record the batch touched has changed
    /// since (undo never overwrites someone's later edit).
    pub fn undo_batch(&self, batch: Uuid) -> Result<BatchSummary, StoreError> {
        self.undo_batch_by(batch, &self.who.clone())
            .map(|(summary, _)| summary)
    }

    /// [`Engine::undo_batch`] in the name of `who`; also returns the records
    /// it changed (see `Batch::changes`).
    pub fn undo_batch_by(
        &self,
        batch: Uuid,
        who: &str,
    ) -> Result<(BatchSummary, super::batch::Changes), StoreError> {
        let mut entries = Vec::new();
        for item in self.history.scan_prefix(batch.as_bytes()) {
            let (_, bytes) = item.map_err(|e| self.storage(e))?;
            let entry: StoredEntry =
                codec::decode(&bytes).map_err(|e| self.corrupt("history entry", e))?;
            entries.push(entry);
        }
        if entries.is_empty() {
            return Err(StoreError::NoSuchBatch { batch });
        }
        let mut undo = self.batch();
        undo.set_author(who);
        for entry in entries.iter().rev() {
            let collection = super::history::collection_of(entry.collection).ok_or_else(|| {
                self.corrupt(
                    "history entry",
                    format!("unknown collection tag {}", entry.collection),
                )
            })?;
            each_record!(type of collection, R => revert::<R>(self, &mut undo, entry)?);
        }
        undo.commit_listing()
    }
}

fn revert<R: Record>(
    store: &Engine,
    undo: &mut super::batch::Batch<'_>,
    entry: &StoredEntry,
) -> Result<(), StoreError> {
    let current: Option<R> = undo.current(entry.id)?;
    let after: Option<R> = entry
        .after
        .as_deref()
        .map(|b| store.decode::<R>(entry.id.as_bytes(), b))
        .transpose()?;
    if current != after {
        return Err(StoreError::ChangedSince {
            collection: R::COLLECTION,
            key: entry.key.clone(),
        });
    }
    match entry.before.as_deref() {
        Some(bytes) => {
            let before: R = store.decode(entry.id.as_bytes(), bytes)?;
            undo.restore(before)?;
        }
        None => {
            if let Some(current) = current {
                undo.remove::<R>(&current.key())?;
            }
        }
    }
    Ok(())
}
