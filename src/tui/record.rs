//! A record of any collection, for the parts of the console that hold one
//! record at a time (the detail pane, a new record's form).

use crate::each_record;
use uuid::Uuid;

use crate::model::{Collection, IntoAny};
use crate::ops::save::{Over, save_any};
use crate::store::{Store, StoreError};

pub use crate::model::AnyRecord;

impl AnyRecord {
    /// A blank record of a collection, for a new-record form.
    pub fn empty(collection: Collection) -> AnyRecord {
        AnyRecord::empty_with_id(collection, Uuid::now_v7())
    }

    pub fn load(
        store: &Store,
        collection: Collection,
        id: Uuid,
    ) -> Result<Option<AnyRecord>, StoreError> {
        each_record!(type of collection, R => Ok(store.get_by_id::<R>(id)?.map(IntoAny::into_any)))
    }

    /// Stores the record (validated by the store) in a batch of its own;
    /// returns it as stored and the batch id for undo.
    pub fn put(&self, store: &Store) -> Result<(AnyRecord, Option<Uuid>), StoreError> {
        let saved = save_any(store, self, Over::Anything)?;
        Ok((saved.record, saved.batch))
    }

    /// [`AnyRecord::put`], only if the stored record is still `base` (the
    /// record the edit began from), or absent when `base` is None; else a
    /// `StoreError::Conflict`.
    pub fn put_over(
        &self,
        store: &Store,
        base: Option<&AnyRecord>,
    ) -> Result<(AnyRecord, Option<Uuid>), StoreError> {
        let saved = save_any(store, self, Over::Unchanged(base))?;
        Ok((saved.record, saved.batch))
    }
}
