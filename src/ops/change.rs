//! Changes to several records at once, by id (the console's visual mode,
//! `3dd`, `:set`), each as one store batch so one undo takes it back; and
//! what a batch did, in words, for the messages of undo and redo.

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

/// What a batch changed, in a few words for "undone: ...": `status of news
/// X`, `adding member Y`, `deleting 3 members`, `changes to 2 meetings`.
/// `inverse` describes the change the batch reverted (for a redo, whose
/// batch is an undo's).
pub fn describe(store: &Store, batch: Uuid, inverse: bool) -> Result<String, StoreError> {
    let mut entries = store.batch_history(batch)?;
    if inverse {
        for e in &mut entries {
            std::mem::swap(&mut e.before, &mut e.after);
        }
    }
    Ok(describe_entries(&entries))
}

fn describe_entries(entries: &[crate::store::HistoryEntry]) -> String {
    use crate::model::text::sanitize_for_message;
    let Some(first) = entries.first() else {
        return "nothing".to_string();
    };
    let c = first.collection;
    let one_collection = entries.iter().all(|e| e.collection == c);
    if entries.len() == 1 {
        let key = sanitize_for_message(&first.key);
        return match (&first.before, &first.after) {
            (None, _) => format!("adding {} {key}", c.singular()),
            (_, None) => format!("deleting {} {key}", c.singular()),
            (Some(before), Some(after)) => {
                let fields = changed_fields(before, after);
                if fields.is_empty() {
                    format!("a change to {} {key}", c.singular())
                } else {
                    format!("{} of {} {key}", fields.join(", "), c.singular())
                }
            }
        };
    }
    let n = entries.len();
    let what = if one_collection {
        c.plural().to_string()
    } else {
        "records".to_string()
    };
    if entries.iter().all(|e| e.before.is_none()) {
        format!("adding {n} {what}")
    } else if entries.iter().all(|e| e.after.is_none()) {
        format!("deleting {n} {what}")
    } else {
        format!("changes to {n} {what}")
    }
}

/// The top-level fields whose values differ, in the record's order.
fn changed_fields(before: &serde_json::Value, after: &serde_json::Value) -> Vec<String> {
    let (Some(before), Some(after)) = (before.as_object(), after.as_object()) else {
        return Vec::new();
    };
    after
        .iter()
        .filter(|(k, v)| k.as_str() != "id" && before.get(k.as_str()) != Some(v))
        .map(|(k, _)| k.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::describe_entries;
    use crate::model::Collection;
    use crate::store::HistoryEntry;
    use serde_json::json;

    fn entry(
        c: Collection,
        key: &str,
        before: Option<serde_json::Value>,
        after: Option<serde_json::Value>,
    ) -> HistoryEntry {
        HistoryEntry {
            batch: uuid::Uuid::nil(),
            seq: 0,
            at: jiff::Timestamp::UNIX_EPOCH,
            who: "me".into(),
            collection: c,
            id: uuid::Uuid::now_v7(),
            key: key.into(),
            before,
            after,
        }
    }

    #[test]
    fn a_batch_is_said_by_what_it_did() {
        let n = Collection::News;
        let one = [entry(
            n,
            "x",
            Some(json!({"id": 1, "status": "draft", "title": "T"})),
            Some(json!({"id": 1, "status": "published", "title": "T"})),
        )];
        assert_eq!(describe_entries(&one), "status of news item x");
        let added = [entry(n, "x", None, Some(json!({})))];
        assert_eq!(describe_entries(&added), "adding news item x");
        let gone: Vec<_> = (0..3)
            .map(|i| entry(Collection::Members, &i.to_string(), Some(json!({})), None))
            .collect();
        assert_eq!(describe_entries(&gone), "deleting 3 members");
        let mixed = [
            entry(n, "a", None, Some(json!({}))),
            entry(
                Collection::Meetings,
                "b",
                Some(json!({"a": 1})),
                Some(json!({"a": 2})),
            ),
        ];
        assert_eq!(describe_entries(&mixed), "changes to 2 records");
    }
}
