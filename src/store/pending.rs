//! Imports too large for one transaction are written in chunks under one
//! batch id, marked pending in `meta` until the last chunk is written. A
//! store opened with a mark still there (the writer died: kill -9, power
//! cut) rolls that batch back from its history entries, so an import is
//! all there or not there at all.

use crate::each_record;
use sled::transaction::{TransactionError, Transactional};
use uuid::Uuid;

use super::batch::Image;
use super::history::{StoredEntry, collection_of};
use super::{Engine, StoreError, codec};
use crate::model::{Collection, Record};

const PENDING: &[u8] = b"pending/";

/// Entries rolled back per transaction.
const CHUNK: usize = 1_000;

fn marker(batch: Uuid) -> Vec<u8> {
    let mut key = PENDING.to_vec();
    key.extend_from_slice(batch.as_bytes());
    key
}

/// The index entries of a stored image, worked out from the record in it.
fn image(c: Collection, bytes: &[u8]) -> Result<Image, String> {
    fn of<R: Record>(bytes: &[u8]) -> Result<Image, String> {
        let record: R = codec::decode(bytes)?;
        Image::of(&record)
    }
    each_record!(type of c, R => of::<R>(bytes))
}

/// One entry to roll back, prepared outside the transaction.
struct Undo {
    history_key: Vec<u8>,
    collection: Collection,
    id: Uuid,
    before: Option<Image>,
    after: Option<Image>,
}

impl Engine {
    pub(super) fn begin_pending(&self, batch: Uuid) -> Result<(), StoreError> {
        self.meta
            .insert(marker(batch), &[])
            .map_err(|e| self.storage(e))?;
        self.flush()
    }

    pub(super) fn end_pending(&self, batch: Uuid) -> Result<(), StoreError> {
        self.meta
            .remove(marker(batch))
            .map_err(|e| self.storage(e))?;
        self.flush()
    }

    /// Rolls back every batch still marked pending (see the module docs).
    pub(super) fn roll_back_pending(&self) -> Result<usize, StoreError> {
        let mut batches = Vec::new();
        for item in self.meta.scan_prefix(PENDING) {
            let (key, _) = item.map_err(|e| self.storage(e))?;
            let id = Uuid::from_slice(&key[PENDING.len()..])
                .map_err(|_| self.corrupt("pending batch mark", "not a batch id"))?;
            batches.push(id);
        }
        for &batch in &batches {
            self.roll_back(batch)?;
            tracing::warn!(%batch, "rolled back an unfinished import");
        }
        Ok(batches.len())
    }

    pub(super) fn roll_back(&self, batch: Uuid) -> Result<(), StoreError> {
        let mut undo = Vec::new();
        for item in self.history.scan_prefix(batch.as_bytes()) {
            let (key, bytes) = item.map_err(|e| self.storage(e))?;
            let entry: StoredEntry =
                codec::decode(&bytes).map_err(|e| self.corrupt("history entry", e))?;
            let collection = collection_of(entry.collection)
                .ok_or_else(|| self.corrupt("history entry", "unknown collection"))?;
            let img = |b: &Option<Vec<u8>>| {
                b.as_deref()
                    .map(|b| image(collection, b))
                    .transpose()
                    .map_err(|e| self.corrupt("history image", e))
            };
            undo.push(Undo {
                history_key: key.to_vec(),
                collection,
                id: entry.id,
                before: img(&entry.before)?,
                after: img(&entry.after)?,
            });
        }
        // Newest first, chunk by chunk; every step is idempotent, so a crash
        // during the roll-back is finished by the next open.
        undo.reverse();
        let history_slot = self.all_trees.len() - 1;
        for chunk in undo.chunks(CHUNK) {
            let result: Result<(), TransactionError<()>> =
                self.all_trees.as_slice().transaction(|views| {
                    for u in chunk {
                        let base = self.tree_index(u.collection);
                        let (records, by_key, sorts) =
                            (&views[base], &views[base + 1], &views[base + 2..]);
                        if let Some(after) = &u.after {
                            by_key.remove(after.key.as_bytes())?;
                            for (tree, k) in sorts.iter().zip(&after.sorts) {
                                tree.remove(k.as_slice())?;
                            }
                            records.remove(u.id.as_bytes())?;
                        }
                        if let Some(before) = &u.before {
                            records.insert(u.id.as_bytes(), before.bytes.as_slice())?;
                            by_key.insert(before.key.as_bytes(), u.id.as_bytes())?;
                            for (tree, k) in sorts.iter().zip(&before.sorts) {
                                tree.insert(k.as_slice(), &[])?;
                            }
                        }
                        views[history_slot].remove(u.history_key.as_slice())?;
                    }
                    Ok(())
                });
            result.map_err(|e| match e {
                TransactionError::Abort(()) => self.corrupt("roll-back", "aborted"),
                TransactionError::Storage(e) => self.storage(e),
            })?;
            self.flush()?;
        }
        self.end_pending(batch)
    }
}
