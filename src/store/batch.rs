//! The write path: changes are checked and collected in a [`Batch`], then
//! committed in one sled transaction together with their history entries, and
//! flushed before the commit returns.

use std::collections::HashMap;
use std::sync::MutexGuard;

use sled::transaction::{TransactionError, Transactional};
use uuid::Uuid;

use super::deferred::Deferred;
use super::history::{StoredEntry, collection_tag, entry_key};
use super::{Engine, StoreError, codec};
use crate::model::record::validate;
use crate::model::{Collection, Context, FieldError, FieldErrors, Record};

/// A record's stored bytes and the index entries that point at it.
pub(super) struct Image {
    pub(super) bytes: Vec<u8>,
    pub(super) key: String,
    /// One entry per `Record::sorts()`: sort key, 0, id.
    pub(super) sorts: Vec<Vec<u8>>,
}

impl Image {
    pub(super) fn of<R: Record>(record: &R) -> Result<Image, String> {
        let id = record.id();
        let sorts = R::sorts()
            .iter()
            .map(|s| {
                let mut k = record.sort_key(s);
                k.push(0);
                k.extend_from_slice(id.as_bytes());
                k
            })
            .collect();
        Ok(Image {
            bytes: codec::encode(record)?,
            key: record.key(),
            sorts,
        })
    }
}

pub(super) struct Op {
    pub(super) collection: Collection,
    pub(super) id: Uuid,
    pub(super) key: String,
    pub(super) before: Option<Image>,
    pub(super) after: Option<Image>,
}

/// What a committed batch did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct BatchSummary {
    pub id: Uuid,
    pub created: usize,
    pub updated: usize,
    pub removed: usize,
}

/// Changes that commit together or not at all. Holds the store's write lock
/// from creation to commit, so what `put` checked still holds at commit.
pub struct Batch<'s> {
    pub(super) store: &'s Engine,
    _guard: MutexGuard<'s, ()>,
    id: Uuid,
    ctx: Context,
    pub(super) ops: Vec<Op>,
    /// Natural keys this batch has claimed (Some) or freed (None).
    pending_keys: HashMap<(Collection, String), Option<Uuid>>,
    /// Set while `restore` puts back an old image unchanged.
    restoring: bool,
    /// History entries written by earlier chunks of this batch.
    written: u32,
    /// What earlier chunks did.
    done: BatchSummary,
    /// The batch is an import in chunks: marked pending in `meta` until done.
    pending: bool,
    /// Index entries of records a pending batch created, written in key
    /// order at commit.
    deferred: Deferred,
    /// Who the history entries name.
    who: String,
    /// What was written, up to [`LISTED_CHANGES`] records; None beyond.
    changes: Option<Vec<(Collection, Uuid)>>,
}

/// The records a batch changed, or None when it changed more than
/// [`LISTED_CHANGES`].
pub type Changes = Option<Vec<(Collection, Uuid)>>;

/// How many changed records a batch lists for the clients watching (beyond
/// that they read the collection again).
pub const LISTED_CHANGES: usize = 1_000;

impl<'s> Batch<'s> {
    pub(super) fn new(store: &'s Engine) -> Batch<'s> {
        // A poisoned lock only means another thread panicked mid-check; the
        // store itself is consistent (nothing is written outside a transaction).
        let guard = store
            .write_lock
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let id = Uuid::now_v7();
        Batch {
            store,
            _guard: guard,
            id,
            ctx: Context {
                today: crate::model::date::today(),
            },
            ops: Vec::new(),
            pending_keys: HashMap::new(),
            restoring: false,
            written: 0,
            done: BatchSummary {
                id,
                created: 0,
                updated: 0,
                removed: 0,
            },
            pending: false,
            deferred: Deferred::default(),
            who: store.who.clone(),
            changes: Some(Vec::new()),
        }
    }

    /// Names another author for this batch's history entries (the server
    /// names each client's user, from its credentials).
    pub fn set_author(&mut self, who: impl Into<String>) {
        self.who = who.into();
    }

    /// The records written so far, or None when more than
    /// [`LISTED_CHANGES`] were.
    pub fn changes(&self) -> Option<&[(Collection, Uuid)]> {
        self.changes.as_deref()
    }

    /// The batch id its history entries carry.
    pub fn id(&self) -> Uuid {
        self.id
    }

    /// The date this batch stamps on records (creation, updates, status changes).
    pub fn context(&self) -> Context {
        self.ctx
    }

    /// How many changes are queued.
    pub fn len(&self) -> usize {
        self.ops.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ops.is_empty()
    }

    fn owner_of(&self, c: Collection, key: &str) -> Result<Option<Uuid>, StoreError> {
        if let Some(pending) = self.pending_keys.get(&(c, key.to_string())) {
            return Ok(*pending);
        }
        let trees = self.store.trees(c);
        match trees
            .by_key
            .get(key.as_bytes())
            .map_err(|e| self.store.storage(e))?
        {
            Some(id) => Uuid::from_slice(&id).map(Some).map_err(|_| {
                self.store
                    .corrupt(format!("{c} key index"), "id is not 16 bytes")
            }),
            None => Ok(None),
        }
    }

    fn op_index(&self, c: Collection, id: Uuid) -> Option<usize> {
        self.ops
            .iter()
            .position(|op| op.collection == c && op.id == id)
    }

    /// The record as this batch sees it now: its queued image, else the stored one.
    pub(super) fn current<R: Record>(&self, id: Uuid) -> Result<Option<R>, StoreError> {
        match self.op_index(R::COLLECTION, id) {
            Some(i) => match &self.ops[i].after {
                Some(image) => self.store.decode(id.as_bytes(), &image.bytes).map(Some),
                None => Ok(None),
            },
            None => self.store.get_by_id(id),
        }
    }

    /// Queues a record to be created or replaced (matched by id). The record
    /// is checked against every rule, its key must be free, and the members it
    /// names must exist. Returns the record as it will be stored.
    pub fn put<R: Record>(&mut self, record: R) -> Result<R, StoreError> {
        let c = R::COLLECTION;
        let invalid = |key: String, errors: FieldErrors| StoreError::Invalid {
            collection: c,
            key,
            errors,
        };
        let validated = validate(&record, &self.ctx).map_err(|e| invalid(record.key(), e))?;
        // A restored image is valid (validate passed) but keeps its own
        // derived values (a news item's `updated`, a status history's dates).
        let record = if self.restoring { record } else { validated };
        let key = record.key();
        let id = record.id();
        let mut errors = FieldErrors::default();

        if let Some(owner) = self.owner_of(c, &key)?
            && owner != id
        {
            errors.push(FieldError::new(
                c.key_name(),
                format!(
                    "a {} with {} {key} already exists",
                    c.singular(),
                    c.key_name()
                ),
            ));
        }
        for (field, code) in record.member_refs() {
            if self.owner_of(Collection::Members, &code)?.is_none() {
                errors.push(FieldError::new(
                    field,
                    format!("no member with code {code}"),
                ));
            }
        }
        let before_record: Option<R> = self.current(id)?;
        if let Some(before) = &before_record
            && c == Collection::Members
            && before.key() != key
        {
            errors.push(FieldError::new(
                "code",
                format!(
                    "cannot change from {} to {key}: other records refer to members by code",
                    before.key()
                ),
            ));
        }
        if !errors.is_empty() {
            return Err(invalid(key, errors));
        }

        let after = Image::of(&record).map_err(|e| self.store.corrupt("encoding", e))?;
        match self.op_index(c, id) {
            Some(i) => {
                let op = &mut self.ops[i];
                if let Some(old) = op.after.as_ref().filter(|old| old.key != key) {
                    self.pending_keys.insert((c, old.key.clone()), None);
                }
                op.key = key.clone();
                op.after = Some(after);
            }
            None => {
                let before = before_record
                    .as_ref()
                    .map(Image::of)
                    .transpose()
                    .map_err(|e| self.store.corrupt("encoding", e))?;
                if let Some(old) = before.as_ref().filter(|old| old.key != key) {
                    self.pending_keys.insert((c, old.key.clone()), None);
                }
                self.ops.push(Op {
                    collection: c,
                    id,
                    key: key.clone(),
                    before,
                    after: Some(after),
                });
            }
        }
        self.pending_keys.insert((c, key), Some(id));
        Ok(record)
    }

    /// Like [`Batch::put`], only if the stored record is still `base` (the
    /// record as the editor read it): a record's content is its revision.
    /// Otherwise a conflict, carrying the record as it is now.
    pub fn put_if<R: Record>(&mut self, record: R, base: &R) -> Result<R, StoreError> {
        self.put_over(record, Some(base))
    }

    /// Like [`Batch::put_if`], with `None` meaning "only if there is no
    /// such record now" (saving again a record someone removed, unless
    /// someone put it back meanwhile).
    pub fn put_over<R: Record>(&mut self, record: R, base: Option<&R>) -> Result<R, StoreError> {
        if base.is_some_and(|b| b.id() != record.id()) {
            return Err(StoreError::Invalid {
                collection: R::COLLECTION,
                key: record.key(),
                errors: FieldError::new("id", "is not the id of the record it replaces").into(),
            });
        }
        let current: Option<R> = self.current(record.id())?;
        if current.as_ref() != base {
            return Err(StoreError::Conflict {
                collection: R::COLLECTION,
                key: record.key(),
                theirs: current.map(|r| Box::new(r.into_any())),
            });
        }
        self.put(record)
    }

    /// Queues a record exactly as it was stored before (for undo): checked
    /// like any put, but not re-finished, so derived fields keep their values.
    pub(super) fn restore<R: Record>(&mut self, record: R) -> Result<R, StoreError> {
        self.restoring = true;
        let result = self.put(record);
        self.restoring = false;
        result
    }

    /// Queues the removal of the record with this natural key. A member that
    /// other records still refer to is not removed.
    pub fn remove<R: Record>(&mut self, key: &str) -> Result<R, StoreError> {
        let c = R::COLLECTION;
        let key = R::normalize_key(key);
        let not_found = || StoreError::NotFound {
            collection: c,
            key: key.clone(),
        };
        let id = self.owner_of(c, &key)?.ok_or_else(not_found)?;
        let record: R = self.current(id)?.ok_or_else(not_found)?;
        if c == Collection::Members {
            let by = self.references_to(&key)?;
            if !by.is_empty() {
                return Err(StoreError::Referenced {
                    collection: c,
                    key,
                    by,
                });
            }
        }
        match self.op_index(c, id) {
            Some(i) => self.ops[i].after = None,
            None => {
                let before = Image::of(&record).map_err(|e| self.store.corrupt("encoding", e))?;
                self.ops.push(Op {
                    collection: c,
                    id,
                    key: key.clone(),
                    before: Some(before),
                    after: None,
                });
            }
        }
        self.pending_keys.insert((c, key), None);
        Ok(record)
    }

    /// Writes every queued change and its history entry in one transaction,
    /// then flushes: when this returns Ok, the batch is durable.
    pub fn commit(self) -> Result<BatchSummary, StoreError> {
        self.commit_listing().map(|(summary, _)| summary)
    }

    /// [`Batch::commit`], also returning the records it changed (see
    /// [`Batch::changes`]).
    pub fn commit_listing(mut self) -> Result<(BatchSummary, Changes), StoreError> {
        let written = self.write_queued().and_then(|()| {
            if self.pending {
                self.write_deferred()?;
                self.store.flush()?;
                self.store.end_pending(self.id)?;
            }
            Ok(())
        });
        if let Err(e) = written {
            // A pending batch failing at the end (a full disk) is rolled
            // back now, while it still holds the write lock: nobody may see
            // or build on half of it. Should that fail too, the mark stays
            // and the next open rolls it back.
            if self.pending
                && let Err(again) = self.store.roll_back(self.id)
            {
                tracing::error!(batch = %self.id, "could not roll back a failed batch: {again}");
            }
            return Err(e);
        }
        Ok((self.done, self.changes.take()))
    }

    /// Gives the batch up. A pending batch's chunks already written are
    /// rolled back now (while this batch still holds the write lock), not at
    /// the next open: the server stays up when a client dies mid-import.
    pub fn abandon(self) -> Result<(), StoreError> {
        if self.pending {
            self.store.roll_back(self.id)?;
        }
        Ok(())
    }

    /// For imports too large for one transaction: from now on the batch is
    /// marked pending in the store, and a store opened while the mark is
    /// there rolls back whatever of the batch was written (see
    /// `Engine::roll_back_pending`). `commit` removes the mark.
    ///
    /// A pending batch writes without transactions, which cost more than
    /// the rest of an import together: each chunk's history entries first
    /// (sled recovers its log in order, so any record written is found by
    /// the roll-back), then the records. The index entries of the records
    /// it creates are written at commit, sorted, because sled inserts in key
    /// order far faster than at random places; until then the batch's own
    /// claims on keys answer for them.
    pub fn mark_pending(&mut self) -> Result<(), StoreError> {
        if !self.pending {
            self.store.begin_pending(self.id)?;
            self.pending = true;
        }
        Ok(())
    }

    /// Writes what is queued so far (one transaction, flushed) and goes on
    /// with the same batch: call after `mark_pending`, so a crash between
    /// chunks leaves all of the batch or none of it.
    pub fn write_chunk(&mut self) -> Result<(), StoreError> {
        // Outside a pending batch a chunk would commit on its own.
        if !self.pending {
            return Ok(());
        }
        self.write_queued()
    }

    fn write_queued(&mut self) -> Result<(), StoreError> {
        let mut summary = BatchSummary {
            id: self.id,
            created: 0,
            updated: 0,
            removed: 0,
        };
        // A put that ends as it began (or a create then remove) is no change.
        let ops: Vec<&Op> = self
            .ops
            .iter()
            .filter(|op| match (&op.before, &op.after) {
                (Some(b), Some(a)) => b.bytes != a.bytes,
                (None, None) => false,
                _ => true,
            })
            .collect();
        if ops.is_empty() {
            self.ops.clear();
            return Ok(());
        }
        let store = self.store;
        let at = jiff::Timestamp::now();
        let mut entries = Vec::with_capacity(ops.len());
        for (seq, op) in ops.iter().enumerate() {
            match (&op.before, &op.after) {
                (None, Some(_)) => summary.created += 1,
                (Some(_), Some(_)) => summary.updated += 1,
                _ => summary.removed += 1,
            }
            let entry = StoredEntry {
                at,
                who: self.who.clone(),
                collection: collection_tag(op.collection),
                id: op.id,
                key: op.key.clone(),
                before: op.before.as_ref().map(|i| i.bytes.clone()),
                after: op.after.as_ref().map(|i| i.bytes.clone()),
            };
            let bytes = codec::encode(&entry).map_err(|e| store.corrupt("encoding", e))?;
            let seq = self
                .written
                .saturating_add(u32::try_from(seq).unwrap_or(u32::MAX));
            entries.push((entry_key(self.id, seq), bytes));
        }
        let history_slot = store.all_trees.len() - 1;

        if self.pending {
            Self::write_plain(store, &ops, &entries, &mut self.deferred)?;
            // Bounds what sled holds unwritten; durability itself comes at commit.
            store.flush()?;
        } else {
            Self::write_transaction(store, &ops, &entries, history_slot)?;
            store.flush()?;
        }
        self.written = self
            .written
            .saturating_add(u32::try_from(entries.len()).unwrap_or(u32::MAX));
        if let Some(list) = &mut self.changes {
            list.extend(ops.iter().map(|op| (op.collection, op.id)));
            if list.len() > LISTED_CHANGES {
                self.changes = None;
            }
        }
        self.done.created += summary.created;
        self.done.updated += summary.updated;
        self.done.removed += summary.removed;
        self.ops.clear();
        // What was pending is in the store now, which answers for it; a
        // pending batch's created keys are not indexed until commit.
        if !self.pending {
            self.pending_keys.clear();
        }
        Ok(())
    }

    fn write_transaction(
        store: &Engine,
        ops: &[&Op],
        entries: &[([u8; 20], Vec<u8>)],
        history_slot: usize,
    ) -> Result<(), StoreError> {
        let result: Result<(), TransactionError<()>> =
            store.all_trees.as_slice().transaction(|views| {
                for op in ops.iter() {
                    let base = store.tree_index(op.collection);
                    let (records, by_key, sorts) =
                        (&views[base], &views[base + 1], &views[base + 2..]);
                    if let Some(before) = &op.before {
                        by_key.remove(before.key.as_bytes())?;
                        for (tree, k) in sorts.iter().zip(&before.sorts) {
                            tree.remove(k.as_slice())?;
                        }
                    }
                    match &op.after {
                        Some(after) => {
                            records.insert(op.id.as_bytes(), after.bytes.as_slice())?;
                            by_key.insert(after.key.as_bytes(), op.id.as_bytes())?;
                            for (tree, k) in sorts.iter().zip(&after.sorts) {
                                tree.insert(k.as_slice(), &[])?;
                            }
                        }
                        None => {
                            records.remove(op.id.as_bytes())?;
                        }
                    }
                }
                for (key, bytes) in entries.iter() {
                    views[history_slot].insert(key, bytes.as_slice())?;
                }
                Ok(())
            });
        result.map_err(|e| match e {
            TransactionError::Abort(()) => store.corrupt("transaction", "aborted"),
            TransactionError::Storage(e) => store.storage(e),
        })
    }

    /// A pending batch's chunk; see [`Batch::mark_pending`].
    fn write_plain(
        store: &Engine,
        ops: &[&Op],
        entries: &[([u8; 20], Vec<u8>)],
        deferred: &mut Deferred,
    ) -> Result<(), StoreError> {
        let storage = |e| store.storage(e);
        for (key, bytes) in entries {
            store
                .history
                .insert(key, bytes.as_slice())
                .map_err(storage)?;
        }
        for op in ops {
            let base = store.tree_index(op.collection);
            let trees = &store.all_trees;
            let sort_slots = base + 2..base + 2 + op.collection.sorts().len();
            if let Some(before) = &op.before {
                trees[base + 1]
                    .remove(before.key.as_bytes())
                    .map_err(storage)?;
                for (slot, k) in sort_slots.clone().zip(&before.sorts) {
                    trees[slot].remove(k.as_slice()).map_err(storage)?;
                }
            }
            let Some(after) = &op.after else {
                trees[base].remove(op.id.as_bytes()).map_err(storage)?;
                continue;
            };
            trees[base]
                .insert(op.id.as_bytes(), after.bytes.as_slice())
                .map_err(storage)?;
            let mut index = vec![(base + 1, after.key.as_bytes(), op.id.as_bytes().as_slice())];
            index.extend(
                sort_slots
                    .zip(&after.sorts)
                    .map(|(slot, k)| (slot, k.as_slice(), &[][..])),
            );
            for (slot, key, value) in index {
                // An update's entries go in at once: it is rare in bulk, and
                // its old entries were just removed.
                if op.before.is_some() || !deferred.push(slot, key, value) {
                    trees[slot].insert(key, value).map_err(storage)?;
                }
            }
        }
        Ok(())
    }

    /// The index entries a pending batch held back, in key order.
    fn write_deferred(&mut self) -> Result<(), StoreError> {
        let db = &self.store.db;
        self.deferred
            .write(&self.store.all_trees, || db.flush().map(|_| ()))
            .map_err(|e| self.store.storage(e))
    }
}
