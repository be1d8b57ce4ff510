//! [`Store`]: the Store API, whether this process holds the store itself
//! (an [`Engine`]: tests, benches, the server) or is a client of the
//! `clusterdesk serve` process that holds it (the CLI and the console).
//! Callers do not see the difference, except that a client also hears of
//! the changes others make (`Store::take_events`).

use std::path::{Path, PathBuf};

use uuid::Uuid;

use super::batch::Batch as LocalBatch;
use super::load::Loader as LocalLoader;
use super::scan::Scan as LocalScan;
use super::{BatchSummary, Engine, HistoryEntry, LoadSummary, StoreError};
use crate::model::{AnyRecord, Context, Record};
use crate::server::client::Client;
use crate::server::protocol::{Answer, Event, Request};
use crate::server::spawn;

/// Records fetched per request when a client walks a collection (the
/// server sends fewer when they are large).
const PAGE: u32 = 256;

/// Records fetched per request when a client reads a whole collection
/// (the console's load): fewer round trips; the server still sends fewer
/// when they are large.
const ALL_PAGE: u32 = 2048;

/// The most one request of many puts carries.
const PUT_BYTES: usize = 8 * 1024 * 1024;

#[allow(clippy::large_enum_variant)]
pub enum Store {
    Local(Engine),
    Remote(Client),
}

fn unexpected(path: &Path, answer: &Answer) -> StoreError {
    StoreError::Disconnected {
        path: path.to_path_buf(),
        reason: format!("the server answered out of turn ({answer:?})"),
    }
}

fn typed<R: Record>(path: &Path, any: AnyRecord) -> Result<R, StoreError> {
    let found = any.collection();
    R::from_any(any).ok_or_else(|| StoreError::Disconnected {
        path: path.to_path_buf(),
        reason: format!("the server sent a record of {found} for {}", R::COLLECTION),
    })
}

impl Store {
    /// Opens the store: through its server if one is running, else in this
    /// process (exclusively, until it is dropped).
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        match spawn::connect_running(path)? {
            Some(client) => Ok(Store::Remote(client)),
            None => Engine::open(path).map(Store::Local),
        }
    }

    /// Opens the store in this process, never through a server.
    pub fn open_local(path: &Path) -> Result<Store, StoreError> {
        Engine::open(path).map(Store::Local)
    }

    /// Opens the store in this process for a bulk write (see
    /// [`Engine::open_for_bulk`]).
    pub fn open_local_for_bulk(path: &Path) -> Result<Store, StoreError> {
        Engine::open_for_bulk(path).map(Store::Local)
    }

    /// Connects to the store's server, starting one in the background if
    /// none runs: how the CLI and the console open a store.
    pub fn connect(path: &Path) -> Result<Store, StoreError> {
        spawn::connect_or_start(path).map(Store::Remote)
    }

    /// Connects to the server listening on `socket` (one forwarded from
    /// another machine, say); never starts one.
    pub fn connect_socket(socket: &Path) -> Result<Store, StoreError> {
        Client::connect(socket, socket).map(Store::Remote)
    }

    /// A new connection the way this one was made (after losing it): the
    /// same forwarded socket, or the store's server, started if need be.
    pub fn reopen(&self) -> Result<Store, StoreError> {
        match self {
            Store::Remote(c) if c.is_forwarded() => Store::connect_socket(c.store()),
            Store::Remote(c) => Store::connect(c.store()),
            Store::Local(e) => Store::open_local(e.path()),
        }
    }

    fn call(&self, client: &Client, request: &Request) -> Result<Answer, StoreError> {
        client.call(request)
    }

    pub fn path(&self) -> &Path {
        match self {
            Store::Local(e) => e.path(),
            Store::Remote(c) => c.store(),
        }
    }

    /// Files whose modes were narrowed when this process opened the store
    /// (a server logs its own).
    pub fn tightened(&self) -> &[super::perms::Tightened] {
        match self {
            Store::Local(e) => e.tightened(),
            Store::Remote(_) => &[],
        }
    }

    /// Who history entries name for this handle's changes.
    pub fn user(&self) -> &str {
        match self {
            Store::Local(e) => e.user(),
            Store::Remote(c) => c.user(),
        }
    }

    /// Names another author (local stores only: a server names each client
    /// by its credentials).
    pub fn set_user(&mut self, who: impl Into<String>) {
        if let Store::Local(e) = self {
            e.set_user(who);
        }
    }

    /// The changes others make, as they happen (a client's, taken once).
    pub fn take_events(&self) -> Option<std::sync::mpsc::Receiver<Event>> {
        match self {
            Store::Local(_) => None,
            Store::Remote(c) => c.take_events(),
        }
    }

    /// Whether events were dropped (nobody read them in time) since last
    /// asked: then read everything again.
    pub fn events_overflowed(&self) -> bool {
        match self {
            Store::Local(_) => false,
            Store::Remote(c) => c.take_overflow(),
        }
    }

    /// How many clients the server had when this one joined (1 when local).
    pub fn clients_at_start(&self) -> u32 {
        match self {
            Store::Local(_) => 1,
            Store::Remote(c) => c.clients_at_start(),
        }
    }

    pub fn schema_version(&self) -> Result<u32, StoreError> {
        match self {
            Store::Local(e) => e.schema_version(),
            Store::Remote(c) => match self.call(c, &Request::SchemaVersion)? {
                Answer::Number(n) => Ok(n),
                other => Err(unexpected(self.path(), &other)),
            },
        }
    }

    /// Makes every acknowledged write durable (a server's writes are
    /// durable when acknowledged).
    pub fn flush(&self) -> Result<(), StoreError> {
        match self {
            Store::Local(e) => e.flush(),
            Store::Remote(_) => Ok(()),
        }
    }

    fn one<R: Record>(&self, answer: Answer) -> Result<Option<R>, StoreError> {
        match answer {
            Answer::Record(r) => r.map(|any| typed(self.path(), any)).transpose(),
            other => Err(unexpected(self.path(), &other)),
        }
    }

    pub fn get<R: Record>(&self, key: &str) -> Result<Option<R>, StoreError> {
        match self {
            Store::Local(e) => e.get(key),
            Store::Remote(c) => self.one(self.call(
                c,
                &Request::Get {
                    collection: R::COLLECTION,
                    key: key.to_string(),
                },
            )?),
        }
    }

    /// The record with this natural key, or a not-found error naming it.
    pub fn require<R: Record>(&self, key: &str) -> Result<R, StoreError> {
        self.get(key)?.ok_or_else(|| StoreError::NotFound {
            collection: R::COLLECTION,
            key: R::normalize_key(key),
        })
    }

    pub fn get_by_id<R: Record>(&self, id: Uuid) -> Result<Option<R>, StoreError> {
        match self {
            Store::Local(e) => e.get_by_id(id),
            Store::Remote(c) => self.one(self.call(
                c,
                &Request::GetById {
                    collection: R::COLLECTION,
                    id,
                },
            )?),
        }
    }

    pub fn contains<R: Record>(&self, key: &str) -> Result<bool, StoreError> {
        match self {
            Store::Local(e) => e.contains::<R>(key),
            Store::Remote(c) => match self.call(
                c,
                &Request::Contains {
                    collection: R::COLLECTION,
                    key: key.to_string(),
                },
            )? {
                Answer::Bool(b) => Ok(b),
                other => Err(unexpected(self.path(), &other)),
            },
        }
    }

    /// How many records the collection holds (0 if a server cannot say,
    /// which is logged).
    pub fn count<R: Record>(&self) -> usize {
        match self {
            Store::Local(e) => e.count::<R>(),
            Store::Remote(c) => match self.call(
                c,
                &Request::Count {
                    collection: R::COLLECTION,
                },
            ) {
                Ok(Answer::Count(n)) => usize::try_from(n).unwrap_or(usize::MAX),
                other => {
                    tracing::warn!("count of {} failed: {other:?}", R::COLLECTION);
                    0
                }
            },
        }
    }

    pub fn keys<R: Record>(&self) -> Result<Vec<String>, StoreError> {
        match self {
            Store::Local(e) => e.keys::<R>(),
            Store::Remote(c) => match self.call(
                c,
                &Request::Keys {
                    collection: R::COLLECTION,
                },
            )? {
                Answer::Keys(k) => Ok(k),
                other => Err(unexpected(self.path(), &other)),
            },
        }
    }

    /// Records in the order of `sort`, reading only what the page needs.
    pub fn page<R: Record>(
        &self,
        sort: Option<&str>,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<R>, StoreError> {
        self.scan::<R>(sort)?.skip_ids(offset).take(limit).collect()
    }

    /// Every record, lazily, in the order of `sort` (None: natural key).
    pub fn scan<R: Record>(&self, sort: Option<&str>) -> Result<Scan<'_, R>, StoreError> {
        match self {
            Store::Local(e) => e.scan(sort).map(Scan::Local),
            Store::Remote(c) => Ok(Scan::Remote(RemoteScan {
                store: self,
                client: c,
                sort: sort.map(str::to_string),
                skip: 0,
                cursor: None,
                page: Vec::new().into_iter(),
                done: false,
            })),
        }
    }

    /// Every record in id (creation) order.
    pub fn all<R: Record>(&self) -> All<'_, R> {
        match self {
            Store::Local(e) => All::Local(Box::new(e.all::<R>())),
            Store::Remote(c) => All::Remote {
                store: self,
                client: c,
                after: None,
                page: Vec::new().into_iter(),
                done: false,
            },
        }
    }

    pub fn batch(&self) -> Batch<'_> {
        match self {
            Store::Local(e) => Batch::Local(e.batch()),
            Store::Remote(c) => Batch::Remote(RemoteBatch {
                store: self,
                client: c,
                started: None,
                queued: 0,
                open: false,
            }),
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
        match self {
            Store::Local(e) => e.undo_batch(batch),
            Store::Remote(c) => match self.call(c, &Request::Undo(batch))? {
                Answer::Summary(s) => Ok(s),
                other => Err(unexpected(self.path(), &other)),
            },
        }
    }

    fn history_request(
        &self,
        c: &Client,
        batch: Option<Uuid>,
        after: Option<(Uuid, u32)>,
    ) -> Result<Vec<HistoryEntry>, StoreError> {
        match self.call(
            c,
            &Request::History {
                batch,
                after,
                limit: PAGE,
            },
        )? {
            Answer::History(lines) => lines
                .iter()
                .map(|l| {
                    serde_json::from_str(l).map_err(|e| StoreError::Disconnected {
                        path: self.path().to_path_buf(),
                        reason: format!("a history entry that does not read: {e}"),
                    })
                })
                .collect(),
            other => Err(unexpected(self.path(), &other)),
        }
    }

    /// Every history entry, oldest batch first, one at a time.
    pub fn history_each<E: From<StoreError>>(
        &self,
        mut each: impl FnMut(HistoryEntry) -> Result<(), E>,
    ) -> Result<(), E> {
        let c = match self {
            Store::Local(e) => return e.history_each(each),
            Store::Remote(c) => c,
        };
        let mut after = None;
        loop {
            let page = self.history_request(c, None, after)?;
            let Some(last) = page.last() else {
                return Ok(());
            };
            after = Some((last.batch, last.seq));
            // Until an empty page: the server sends fewer when entries
            // are large.
            for entry in page {
                each(entry)?;
            }
        }
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
        match self {
            Store::Local(e) => e.batch_history(batch),
            // A batch of an import may hold many entries: page through them.
            Store::Remote(c) => {
                let mut out: Vec<HistoryEntry> = Vec::new();
                loop {
                    let after = out.last().map(|e| (e.batch, e.seq));
                    let page = self.history_request(c, Some(batch), after)?;
                    if page.is_empty() {
                        return Ok(out);
                    }
                    out.extend(page);
                }
            }
        }
    }

    /// Whether the store holds no record and no history.
    pub fn is_empty(&self) -> Result<bool, StoreError> {
        match self {
            Store::Local(e) => e.is_empty(),
            Store::Remote(c) => match self.call(c, &Request::IsEmpty)? {
                Answer::Bool(b) => Ok(b),
                other => Err(unexpected(self.path(), &other)),
            },
        }
    }

    /// Starts loading a dump into this (empty) store.
    pub fn loader(&self) -> Result<Loader<'_>, StoreError> {
        match self {
            Store::Local(e) => e.loader().map(Loader::Local),
            Store::Remote(c) => match self.call(c, &Request::LoadBegin)? {
                Answer::Done => Ok(Loader::Remote {
                    store: self,
                    client: c,
                    done: LoadSummary::default(),
                }),
                other => Err(unexpected(self.path(), &other)),
            },
        }
    }
}

/// Records read through an index, one at a time.
// A handle lives on the stack for one command; its size does not matter.
#[allow(clippy::large_enum_variant)]
pub enum Scan<'s, R> {
    Local(LocalScan<'s, R>),
    Remote(RemoteScan<'s, R>),
}

pub struct RemoteScan<'s, R> {
    store: &'s Store,
    client: &'s Client,
    sort: Option<String>,
    skip: u64,
    cursor: Option<Vec<u8>>,
    page: std::vec::IntoIter<R>,
    done: bool,
}

impl<R: Record> Scan<'_, R> {
    /// Skips `n` records without reading them.
    pub fn skip_ids(self, n: usize) -> Self {
        match self {
            Scan::Local(s) => Scan::Local(s.skip_ids(n)),
            Scan::Remote(mut s) => {
                s.skip += n as u64;
                Scan::Remote(s)
            }
        }
    }
}

impl<R: Record> Iterator for Scan<'_, R> {
    type Item = Result<R, StoreError>;

    fn next(&mut self) -> Option<Self::Item> {
        let s = match self {
            Scan::Local(s) => return s.next(),
            Scan::Remote(s) => s,
        };
        if let Some(r) = s.page.next() {
            return Some(Ok(r));
        }
        if s.done {
            return None;
        }
        let request = Request::Scan {
            collection: R::COLLECTION,
            sort: s.sort.clone(),
            after: s.cursor.clone(),
            skip: s.skip,
            limit: PAGE,
        };
        let path = s.store.path();
        match s.client.call(&request) {
            Ok(Answer::Records { records, next }) => {
                s.done = next.is_none();
                s.cursor = next;
                let typed: Result<Vec<R>, StoreError> =
                    records.into_iter().map(|a| typed(path, a)).collect();
                match typed {
                    Ok(page) => {
                        s.page = page.into_iter();
                        s.page.next().map(Ok)
                    }
                    Err(e) => {
                        s.done = true;
                        Some(Err(e))
                    }
                }
            }
            Ok(other) => {
                s.done = true;
                Some(Err(unexpected(path, &other)))
            }
            Err(e) => {
                s.done = true;
                Some(Err(e))
            }
        }
    }
}

/// Every record of a collection in id order.
pub enum All<'s, R> {
    Local(Box<dyn Iterator<Item = Result<R, StoreError>> + 's>),
    Remote {
        store: &'s Store,
        client: &'s Client,
        after: Option<Uuid>,
        page: std::vec::IntoIter<R>,
        done: bool,
    },
}

impl<R: Record> Iterator for All<'_, R> {
    type Item = Result<R, StoreError>;

    fn next(&mut self) -> Option<Self::Item> {
        let All::Remote {
            store,
            client,
            after,
            page,
            done,
        } = self
        else {
            let All::Local(iter) = self else {
                return None;
            };
            return iter.next();
        };
        if let Some(r) = page.next() {
            return Some(Ok(r));
        }
        if *done {
            return None;
        }
        let answer = client.call(&Request::All {
            collection: R::COLLECTION,
            after: *after,
            limit: ALL_PAGE,
        });
        let path = store.path();
        let result = match answer {
            Ok(Answer::Records { records, next }) => {
                *done = next.is_none();
                *after = next.and_then(|n| Uuid::from_slice(&n).ok());
                records
                    .into_iter()
                    .map(|a| typed(path, a))
                    .collect::<Result<Vec<R>, _>>()
            }
            Ok(other) => Err(unexpected(path, &other)),
            Err(e) => Err(e),
        };
        match result {
            Ok(records) => {
                *page = records.into_iter();
                page.next().map(Ok)
            }
            Err(e) => {
                *done = true;
                Some(Err(e))
            }
        }
    }
}

/// Changes that commit together or not at all.
#[allow(clippy::large_enum_variant)]
pub enum Batch<'s> {
    Local(LocalBatch<'s>),
    Remote(RemoteBatch<'s>),
}

/// A batch kept by the server for this client; begun with its first change.
pub struct RemoteBatch<'s> {
    store: &'s Store,
    client: &'s Client,
    started: Option<(Uuid, Context)>,
    queued: usize,
    open: bool,
}

impl RemoteBatch<'_> {
    fn path(&self) -> PathBuf {
        self.store.path().to_path_buf()
    }

    fn begin(&mut self) -> Result<(Uuid, Context), StoreError> {
        if let Some(started) = self.started {
            return Ok(started);
        }
        match self.client.call(&Request::BatchBegin)? {
            Answer::BatchStarted { id, today } => {
                let started = (id, Context { today });
                self.started = Some(started);
                self.open = true;
                Ok(started)
            }
            other => Err(unexpected(&self.path(), &other)),
        }
    }

    fn expect_done(&self, answer: Answer) -> Result<(), StoreError> {
        match answer {
            Answer::Done => Ok(()),
            other => Err(unexpected(&self.path(), &other)),
        }
    }
}

impl Drop for RemoteBatch<'_> {
    fn drop(&mut self) {
        if self.open {
            // The server also gives the batch up if this client goes away.
            let _ = self.client.call(&Request::BatchAbort);
        }
    }
}

impl Batch<'_> {
    /// The batch id its history entries carry.
    pub fn id(&mut self) -> Result<Uuid, StoreError> {
        match self {
            Batch::Local(b) => Ok(b.id()),
            Batch::Remote(b) => b.begin().map(|(id, _)| id),
        }
    }

    /// The date this batch stamps on records.
    pub fn context(&mut self) -> Result<Context, StoreError> {
        match self {
            Batch::Local(b) => Ok(b.context()),
            Batch::Remote(b) => b.begin().map(|(_, ctx)| ctx),
        }
    }

    /// How many changes are queued.
    pub fn len(&self) -> usize {
        match self {
            Batch::Local(b) => b.len(),
            Batch::Remote(b) => b.queued,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Queues a record to be created or replaced; see the local batch's `put`.
    pub fn put<R: Record>(&mut self, record: R) -> Result<R, StoreError> {
        match self {
            Batch::Local(b) => b.put(record),
            Batch::Remote(b) => {
                b.begin()?;
                let answer = b.client.call(&Request::BatchPut(record.into_any()))?;
                b.queued += 1;
                match answer {
                    Answer::Record(Some(any)) => typed(b.store.path(), any),
                    other => Err(unexpected(&b.path(), &other)),
                }
            }
        }
    }

    /// Queues a record only if the stored one is still `base` (what the
    /// editor read); else a [`StoreError::Conflict`].
    pub fn put_if<R: Record>(&mut self, record: R, base: &R) -> Result<R, StoreError> {
        self.put_over(record, Some(base))
    }

    /// [`Batch::put_if`], with `None` meaning "only if there is no such
    /// record now".
    pub fn put_over<R: Record>(&mut self, record: R, base: Option<&R>) -> Result<R, StoreError> {
        match self {
            Batch::Local(b) => b.put_over(record, base),
            Batch::Remote(b) => {
                b.begin()?;
                let answer = b.client.call(&Request::BatchPutIf {
                    record: record.into_any(),
                    base: base.map(|r| r.clone().into_any()),
                })?;
                b.queued += 1;
                match answer {
                    Answer::Record(Some(any)) => typed(b.store.path(), any),
                    other => Err(unexpected(&b.path(), &other)),
                }
            }
        }
    }

    /// Queues many records (an import's chunk) in one go; on the first
    /// refused, its index and why (the ones before it stay queued).
    pub fn put_all<R: Record>(&mut self, records: Vec<R>) -> Result<(), (usize, StoreError)> {
        match self {
            Batch::Local(b) => {
                for (i, record) in records.into_iter().enumerate() {
                    b.put(record).map_err(|e| (i, e))?;
                }
                Ok(())
            }
            Batch::Remote(b) => {
                b.begin().map_err(|e| (0, e))?;
                // Requests of at most PUT_BYTES each, so large records
                // never make a frame too big.
                let mut sent = 0usize;
                let mut part: Vec<AnyRecord> = Vec::new();
                let mut bytes = 0usize;
                let mut records = records.into_iter().map(R::into_any).peekable();
                while let Some(any) = records.next() {
                    bytes += crate::server::protocol::encode(&any).len();
                    part.push(any);
                    let full = bytes >= PUT_BYTES;
                    if full || records.peek().is_none() {
                        let count = part.len();
                        let request = Request::BatchPutAll(std::mem::take(&mut part));
                        bytes = 0;
                        match b.client.call(&request).map_err(|e| (sent, e))? {
                            Answer::Done => {
                                b.queued += count;
                                sent += count;
                            }
                            Answer::Failed { index, error } => {
                                b.queued += index as usize;
                                return Err((sent + index as usize, error));
                            }
                            other => return Err((sent, unexpected(&b.path(), &other))),
                        }
                    }
                }
                Ok(())
            }
        }
    }

    /// Queues the removal of the record with this natural key.
    pub fn remove<R: Record>(&mut self, key: &str) -> Result<R, StoreError> {
        match self {
            Batch::Local(b) => b.remove(key),
            Batch::Remote(b) => {
                b.begin()?;
                let answer = b.client.call(&Request::BatchRemove {
                    collection: R::COLLECTION,
                    key: key.to_string(),
                })?;
                b.queued += 1;
                match answer {
                    Answer::Record(Some(any)) => typed(b.store.path(), any),
                    other => Err(unexpected(&b.path(), &other)),
                }
            }
        }
    }

    /// See the local batch's `mark_pending`.
    pub fn mark_pending(&mut self) -> Result<(), StoreError> {
        match self {
            Batch::Local(b) => b.mark_pending(),
            Batch::Remote(b) => {
                b.begin()?;
                let answer = b.client.call(&Request::BatchMarkPending)?;
                b.expect_done(answer)
            }
        }
    }

    /// Writes what is queued so far and goes on with the same batch.
    pub fn write_chunk(&mut self) -> Result<(), StoreError> {
        match self {
            Batch::Local(b) => b.write_chunk(),
            Batch::Remote(b) => {
                b.begin()?;
                let answer = b.client.call(&Request::BatchWriteChunk)?;
                b.expect_done(answer)
            }
        }
    }

    /// Writes every change durably, as one batch.
    pub fn commit(self) -> Result<BatchSummary, StoreError> {
        match self {
            Batch::Local(b) => b.commit(),
            Batch::Remote(mut b) => {
                let (id, _) = b.begin()?;
                // Whatever happens now, the server has closed the batch.
                b.open = false;
                match b.client.call(&Request::BatchCommit)? {
                    Answer::Summary(s) => Ok(s),
                    other => Err(unexpected(&b.path(), &other)),
                }
                .map(|s| BatchSummary { id, ..s })
            }
        }
    }
}

/// Writes a dump into an empty store; see the local loader.
#[allow(clippy::large_enum_variant)]
pub enum Loader<'s> {
    Local(LocalLoader<'s>),
    Remote {
        store: &'s Store,
        client: &'s Client,
        done: LoadSummary,
    },
}

impl Loader<'_> {
    pub fn record<R: Record>(&mut self, record: R) -> Result<(), StoreError> {
        match self {
            Loader::Local(l) => l.record(record),
            Loader::Remote {
                store,
                client,
                done,
                ..
            } => match client.call(&Request::LoadRecord(record.into_any()))? {
                Answer::Done => {
                    done.records += 1;
                    Ok(())
                }
                other => Err(unexpected(store.path(), &other)),
            },
        }
    }

    pub fn history(&mut self, entry: HistoryEntry) -> Result<(), StoreError> {
        match self {
            Loader::Local(l) => l.history(entry),
            Loader::Remote {
                store,
                client,
                done,
                ..
            } => {
                let json = serde_json::to_string(&entry).map_err(|e| StoreError::Corrupt {
                    path: store.path().to_path_buf(),
                    what: "history entry".into(),
                    reason: e.to_string(),
                })?;
                match client.call(&Request::LoadHistory(json))? {
                    Answer::Done => {
                        done.history += 1;
                        Ok(())
                    }
                    other => Err(unexpected(store.path(), &other)),
                }
            }
        }
    }

    pub fn summary(&self) -> LoadSummary {
        match self {
            Loader::Local(l) => l.summary(),
            Loader::Remote { done, .. } => *done,
        }
    }

    pub fn finish(self) -> Result<LoadSummary, StoreError> {
        match self {
            Loader::Local(l) => l.finish(),
            // Dropped unfinished, the server empties the store again when
            // this client goes.
            Loader::Remote { store, client, .. } => match client.call(&Request::LoadFinish)? {
                Answer::Loaded(s) => Ok(s),
                other => Err(unexpected(store.path(), &other)),
            },
        }
    }
}
