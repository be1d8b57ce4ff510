//! Changes the console makes to several records at once (visual mode, `3dd`),
//! each as one store batch, so one `u` undoes it.

use uuid::Uuid;

use crate::each_record;
use crate::model::{Collection, FieldErrors, Record};
use crate::store::{Store, StoreError};

/// Removes the records with these ids, all or none. Returns the batch id.
pub fn delete(
    store: &Store,
    collection: Collection,
    ids: &[Uuid],
) -> Result<Option<Uuid>, StoreError> {
    fn delete<R: Record>(store: &Store, ids: &[Uuid]) -> Result<Option<Uuid>, StoreError> {
        let mut batch = store.batch();
        for &id in ids {
            if let Some(r) = store.get_by_id::<R>(id)? {
                batch.remove::<R>(&r.key())?;
            }
        }
        let summary = batch.commit()?;
        Ok((summary.removed > 0).then_some(summary.id))
    }
    each_record!(type of collection, R => delete::<R>(store, ids))
}

/// Sets each field to its value on every record, as one batch, all or
/// none. Returns the batch id, or None when nothing changed.
pub fn set_fields(
    store: &Store,
    collection: Collection,
    ids: &[Uuid],
    assignments: &[(String, String)],
) -> Result<Option<Uuid>, StoreError> {
    fn set<R: Record>(
        store: &Store,
        ids: &[Uuid],
        assignments: &[(String, String)],
    ) -> Result<Option<Uuid>, StoreError> {
        let mut batch = store.batch();
        for &id in ids {
            let Some(base) = store.get_by_id::<R>(id)? else {
                continue;
            };
            let mut r = base.clone();
            for (field, value) in assignments {
                r.set_text(field, value).map_err(|e| StoreError::Invalid {
                    collection: R::COLLECTION,
                    key: r.key(),
                    errors: FieldErrors::from(e),
                })?;
            }
            // Someone's save between our read and this batch is a conflict:
            // the whole change is refused, never written over theirs.
            batch.put_if(r, &base)?;
        }
        let summary = batch.commit()?;
        Ok((summary.created + summary.updated > 0).then_some(summary.id))
    }
    each_record!(type of collection, R => set::<R>(store, ids, assignments))
}

/// The records a batch touched, by collection, to refresh after an undo.
pub fn touched(store: &Store, batch: Uuid) -> Result<Vec<(Collection, Uuid)>, StoreError> {
    Ok(store
        .batch_history(batch)?
        .into_iter()
        .map(|e| (e.collection, e.id))
        .collect())
}
