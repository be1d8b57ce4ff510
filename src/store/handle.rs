//! [`Store`]: the Store API callers use, typed, written once over a
//! [`Backend`]: the store held in this process (an [`Engine`]: tests,
//! benches, `--embedded`, the server) or a client of the
//! `clusterdesk serve` process that holds it (`server/remote.rs`; how one
//! is opened is in `server/open.rs`). Callers do not know which they have;
//! they may ask what it can do (`reads_are_round_trips`, `take_events`).

use std::marker::PhantomData;
use std::path::Path;
use std::sync::mpsc::Receiver;

use uuid::Uuid;

use super::backend::{Backend, BatchBackend, LoadBackend, Records};
use super::{BatchSummary, Engine, Event, HistoryEntry, LoadSummary, StoreError};
use crate::model::{AnyRecord, Context, Record};

pub struct Store(Box<dyn Backend>);

/// A record of the collection asked for, or an error naming what came.
fn typed<R: Record>(path: &Path, any: AnyRecord) -> Result<R, StoreError> {
    let found = any.collection();
    R::from_any(any).ok_or_else(|| StoreError::Storage {
        path: path.to_path_buf(),
        reason: format!("a record of {found} came back for {}", R::COLLECTION),
    })
}

impl Store {
    /// A store over any backend.
    pub fn new(backend: Box<dyn Backend>) -> Store {
        Store(backend)
    }

    /// Opens the store in this process, never through a server.
    pub fn open_local(path: &Path) -> Result<Store, StoreError> {
        Ok(Store(Box::new(Engine::open(path)?)))
    }

    /// Opens the store in this process for a bulk write (see
    /// [`Engine::open_for_bulk`]).
    pub fn open_local_for_bulk(path: &Path) -> Result<Store, StoreError> {
        Ok(Store(Box::new(Engine::open_for_bulk(path)?)))
    }

    /// A new handle the way this one was made (after losing it): the same
    /// forwarded socket, or the store's server, started if need be.
    pub fn reopen(&self) -> Result<Store, StoreError> {
        self.0.reopen().map(Store)
    }

    pub fn path(&self) -> &Path {
        self.0.path()
    }

    /// Files whose modes were narrowed when this process opened the store
    /// (a server logs its own).
    pub fn tightened(&self) -> &[super::perms::Tightened] {
        self.0.tightened()
    }

    /// Who history entries name for this handle's changes.
    pub fn user(&self) -> &str {
        self.0.user()
    }

    /// Names another author (a store held in this process only: a server
    /// names each client by its credentials).
    pub fn set_user(&mut self, who: impl Into<String>) {
        self.0.set_user(who.into());
    }

    /// Whether each read is a round trip to a server: then ask for many
    /// things at once.
    pub fn reads_are_round_trips(&self) -> bool {
        self.0.reads_are_round_trips()
    }

    /// The changes others make, as they happen (taken once; None when
    /// nobody else can change the store while this handle has it).
    pub fn take_events(&self) -> Option<Receiver<Event>> {
        self.0.take_events()
    }

    /// Whether events were dropped (nobody read them in time) since last
    /// asked: then read everything again.
    pub fn events_overflowed(&self) -> bool {
        self.0.events_overflowed()
    }

    /// How many clients the store had when this one joined (1 when held
    /// in this process).
    pub fn clients_at_start(&self) -> u32 {
        self.0.clients_at_start()
    }

    pub fn schema_version(&self) -> Result<u32, StoreError> {
        self.0.schema_version()
    }

    /// Makes every acknowledged write durable (a server's writes are
    /// durable when acknowledged).
    pub fn flush(&self) -> Result<(), StoreError> {
        self.0.flush()
    }

    fn typed<R: Record>(&self, any: Option<AnyRecord>) -> Result<Option<R>, StoreError> {
        any.map(|a| typed(self.path(), a)).transpose()
    }

    pub fn get<R: Record>(&self, key: &str) -> Result<Option<R>, StoreError> {
        self.typed(self.0.get(R::COLLECTION, key)?)
    }

    /// The record with this natural key, or a not-found error naming it.
    pub fn require<R: Record>(&self, key: &str) -> Result<R, StoreError> {
        self.get(key)?.ok_or_else(|| StoreError::NotFound {
            collection: R::COLLECTION,
            key: R::normalize_key(key),
        })
    }

    pub fn get_by_id<R: Record>(&self, id: Uuid) -> Result<Option<R>, StoreError> {
        self.typed(self.0.get_by_id(R::COLLECTION, id)?)
    }

    pub fn contains<R: Record>(&self, key: &str) -> Result<bool, StoreError> {
        self.0.contains(R::COLLECTION, key)
    }

    /// How many records the collection holds (0 if a server cannot say,
    /// which is logged).
    pub fn count<R: Record>(&self) -> usize {
        self.0.count(R::COLLECTION)
    }

    pub fn keys<R: Record>(&self) -> Result<Vec<String>, StoreError> {
        self.0.keys(R::COLLECTION)
    }

    /// Records in the order of `sort`, reading only what the page needs.
    pub fn page<R: Record>(
        &self,
        sort: Option<&str>,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<R>, StoreError> {
        self.0
            .page(R::COLLECTION, sort, offset, limit)?
            .into_iter()
            .map(|any| typed(self.path(), any))
            .collect()
    }

    /// Every record, lazily, in the order of `sort` (None: natural key).
    pub fn scan<R: Record>(&self, sort: Option<&str>) -> Result<Scan<'_, R>, StoreError> {
        self.scan_from(sort, 0)
    }

    /// [`Store::scan`] after skipping `skip` records without reading them.
    pub fn scan_from<R: Record>(
        &self,
        sort: Option<&str>,
        skip: usize,
    ) -> Result<Scan<'_, R>, StoreError> {
        Ok(Scan::new(
            self.path(),
            self.0.scan(R::COLLECTION, sort, skip)?,
        ))
    }

    /// Every record in id (creation) order.
    pub fn all<R: Record>(&self) -> All<'_, R> {
        Scan::new(self.path(), self.0.all(R::COLLECTION))
    }

    pub fn batch(&self) -> Batch<'_> {
        Batch {
            path: self.path(),
            inner: self.0.batch(),
        }
    }

    /// Creates or replaces one record, durably, as a batch of one.
    pub fn put<R: Record>(&self, record: R) -> Result<R, StoreError> {
        let mut batch = self.batch();
        let stored = batch.put(record)?;
        batch.commit()?;
        Ok(stored)
    }

    /// Replaces `base` with `record`, durably, unless the stored record is
    /// no longer `base` (a conflict).
    pub fn put_if<R: Record>(&self, record: R, base: &R) -> Result<R, StoreError> {
        let mut batch = self.batch();
        let stored = batch.put_if(record, base)?;
        batch.commit()?;
        Ok(stored)
    }

    /// Removes records by natural key, all or none, as one batch.
    pub fn remove<R: Record>(&self, keys: &[&str]) -> Result<Vec<R>, StoreError> {
        let mut batch = self.batch();
        let removed = keys
            .iter()
            .map(|k| batch.remove::<R>(k))
            .collect::<Result<Vec<_>, _>>()?;
        batch.commit()?;
        Ok(removed)
    }

    pub fn undo_batch(&self, batch: Uuid) -> Result<BatchSummary, StoreError> {
        self.0.undo_batch(batch)
    }

    /// Entries page by page until an empty page (a server sends fewer when
    /// entries are large).
    fn history_pages<E: From<StoreError>>(
        &self,
        batch: Option<Uuid>,
        mut each: impl FnMut(HistoryEntry) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut after = None;
        loop {
            let page = self.0.history_page(batch, after)?;
            let Some(last) = page.last() else {
                return Ok(());
            };
            after = Some((last.batch, last.seq));
            for entry in page {
                each(entry)?;
            }
        }
    }

    /// Every history entry, oldest batch first, one at a time (a dump of a
    /// large store must not hold the whole history in memory).
    pub fn history_each<E: From<StoreError>>(
        &self,
        each: impl FnMut(HistoryEntry) -> Result<(), E>,
    ) -> Result<(), E> {
        self.history_pages(None, each)
    }

    /// Every history entry, oldest batch first.
    pub fn history(&self) -> Result<Vec<HistoryEntry>, StoreError> {
        let mut out = Vec::new();
        self.history_each(|e| -> Result<(), StoreError> {
            out.push(e);
            Ok(())
        })?;
        Ok(out)
    }

    /// The entries of one batch, in the order they were made.
    pub fn batch_history(&self, batch: Uuid) -> Result<Vec<HistoryEntry>, StoreError> {
        let mut out = Vec::new();
        self.history_pages(Some(batch), |e| -> Result<(), StoreError> {
            out.push(e);
            Ok(())
        })?;
        Ok(out)
    }

    /// Whether the store holds no record and no history.
    pub fn is_empty(&self) -> Result<bool, StoreError> {
        self.0.is_empty()
    }

    /// Starts loading a dump into this (empty) store.
    pub fn loader(&self) -> Result<Loader<'_>, StoreError> {
        self.0.loader().map(Loader)
    }
}

/// Records of one collection, one at a time, typed.
pub struct Scan<'s, R> {
    path: &'s Path,
    inner: Records<'s>,
    _record: PhantomData<R>,
}

/// Every record of a collection in id order.
pub type All<'s, R> = Scan<'s, R>;

impl<'s, R> Scan<'s, R> {
    fn new(path: &'s Path, inner: Records<'s>) -> Self {
        Scan {
            path,
            inner,
            _record: PhantomData,
        }
    }
}

impl<R: Record> Iterator for Scan<'_, R> {
    type Item = Result<R, StoreError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.inner
            .next()
            .map(|r| r.and_then(|any| typed(self.path, any)))
    }
}

/// Changes that commit together or not at all.
pub struct Batch<'s> {
    path: &'s Path,
    inner: Box<dyn BatchBackend + 's>,
}

impl Batch<'_> {
    /// The batch id its history entries carry.
    pub fn id(&mut self) -> Result<Uuid, StoreError> {
        self.inner.id()
    }

    /// The date this batch stamps on records.
    pub fn context(&mut self) -> Result<Context, StoreError> {
        self.inner.context()
    }

    /// How many changes are queued.
    pub fn len(&self) -> usize {
        self.inner.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Queues a record to be created or replaced; see the local batch's `put`.
    pub fn put<R: Record>(&mut self, record: R) -> Result<R, StoreError> {
        let stored = self.inner.put(record.into_any(), None)?;
        typed(self.path, stored)
    }

    /// Queues a record only if the stored one is still `base` (what the
    /// editor read); else a [`StoreError::Conflict`].
    pub fn put_if<R: Record>(&mut self, record: R, base: &R) -> Result<R, StoreError> {
        self.put_over(record, Some(base))
    }

    /// [`Batch::put_if`], with `None` meaning "only if there is no such
    /// record now".
    pub fn put_over<R: Record>(&mut self, record: R, base: Option<&R>) -> Result<R, StoreError> {
        let base = base.map(|b| b.clone().into_any());
        let stored = self.inner.put(record.into_any(), Some(base.as_ref()))?;
        typed(self.path, stored)
    }

    /// Queues many records (an import's chunk) in one go; on the first
    /// refused, its index and why (the ones before it stay queued).
    pub fn put_all<R: Record>(&mut self, records: Vec<R>) -> Result<(), (usize, StoreError)> {
        self.inner
            .put_all(records.into_iter().map(R::into_any).collect())
    }

    /// Queues the removal of the record with this natural key.
    pub fn remove<R: Record>(&mut self, key: &str) -> Result<R, StoreError> {
        let removed = self.inner.remove(R::COLLECTION, key)?;
        typed(self.path, removed)
    }

    /// See the local batch's `mark_pending`.
    pub fn mark_pending(&mut self) -> Result<(), StoreError> {
        self.inner.mark_pending()
    }

    /// Writes what is queued so far and goes on with the same batch.
    pub fn write_chunk(&mut self) -> Result<(), StoreError> {
        self.inner.write_chunk()
    }

    /// Writes every change durably, as one batch.
    pub fn commit(self) -> Result<BatchSummary, StoreError> {
        self.inner.commit()
    }
}

/// Writes a dump into an empty store; see the local loader.
pub struct Loader<'s>(Box<dyn LoadBackend + 's>);

impl Loader<'_> {
    pub fn record<R: Record>(&mut self, record: R) -> Result<(), StoreError> {
        self.0.record(record.into_any())
    }

    pub fn history(&mut self, entry: HistoryEntry) -> Result<(), StoreError> {
        self.0.history(entry)
    }

    pub fn summary(&self) -> LoadSummary {
        self.0.summary()
    }

    pub fn finish(self) -> Result<LoadSummary, StoreError> {
        self.0.finish()
    }
}
