//! Saving one record in a batch of its own, with or without the check that
//! nobody changed it meanwhile: the one save `set`, `edit`, the console's
//! fields, its `e` and a conflict's resolution all use.

use uuid::Uuid;

use crate::model::{AnyRecord, Record};
use crate::store::{Store, StoreError};

/// What the save is checked against.
#[derive(Debug, Clone, Copy)]
pub enum Over<'a, R> {
    /// Whatever is stored (a new record; `--force`).
    Anything,
    /// Only if the stored record is still this one (what the edit began
    /// from), or absent for None (they removed it and it is saved again);
    /// else `StoreError::Conflict`, carrying theirs.
    Unchanged(Option<&'a R>),
}

/// A saved record, as the store keeps it, and the batch that undoes the
/// save (None when it changed nothing).
#[derive(Debug, Clone, PartialEq)]
pub struct Saved<R> {
    pub record: R,
    pub batch: Option<Uuid>,
}

pub fn save<R: Record>(store: &Store, record: R, over: Over<R>) -> Result<Saved<R>, StoreError> {
    let mut batch = store.batch();
    let stored = match over {
        Over::Anything => batch.put(record)?,
        Over::Unchanged(base) => batch.put_over(record, base)?,
    };
    let summary = batch.commit()?;
    let changed = summary.created + summary.updated + summary.removed > 0;
    Ok(Saved {
        record: stored,
        batch: changed.then_some(summary.id),
    })
}

/// [`save`] of a record of any collection (the console's detail holds one).
pub fn save_any(
    store: &Store,
    record: &AnyRecord,
    over: Over<AnyRecord>,
) -> Result<Saved<AnyRecord>, StoreError> {
    fn typed<R: Record>(
        store: &Store,
        record: &R,
        over: Over<AnyRecord>,
    ) -> Result<Saved<AnyRecord>, StoreError> {
        let base = match over {
            Over::Anything => None,
            Over::Unchanged(base) => Some(base.cloned().and_then(R::from_any)),
        };
        let over = match &base {
            None => Over::Anything,
            Some(base) => Over::Unchanged(base.as_ref()),
        };
        let saved = save(store, record.clone(), over)?;
        Ok(Saved {
            record: saved.record.into_any(),
            batch: saved.batch,
        })
    }
    crate::each_record!(record, r => typed(store, r, over))
}
