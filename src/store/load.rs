//! Loading a whole store from a dump (`clusterdesk load`): records keep
//! their ids and history entries their batch, author and time, so the store
//! comes back as it was. A load only goes into an empty store, and is
//! marked in `meta` while it runs: a store opened with the mark still there
//! (the loader died) is emptied again, so a load is all there or not at all.

use crate::each_record;
use std::sync::MutexGuard;

use super::batch::Image;
use super::history::{HistoryEntry, StoredEntry, collection_tag, entry_key};
use super::{Engine, StoreError, codec};
use crate::model::record::validate;
use crate::model::text::{self, Lines};
use crate::model::{Collection, Context, FieldError, Member, Record};

const LOADING: &[u8] = b"loading";

/// What a load wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LoadSummary {
    pub records: usize,
    pub history: usize,
}

/// Writes a dump's records and history into an empty store; see the module
/// docs. Dropped before [`Loader::finish`], it empties the store again.
pub struct Loader<'s> {
    store: &'s Engine,
    _guard: MutexGuard<'s, ()>,
    ctx: Context,
    done: LoadSummary,
    finished: bool,
}

/// A history image (JSON, as the dump holds it) in its stored form.
fn image_bytes(c: Collection, json: &serde_json::Value) -> Result<Vec<u8>, String> {
    fn bytes<R: Record>(json: &serde_json::Value) -> Result<Vec<u8>, String> {
        let record = R::deserialize(json).map_err(|e| e.to_string())?;
        codec::encode(&record)
    }
    each_record!(type of c, R => bytes::<R>(json))
}

impl HistoryEntry {
    /// The text rules of records applied to an entry from a dump: its
    /// author and key, and every string (and field name) inside its before
    /// and after images, since `history` and the console show them. Dates,
    /// ids and batches are typed already.
    pub fn text_errors(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        for (field, value) in [("history who", &self.who), ("history key", &self.key)] {
            if let Err(e) = text::check_chars(field, value, Lines::One) {
                errors.push(e);
            }
        }
        for (side, image) in [("before", &self.before), ("after", &self.after)] {
            if let Some(json) = image {
                image_text(&format!("history {side}"), json, &mut errors);
            }
        }
        errors
    }
}

/// Every string in a history image, checked as the text of a multi-line
/// field (the walk does not know which fields are one line).
fn image_text(place: &str, json: &serde_json::Value, errors: &mut Vec<FieldError>) {
    match json {
        serde_json::Value::String(s) => {
            if let Err(e) = text::check_chars(place, s, Lines::Many) {
                errors.push(e);
            }
        }
        serde_json::Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                image_text(&format!("{place}[{i}]"), item, errors);
            }
        }
        serde_json::Value::Object(map) => {
            for (name, value) in map {
                let shown = text::sanitize_for_message(name);
                if let Err(e) = text::check_chars(&format!("{place}.{shown}"), name, Lines::One) {
                    errors.push(e);
                }
                image_text(&format!("{place}.{shown}"), value, errors);
            }
        }
        _ => {}
    }
}

impl Engine {
    /// Whether the store holds no record and no history.
    pub fn is_empty(&self) -> Result<bool, StoreError> {
        for tree in &self.all_trees {
            if tree.first().map_err(|e| self.storage(e))?.is_some() {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Starts loading a dump. Refused unless the store is empty: a load
    /// restores a store, it does not merge into one (imports do that).
    pub fn loader(&self) -> Result<Loader<'_>, StoreError> {
        let guard = self
            .write_lock
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if !self.is_empty()? {
            return Err(StoreError::NotEmpty {
                path: self.path.clone(),
            });
        }
        self.meta
            .insert(LOADING, &[])
            .map_err(|e| self.storage(e))?;
        self.flush()?;
        Ok(Loader {
            store: self,
            _guard: guard,
            ctx: Context {
                today: crate::model::date::today(),
            },
            done: LoadSummary::default(),
            finished: false,
        })
    }

    /// Empties a store whose load did not finish (see the module docs).
    pub(super) fn undo_unfinished_load(&self) -> Result<bool, StoreError> {
        if !self
            .meta
            .contains_key(LOADING)
            .map_err(|e| self.storage(e))?
        {
            return Ok(false);
        }
        self.clear_all()?;
        tracing::warn!("emptied a store whose load did not finish");
        Ok(true)
    }

    fn clear_all(&self) -> Result<(), StoreError> {
        for tree in &self.all_trees {
            tree.clear().map_err(|e| self.storage(e))?;
        }
        self.flush()?;
        self.meta.remove(LOADING).map_err(|e| self.storage(e))?;
        self.flush()
    }
}

impl Loader<'_> {
    /// Writes one record as it is, id included, after checking every rule,
    /// that its id and key are new and that the members it names were loaded
    /// before it.
    pub fn record<R: Record>(&mut self, record: R) -> Result<(), StoreError> {
        let store = self.store;
        let c = R::COLLECTION;
        let key = record.key();
        let invalid = |errors| StoreError::Invalid {
            collection: c,
            key: key.clone(),
            errors,
        };
        let mut errors = validate(&record, &self.ctx).err().unwrap_or_default();
        let trees = store.trees(c);
        let id = record.id();
        if trees
            .records
            .contains_key(id.as_bytes())
            .map_err(|e| store.storage(e))?
        {
            errors.push(FieldError::new("id", format!("{id} appears twice")));
        }
        if trees
            .by_key
            .contains_key(key.as_bytes())
            .map_err(|e| store.storage(e))?
        {
            errors.push(FieldError::new(
                c.key_name(),
                format!("{key} appears twice"),
            ));
        }
        for (field, code) in record.member_refs() {
            if !store.contains::<Member>(&code)? {
                errors.push(FieldError::new(
                    field,
                    format!("no member with code {code} before this line"),
                ));
            }
        }
        if !errors.is_empty() {
            return Err(invalid(errors));
        }
        let image = Image::of(&record).map_err(|e| store.corrupt("encoding", e))?;
        let storage = |e| store.storage(e);
        trees
            .records
            .insert(id.as_bytes(), image.bytes)
            .map_err(storage)?;
        trees
            .by_key
            .insert(image.key.as_bytes(), id.as_bytes())
            .map_err(storage)?;
        for (tree, k) in trees.sorts.iter().zip(image.sorts) {
            tree.insert(k, &[]).map_err(storage)?;
        }
        self.done.records += 1;
        Ok(())
    }

    /// Writes one history entry under its own batch and sequence number.
    pub fn history(&mut self, entry: HistoryEntry) -> Result<(), StoreError> {
        let store = self.store;
        let c = entry.collection;
        let bad = |field: &str, reason: String| StoreError::Invalid {
            collection: c,
            key: entry.key.clone(),
            errors: FieldError::new(format!("history {field}"), reason).into(),
        };
        let text_errors = entry.text_errors();
        if !text_errors.is_empty() {
            return Err(StoreError::Invalid {
                collection: c,
                key: text::sanitize_for_message(&entry.key),
                errors: crate::model::FieldErrors(text_errors),
            });
        }
        let image = |field: &str, json: &Option<serde_json::Value>| {
            json.as_ref()
                .map(|j| image_bytes(c, j))
                .transpose()
                .map_err(|e| bad(field, e))
        };
        let stored = StoredEntry {
            at: entry.at,
            who: entry.who.clone(),
            collection: collection_tag(c),
            id: entry.id,
            key: entry.key.clone(),
            before: image("before", &entry.before)?,
            after: image("after", &entry.after)?,
        };
        let key = entry_key(entry.batch, entry.seq);
        if store
            .history
            .contains_key(key)
            .map_err(|e| store.storage(e))?
        {
            return Err(bad(
                "seq",
                format!("batch {} entry {} appears twice", entry.batch, entry.seq),
            ));
        }
        let bytes = codec::encode(&stored).map_err(|e| store.corrupt("encoding", e))?;
        store
            .history
            .insert(key, bytes)
            .map_err(|e| store.storage(e))?;
        self.done.history += 1;
        Ok(())
    }

    /// What has been written so far.
    pub fn summary(&self) -> LoadSummary {
        self.done
    }

    /// Makes the load durable and lifts its mark.
    pub fn finish(mut self) -> Result<LoadSummary, StoreError> {
        self.store.flush()?;
        self.store
            .meta
            .remove(LOADING)
            .map_err(|e| self.store.storage(e))?;
        self.store.flush()?;
        self.finished = true;
        Ok(self.done)
    }
}

impl Drop for Loader<'_> {
    fn drop(&mut self) {
        if !self.finished
            && let Err(e) = self.store.clear_all()
        {
            // The mark is still there: the next open empties the store.
            tracing::error!("could not empty the store after a failed load: {e}");
        }
    }
}
