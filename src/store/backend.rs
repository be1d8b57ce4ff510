//! The Store API's one seam: what a store must do, in terms of
//! [`Collection`] and [`AnyRecord`] so that it can be a trait object.
//! Two things implement it: the [`Engine`](super::Engine) holding the
//! store in this process (`local.rs`), and a client of the server that
//! holds it (`server/remote.rs`). [`Store`](super::Store) writes the typed
//! methods callers use once, over this trait.

use std::path::Path;
use std::sync::mpsc::Receiver;

use uuid::Uuid;

use super::{BatchSummary, Event, HistoryEntry, LoadSummary, StoreError};
use crate::model::{AnyRecord, Collection, Context};

/// Records one at a time, each read when asked for.
pub type Records<'s> = Box<dyn Iterator<Item = Result<AnyRecord, StoreError>> + 's>;

pub trait Backend: Send + Sync {
    /// The store's directory.
    fn path(&self) -> &Path;

    /// Who history entries name for this handle's changes.
    fn user(&self) -> &str;

    /// Names another author. A client cannot: its server names each client
    /// by its credentials.
    fn set_user(&mut self, who: String);

    /// Files whose modes were narrowed when this process opened the store
    /// (none for a client: its server logs its own).
    fn tightened(&self) -> &[super::perms::Tightened];

    /// Whether every read costs a round trip (a client): callers that read
    /// many single records ask for a collection's keys once instead.
    fn reads_are_round_trips(&self) -> bool;

    /// The changes others make, as they happen (taken once; None when
    /// nobody else can change this store while it is open).
    fn take_events(&self) -> Option<Receiver<Event>>;

    /// Whether events were dropped (nobody read them in time) since last
    /// asked: then read everything again.
    fn events_overflowed(&self) -> bool;

    /// How many users the store had when this handle opened it, itself
    /// included.
    fn clients_at_start(&self) -> u32;

    /// A new handle the way this one was made (after losing it).
    fn reopen(&self) -> Result<Box<dyn Backend>, StoreError>;

    fn schema_version(&self) -> Result<u32, StoreError>;

    /// Makes every acknowledged write durable.
    fn flush(&self) -> Result<(), StoreError>;

    fn get(&self, collection: Collection, key: &str) -> Result<Option<AnyRecord>, StoreError>;

    fn get_by_id(&self, collection: Collection, id: Uuid) -> Result<Option<AnyRecord>, StoreError>;

    fn contains(&self, collection: Collection, key: &str) -> Result<bool, StoreError>;

    /// How many records the collection holds (0 if it cannot be said,
    /// which is logged).
    fn count(&self, collection: Collection) -> usize;

    /// Natural keys, in order, without reading the records.
    fn keys(&self, collection: Collection) -> Result<Vec<String>, StoreError>;

    /// Records in the order of `sort` (None: natural key), after skipping
    /// `skip` of them without reading them.
    fn scan(
        &self,
        collection: Collection,
        sort: Option<&str>,
        skip: usize,
    ) -> Result<Records<'_>, StoreError>;

    /// At most `limit` records in the order of `sort`, after skipping
    /// `offset`: a screenful, read at once (one call, not one per record).
    fn page(
        &self,
        collection: Collection,
        sort: Option<&str>,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<AnyRecord>, StoreError>;

    /// Every record in id (creation) order: the quickest whole read.
    fn all(&self, collection: Collection) -> Records<'_>;

    /// History entries after `after` (batch, seq), oldest batch first: of
    /// every batch, or of one. An empty page is the end.
    fn history_page(
        &self,
        batch: Option<Uuid>,
        after: Option<(Uuid, u32)>,
    ) -> Result<Vec<HistoryEntry>, StoreError>;

    /// Reverts a batch as a new batch.
    fn undo_batch(&self, batch: Uuid) -> Result<BatchSummary, StoreError>;

    /// Whether the store holds no record and no history.
    fn is_empty(&self) -> Result<bool, StoreError>;

    /// Starts a batch of changes that commit together or not at all.
    fn batch(&self) -> Box<dyn BatchBackend + '_>;

    /// Starts loading a dump into this (empty) store.
    fn loader(&self) -> Result<Box<dyn LoadBackend + '_>, StoreError>;
}

/// Changes that commit together or not at all; see `store/batch.rs` for
/// the rules each change is checked against.
pub trait BatchBackend {
    /// The batch id its history entries carry.
    fn id(&mut self) -> Result<Uuid, StoreError>;

    /// The date this batch stamps on records.
    fn context(&mut self) -> Result<Context, StoreError>;

    /// How many changes are queued.
    fn len(&self) -> usize;

    /// Whether nothing is queued.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Queues a record to be created or replaced, only if the stored one is
    /// still `base` when `base` is given (`Some(None)`: only if there is no
    /// such record); returns it as it will be stored.
    fn put(
        &mut self,
        record: AnyRecord,
        base: Option<Option<&AnyRecord>>,
    ) -> Result<AnyRecord, StoreError>;

    /// Queues many records (an import's chunk) in one go; on the first
    /// refused, its index and why (the ones before it stay queued).
    fn put_all(&mut self, records: Vec<AnyRecord>) -> Result<(), (usize, StoreError)>;

    /// Queues the removal of the record with this natural key.
    fn remove(&mut self, collection: Collection, key: &str) -> Result<AnyRecord, StoreError>;

    /// Marks the batch pending: written in chunks, rolled back whole if it
    /// does not commit.
    fn mark_pending(&mut self) -> Result<(), StoreError>;

    /// Writes what is queued so far and goes on with the same batch.
    fn write_chunk(&mut self) -> Result<(), StoreError>;

    /// Writes every change durably, as one batch.
    fn commit(self: Box<Self>) -> Result<BatchSummary, StoreError>;
}

/// Writes a dump into an empty store; see `store/load.rs`.
pub trait LoadBackend {
    fn record(&mut self, record: AnyRecord) -> Result<(), StoreError>;
    fn history(&mut self, entry: HistoryEntry) -> Result<(), StoreError>;
    fn summary(&self) -> LoadSummary;
    fn finish(self: Box<Self>) -> Result<LoadSummary, StoreError>;
}
