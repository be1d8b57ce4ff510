//! The [`Backend`] of a client of `clusterdesk serve`: each call is a
//! request on the wire (`protocol.rs`), answered by the server's session.
//! Walks of a collection or of the history go a page at a time.

use super::link::LinkError;
use std::path::Path;
use std::sync::mpsc::Receiver;

use uuid::Uuid;

use super::client::Client;
use super::protocol::{self, Answer, Request};
use super::spawn;
use crate::model::{AnyRecord, Collection, Context};
use crate::store::{
    Backend, BatchBackend, BatchSummary, Event, HistoryEntry, LoadBackend, LoadSummary, Records,
    StoreError,
};

/// Records fetched per request when a client walks a collection (the
/// server sends fewer when they are large).
const PAGE: u32 = 256;

/// Records fetched per request when a client reads a whole collection
/// (the console's load): fewer round trips; the server still sends fewer
/// when they are large.
const ALL_PAGE: u32 = 2048;

/// The most one request of many puts carries.
const PUT_BYTES: usize = 8 * 1024 * 1024;

fn unexpected(path: &Path, answer: &Answer) -> StoreError {
    StoreError::from(LinkError::Disconnected {
        path: path.to_path_buf(),
        reason: format!("the server answered out of turn ({answer:?})"),
    })
}

/// A record the server sent, checked to be of the collection asked for.
fn of(path: &Path, collection: Collection, any: AnyRecord) -> Result<AnyRecord, StoreError> {
    if any.collection() == collection {
        Ok(any)
    } else {
        Err(StoreError::from(LinkError::Disconnected {
            path: path.to_path_buf(),
            reason: format!(
                "the server sent a record of {} for {collection}",
                any.collection()
            ),
        }))
    }
}

impl Client {
    fn ask(&self, request: &Request) -> Result<Answer, StoreError> {
        self.call(request)
    }

    fn one(&self, collection: Collection, answer: Answer) -> Result<Option<AnyRecord>, StoreError> {
        match answer {
            Answer::Record(r) => r.map(|any| of(self.store(), collection, any)).transpose(),
            other => Err(unexpected(self.store(), &other)),
        }
    }

    fn bool(&self, request: &Request) -> Result<bool, StoreError> {
        match self.ask(request)? {
            Answer::Bool(b) => Ok(b),
            other => Err(unexpected(self.store(), &other)),
        }
    }
}

impl Backend for Client {
    fn path(&self) -> &Path {
        self.store()
    }

    fn user(&self) -> &str {
        Client::user(self)
    }

    fn set_user(&mut self, _who: String) {}

    fn tightened(&self) -> &[crate::store::perms::Tightened] {
        &[]
    }

    fn reads_are_round_trips(&self) -> bool {
        true
    }

    fn take_events(&self) -> Option<Receiver<Event>> {
        Client::take_events(self)
    }

    fn events_overflowed(&self) -> bool {
        self.take_overflow()
    }

    fn clients_at_start(&self) -> u32 {
        Client::clients_at_start(self)
    }

    fn reopen(&self) -> Result<Box<dyn Backend>, StoreError> {
        Ok(Box::new(if self.is_forwarded() {
            Client::connect(self.store(), self.store())?
        } else {
            spawn::connect_or_start(self.store())?
        }))
    }

    fn schema_version(&self) -> Result<u32, StoreError> {
        match self.ask(&Request::SchemaVersion)? {
            Answer::Number(n) => Ok(n),
            other => Err(unexpected(self.store(), &other)),
        }
    }

    /// A server's writes are durable when acknowledged.
    fn flush(&self) -> Result<(), StoreError> {
        Ok(())
    }

    fn get(&self, collection: Collection, key: &str) -> Result<Option<AnyRecord>, StoreError> {
        let key = key.to_string();
        self.one(collection, self.ask(&Request::Get { collection, key })?)
    }

    fn get_by_id(&self, collection: Collection, id: Uuid) -> Result<Option<AnyRecord>, StoreError> {
        self.one(collection, self.ask(&Request::GetById { collection, id })?)
    }

    fn contains(&self, collection: Collection, key: &str) -> Result<bool, StoreError> {
        let key = key.to_string();
        self.bool(&Request::Contains { collection, key })
    }

    fn count(&self, collection: Collection) -> usize {
        match self.ask(&Request::Count { collection }) {
            Ok(Answer::Count(n)) => usize::try_from(n).unwrap_or(usize::MAX),
            other => {
                tracing::warn!("count of {collection} failed: {other:?}");
                0
            }
        }
    }

    fn keys(&self, collection: Collection) -> Result<Vec<String>, StoreError> {
        match self.ask(&Request::Keys { collection })? {
            Answer::Keys(k) => Ok(k),
            other => Err(unexpected(self.store(), &other)),
        }
    }

    fn scan(
        &self,
        collection: Collection,
        sort: Option<&str>,
        skip: usize,
    ) -> Result<Records<'_>, StoreError> {
        Ok(Box::new(Pages {
            client: self,
            collection,
            walk: Walk::Sorted {
                sort: sort.map(str::to_string),
                skip: skip as u64,
                cursor: None,
            },
            page_size: PAGE,
            page: Vec::new().into_iter(),
            done: false,
        }))
    }

    fn page(
        &self,
        collection: Collection,
        sort: Option<&str>,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<AnyRecord>, StoreError> {
        // Asked for no more than the page needs: a first screen through
        // the server is one round trip of a screenful.
        let pages = Pages {
            client: self,
            collection,
            walk: Walk::Sorted {
                sort: sort.map(str::to_string),
                skip: offset as u64,
                cursor: None,
            },
            page_size: u32::try_from(limit).unwrap_or(PAGE).clamp(1, PAGE),
            page: Vec::new().into_iter(),
            done: false,
        };
        pages.take(limit).collect()
    }

    fn all(&self, collection: Collection) -> Records<'_> {
        Box::new(Pages {
            client: self,
            collection,
            walk: Walk::ById { after: None },
            page_size: ALL_PAGE,
            page: Vec::new().into_iter(),
            done: false,
        })
    }

    fn history_page(
        &self,
        batch: Option<Uuid>,
        after: Option<(Uuid, u32)>,
    ) -> Result<Vec<HistoryEntry>, StoreError> {
        let request = Request::History {
            batch,
            after,
            limit: PAGE,
        };
        match self.ask(&request)? {
            Answer::History(lines) => lines
                .iter()
                .map(|l| {
                    serde_json::from_str(l).map_err(|e| {
                        StoreError::from(LinkError::Disconnected {
                            path: self.store().to_path_buf(),
                            reason: format!("a history entry that does not read: {e}"),
                        })
                    })
                })
                .collect(),
            other => Err(unexpected(self.store(), &other)),
        }
    }

    fn undo_batch(&self, batch: Uuid) -> Result<BatchSummary, StoreError> {
        match self.ask(&Request::Undo(batch))? {
            Answer::Summary(s) => Ok(s),
            other => Err(unexpected(self.store(), &other)),
        }
    }

    fn is_empty(&self) -> Result<bool, StoreError> {
        self.bool(&Request::IsEmpty)
    }

    fn batch(&self) -> Box<dyn BatchBackend + '_> {
        Box::new(RemoteBatch {
            client: self,
            started: None,
            queued: 0,
            open: false,
        })
    }

    fn loader(&self) -> Result<Box<dyn LoadBackend + '_>, StoreError> {
        match self.ask(&Request::LoadBegin)? {
            Answer::Done => Ok(Box::new(RemoteLoader {
                client: self,
                done: LoadSummary::default(),
            })),
            other => Err(unexpected(self.store(), &other)),
        }
    }
}

/// Where a walk of a collection has got to.
enum Walk {
    /// Through an index: the first page skips, the next start at a cursor.
    Sorted {
        sort: Option<String>,
        skip: u64,
        cursor: Option<Vec<u8>>,
    },
    /// In id order, after the last id read.
    ById { after: Option<Uuid> },
}

/// A collection read a page of requests at a time.
struct Pages<'c> {
    client: &'c Client,
    collection: Collection,
    walk: Walk,
    /// Records asked for per request.
    page_size: u32,
    page: std::vec::IntoIter<AnyRecord>,
    done: bool,
}

impl Pages<'_> {
    fn fetch(&mut self) -> Result<(), StoreError> {
        let collection = self.collection;
        let request = match &self.walk {
            Walk::Sorted { sort, skip, cursor } => Request::Scan {
                collection,
                sort: sort.clone(),
                after: cursor.clone(),
                skip: *skip,
                limit: self.page_size,
            },
            Walk::ById { after } => Request::All {
                collection,
                after: *after,
                limit: self.page_size,
            },
        };
        let path = self.client.store();
        let (records, next) = match self.client.ask(&request)? {
            Answer::Records { records, next } => (records, next),
            other => return Err(unexpected(path, &other)),
        };
        self.done = next.is_none();
        match &mut self.walk {
            Walk::Sorted { cursor, .. } => *cursor = next,
            Walk::ById { after } => *after = next.and_then(|n| Uuid::from_slice(&n).ok()),
        }
        let records = records
            .into_iter()
            .map(|a| of(path, collection, a))
            .collect::<Result<Vec<_>, _>>()?;
        self.page = records.into_iter();
        Ok(())
    }
}

impl Iterator for Pages<'_> {
    type Item = Result<AnyRecord, StoreError>;

    fn next(&mut self) -> Option<Self::Item> {
        if let Some(r) = self.page.next() {
            return Some(Ok(r));
        }
        if self.done {
            return None;
        }
        match self.fetch() {
            Ok(()) => self.page.next().map(Ok),
            Err(e) => {
                self.done = true;
                Some(Err(e))
            }
        }
    }
}

/// A batch kept by the server for this client; begun with its first change.
struct RemoteBatch<'c> {
    client: &'c Client,
    started: Option<(Uuid, Context)>,
    queued: usize,
    open: bool,
}

impl RemoteBatch<'_> {
    fn begin(&mut self) -> Result<(Uuid, Context), StoreError> {
        if let Some(started) = self.started {
            return Ok(started);
        }
        match self.client.ask(&Request::BatchBegin)? {
            Answer::BatchStarted { id, today } => {
                let started = (id, Context { today });
                self.started = Some(started);
                self.open = true;
                Ok(started)
            }
            other => Err(unexpected(self.client.store(), &other)),
        }
    }

    fn done(&self, answer: Answer) -> Result<(), StoreError> {
        match answer {
            Answer::Done => Ok(()),
            other => Err(unexpected(self.client.store(), &other)),
        }
    }

    /// A change the server queued: the record as it will be stored.
    fn queued(&mut self, collection: Collection, answer: Answer) -> Result<AnyRecord, StoreError> {
        self.queued += 1;
        match answer {
            Answer::Record(Some(any)) => of(self.client.store(), collection, any),
            other => Err(unexpected(self.client.store(), &other)),
        }
    }
}

impl Drop for RemoteBatch<'_> {
    fn drop(&mut self) {
        if self.open {
            // The server also gives the batch up if this client goes away.
            let _ = self.client.ask(&Request::BatchAbort);
        }
    }
}

impl BatchBackend for RemoteBatch<'_> {
    fn id(&mut self) -> Result<Uuid, StoreError> {
        self.begin().map(|(id, _)| id)
    }

    fn context(&mut self) -> Result<Context, StoreError> {
        self.begin().map(|(_, ctx)| ctx)
    }

    fn len(&self) -> usize {
        self.queued
    }

    fn put(
        &mut self,
        record: AnyRecord,
        base: Option<Option<&AnyRecord>>,
    ) -> Result<AnyRecord, StoreError> {
        self.begin()?;
        let collection = record.collection();
        let request = match base {
            None => Request::BatchPut(record),
            Some(base) => Request::BatchPutIf {
                record,
                base: base.cloned(),
            },
        };
        let answer = self.client.ask(&request)?;
        self.queued(collection, answer)
    }

    fn put_all(&mut self, records: Vec<AnyRecord>) -> Result<(), (usize, StoreError)> {
        self.begin().map_err(|e| (0, e))?;
        // Requests of at most PUT_BYTES each, so large records never make
        // a frame too big.
        let mut sent = 0usize;
        let mut part: Vec<AnyRecord> = Vec::new();
        let mut bytes = 0usize;
        let mut records = records.into_iter().peekable();
        while let Some(any) = records.next() {
            bytes += protocol::encode(&any).len();
            part.push(any);
            if bytes < PUT_BYTES && records.peek().is_some() {
                continue;
            }
            let count = part.len();
            let request = Request::BatchPutAll(std::mem::take(&mut part));
            bytes = 0;
            match self.client.ask(&request).map_err(|e| (sent, e))? {
                Answer::Done => {
                    self.queued += count;
                    sent += count;
                }
                Answer::Failed { index, error } => {
                    self.queued += index as usize;
                    return Err((sent + index as usize, error));
                }
                other => return Err((sent, unexpected(self.client.store(), &other))),
            }
        }
        Ok(())
    }

    fn remove(&mut self, collection: Collection, key: &str) -> Result<AnyRecord, StoreError> {
        self.begin()?;
        let key = key.to_string();
        let answer = self.client.ask(&Request::BatchRemove { collection, key })?;
        self.queued(collection, answer)
    }

    fn mark_pending(&mut self) -> Result<(), StoreError> {
        self.begin()?;
        let answer = self.client.ask(&Request::BatchMarkPending)?;
        self.done(answer)
    }

    fn write_chunk(&mut self) -> Result<(), StoreError> {
        self.begin()?;
        let answer = self.client.ask(&Request::BatchWriteChunk)?;
        self.done(answer)
    }

    fn commit(mut self: Box<Self>) -> Result<BatchSummary, StoreError> {
        let (id, _) = self.begin()?;
        // Whatever happens now, the server has closed the batch.
        self.open = false;
        match self.client.ask(&Request::BatchCommit)? {
            Answer::Summary(s) => Ok(BatchSummary { id, ..s }),
            other => Err(unexpected(self.client.store(), &other)),
        }
    }
}

/// A load the server runs for this client; dropped unfinished, the server
/// empties the store again when this client goes.
struct RemoteLoader<'c> {
    client: &'c Client,
    done: LoadSummary,
}

impl LoadBackend for RemoteLoader<'_> {
    fn record(&mut self, record: AnyRecord) -> Result<(), StoreError> {
        match self.client.ask(&Request::LoadRecord(record))? {
            Answer::Done => {
                self.done.records += 1;
                Ok(())
            }
            other => Err(unexpected(self.client.store(), &other)),
        }
    }

    fn history(&mut self, entry: HistoryEntry) -> Result<(), StoreError> {
        let json = serde_json::to_string(&entry).map_err(|e| StoreError::Corrupt {
            path: self.client.store().to_path_buf(),
            what: "history entry".into(),
            reason: e.to_string(),
        })?;
        match self.client.ask(&Request::LoadHistory(json))? {
            Answer::Done => {
                self.done.history += 1;
                Ok(())
            }
            other => Err(unexpected(self.client.store(), &other)),
        }
    }

    fn summary(&self) -> LoadSummary {
        self.done
    }

    fn finish(self: Box<Self>) -> Result<LoadSummary, StoreError> {
        match self.client.ask(&Request::LoadFinish)? {
            Answer::Loaded(s) => Ok(s),
            other => Err(unexpected(self.client.store(), &other)),
        }
    }
}
