//! A record of any collection, for the parts of the console that hold one
//! record at a time (the detail pane, a new record's form).

use uuid::Uuid;

use crate::model::{Collection, Record};
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
        Ok(match collection {
            Collection::Members => store.get_by_id(id)?.map(AnyRecord::Member),
            Collection::Indicators => store.get_by_id(id)?.map(AnyRecord::Indicator),
            Collection::News => store.get_by_id(id)?.map(AnyRecord::News),
            Collection::Meetings => store.get_by_id(id)?.map(AnyRecord::Meeting),
        })
    }

    /// Stores the record (validated by the store) in a batch of its own;
    /// returns it as stored and the batch id for undo.
    pub fn put(&self, store: &Store) -> Result<(AnyRecord, Option<Uuid>), StoreError> {
        fn put<R: Record>(
            store: &Store,
            r: &R,
            wrap: fn(R) -> AnyRecord,
        ) -> Result<(AnyRecord, Option<Uuid>), StoreError> {
            let mut batch = store.batch();
            let stored = batch.put(r.clone())?;
            let summary = batch.commit()?;
            let changed = summary.created + summary.updated + summary.removed > 0;
            Ok((wrap(stored), changed.then_some(summary.id)))
        }
        match self {
            AnyRecord::Member(r) => put(store, r, AnyRecord::Member),
            AnyRecord::Indicator(r) => put(store, r, AnyRecord::Indicator),
            AnyRecord::News(r) => put(store, r, AnyRecord::News),
            AnyRecord::Meeting(r) => put(store, r, AnyRecord::Meeting),
        }
    }
}
