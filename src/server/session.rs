//! One client's requests, carried out on the store. A session may hold one
//! open batch or load at a time; it holds the store's write lock while it
//! does, so other writers wait for it. A large import (a pending batch) or
//! a load writes outside transactions, so while one runs the others' reads
//! wait too: nobody sees half of it.

use std::sync::{RwLock, RwLockWriteGuard};

use uuid::Uuid;

use super::auth::Peer;
use super::protocol::{self, Answer, Event, Request};
use crate::each_record;
use crate::model::{AnyRecord, Collection, IntoAny};
use crate::store::local::{Batch, Loader};
use crate::store::{Backend, Engine, HistoryEntry, StoreError};

pub struct Session<'s> {
    engine: &'s Engine,
    pub peer: Peer,
    batch: Option<Batch<'s>>,
    loader: Option<Loader<'s>>,
    /// Readers wait on this while a session writes outside transactions.
    visible: &'s RwLock<()>,
    exclusive: Option<RwLockWriteGuard<'s, ()>>,
}

fn refused(engine: &Engine, reason: &str) -> StoreError {
    StoreError::Refused {
        path: engine.path().to_path_buf(),
        reason: reason.to_string(),
    }
}

fn records(records: Vec<impl IntoAny>, next: Option<Vec<u8>>) -> Answer {
    Answer::Records {
        records: records.into_iter().map(IntoAny::into_any).collect(),
        next,
    }
}

fn scan(
    e: &Engine,
    collection: Collection,
    sort: Option<&str>,
    after: Option<&[u8]>,
    skip: u64,
    limit: u32,
) -> Result<Answer, StoreError> {
    let skip = usize::try_from(skip).unwrap_or(usize::MAX);
    each_record!(type of collection, R => {
        let (page, next) = e.scan_page::<R>(sort, after, skip, limit as usize)?;
        Ok(records(page, next))
    })
}

fn all(
    e: &Engine,
    collection: Collection,
    after: Option<Uuid>,
    limit: u32,
) -> Result<Answer, StoreError> {
    each_record!(type of collection, R => {
        let (page, next) = e.all_page::<R>(after, limit as usize)?;
        Ok(records(page, next.map(|id| id.as_bytes().to_vec())))
    })
}

fn put_all(b: &mut Batch<'_>, all: Vec<AnyRecord>) -> Answer {
    for (index, any) in all.into_iter().enumerate() {
        if let Err(error) = b.put_any(any, None) {
            return Answer::Failed {
                index: u32::try_from(index).unwrap_or(u32::MAX),
                error,
            };
        }
    }
    Answer::Done
}

/// The most a page's answer may take: well inside a frame.
const PAGE_BYTES: usize = protocol::MAX_FRAME / 4;

/// A page of at most `limit` items, fewer if large records would make the
/// answer too big for a frame (the client asks on from where it ended).
fn fitting(
    mut limit: u32,
    page: impl Fn(u32) -> Result<Answer, StoreError>,
) -> Result<Answer, StoreError> {
    loop {
        let answer = page(limit)?;
        if limit <= 1 || protocol::encode(&answer).len() <= PAGE_BYTES {
            return Ok(answer);
        }
        limit /= 4;
    }
}

fn history_json(e: &Engine, entries: Vec<HistoryEntry>) -> Result<Answer, StoreError> {
    entries
        .iter()
        .map(|entry| {
            serde_json::to_string(entry).map_err(|err| StoreError::Corrupt {
                path: e.path().to_path_buf(),
                what: "history entry".into(),
                reason: err.to_string(),
            })
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Answer::History)
}

impl<'s> Session<'s> {
    pub fn new(engine: &'s Engine, peer: Peer, visible: &'s RwLock<()>) -> Self {
        Session {
            engine,
            peer,
            batch: None,
            loader: None,
            visible,
            exclusive: None,
        }
    }

    /// From now until the batch or load ends, others' reads wait.
    fn hide_writes(&mut self) {
        if self.exclusive.is_none() {
            self.exclusive = Some(self.visible.write().unwrap_or_else(|p| p.into_inner()));
        }
    }

    /// Whether a batch or load is open (the client must not go quiet).
    pub fn is_writing(&self) -> bool {
        self.batch.is_some() || self.loader.is_some()
    }

    /// Carries out one request; also returns what others should hear of it.
    pub fn handle(&mut self, request: Request) -> (Result<Answer, StoreError>, Option<Event>) {
        let reads = matches!(
            request,
            Request::Get { .. }
                | Request::GetById { .. }
                | Request::Contains { .. }
                | Request::Count { .. }
                | Request::Keys { .. }
                | Request::Scan { .. }
                | Request::All { .. }
                | Request::History { .. }
                | Request::IsEmpty
                | Request::SchemaVersion
        );
        let visible = self.visible;
        let _reading = (reads && self.exclusive.is_none())
            .then(|| visible.read().unwrap_or_else(|p| p.into_inner()));
        let (answer, event) = self.carry_out(request);
        if !self.is_writing() {
            self.exclusive = None;
        }
        (answer, event)
    }

    fn carry_out(&mut self, request: Request) -> (Result<Answer, StoreError>, Option<Event>) {
        let e = self.engine;
        let mut event = None;
        let result = match request {
            Request::Get { collection, key } => {
                Backend::get(e, collection, &key).map(Answer::Record)
            }
            Request::GetById { collection, id } => {
                Backend::get_by_id(e, collection, id).map(Answer::Record)
            }
            Request::Contains { collection, key } => {
                Backend::contains(e, collection, &key).map(Answer::Bool)
            }
            Request::Count { collection } => {
                Ok(Answer::Count(Backend::count(e, collection) as u64))
            }
            Request::Keys { collection } => Backend::keys(e, collection).map(Answer::Keys),
            Request::Scan {
                collection,
                sort,
                after,
                skip,
                limit,
            } => fitting(limit, |limit| {
                scan(
                    e,
                    collection,
                    sort.as_deref(),
                    after.as_deref(),
                    skip,
                    limit,
                )
            }),
            Request::All {
                collection,
                after,
                limit,
            } => fitting(limit, |limit| all(e, collection, after, limit)),
            Request::History {
                batch,
                after,
                limit,
            } => fitting(limit, |limit| self.history(batch, after, limit)),
            Request::IsEmpty => e.is_empty().map(Answer::Bool),
            Request::SchemaVersion => e.schema_version().map(Answer::Number),
            Request::BatchBegin => self.begin(),
            Request::BatchPut(any) => match &mut self.batch {
                Some(b) => b.put_any(any, None).map(|r| Answer::Record(Some(r))),
                None => Err(refused(e, "no batch is open")),
            },
            Request::BatchPutIf { record, base } => match &mut self.batch {
                Some(b) => b
                    .put_any(record, Some(base.as_ref()))
                    .map(|r| Answer::Record(Some(r))),
                None => Err(refused(e, "no batch is open")),
            },
            Request::BatchPutAll(records) => match &mut self.batch {
                Some(b) => Ok(put_all(b, records)),
                None => Err(refused(e, "no batch is open")),
            },
            Request::BatchRemove { collection, key } => match &mut self.batch {
                Some(b) => b
                    .remove_any(collection, &key)
                    .map(|r| Answer::Record(Some(r))),
                None => Err(refused(e, "no batch is open")),
            },
            Request::BatchMarkPending => match &mut self.batch {
                Some(b) => {
                    let marked = b.mark_pending().map(|()| Answer::Done);
                    self.hide_writes();
                    marked
                }
                None => Err(refused(e, "no batch is open")),
            },
            Request::BatchWriteChunk => match &mut self.batch {
                Some(b) => b.write_chunk().map(|()| Answer::Done),
                None => Err(refused(e, "no batch is open")),
            },
            Request::BatchCommit => match self.batch.take() {
                Some(b) => b.commit_listing().map(|(summary, records)| {
                    if summary.created + summary.updated + summary.removed > 0 {
                        event = Some(Event::Changed {
                            by: self.peer.user.clone(),
                            batch: summary.id,
                            records,
                        });
                    }
                    Answer::Summary(summary)
                }),
                None => Err(refused(e, "no batch is open")),
            },
            Request::BatchAbort => {
                self.abandon();
                Ok(Answer::Done)
            }
            Request::Undo(batch) if !self.is_writing() => e
                .undo_batch_by(batch, &self.peer.user)
                .map(|(summary, records)| {
                    event = Some(Event::Changed {
                        by: self.peer.user.clone(),
                        batch: summary.id,
                        records,
                    });
                    Answer::Summary(summary)
                }),
            Request::Undo(_) => Err(refused(e, "finish the open batch first")),
            Request::LoadBegin if !self.is_writing() => match e.loader() {
                Ok(l) => {
                    self.loader = Some(l);
                    self.hide_writes();
                    Ok(Answer::Done)
                }
                Err(err) => Err(err),
            },
            Request::LoadBegin => Err(refused(e, "finish the open batch first")),
            Request::LoadRecord(any) => match &mut self.loader {
                Some(l) => l.record_any(any).map(|()| Answer::Done),
                None => Err(refused(e, "no load is open")),
            },
            Request::LoadHistory(json) => match &mut self.loader {
                Some(l) => serde_json::from_str::<HistoryEntry>(&json)
                    .map_err(|err| {
                        refused(e, &format!("a history entry that does not read: {err}"))
                    })
                    .and_then(|entry| l.history(entry))
                    .map(|()| Answer::Done),
                None => Err(refused(e, "no load is open")),
            },
            Request::LoadFinish => match self.loader.take() {
                Some(l) => l.finish().map(|summary| {
                    event = Some(Event::Changed {
                        by: self.peer.user.clone(),
                        batch: Uuid::nil(),
                        records: None,
                    });
                    Answer::Loaded(summary)
                }),
                None => Err(refused(e, "no load is open")),
            },
        };
        (result, event)
    }

    fn begin(&mut self) -> Result<Answer, StoreError> {
        if self.is_writing() {
            return Err(refused(self.engine, "a batch is open already"));
        }
        // Waits while another client's batch holds the write lock.
        let mut batch = self.engine.batch();
        batch.set_author(self.peer.user.clone());
        let answer = Answer::BatchStarted {
            id: batch.id(),
            today: batch.context().today,
        };
        self.batch = Some(batch);
        Ok(answer)
    }

    fn history(
        &self,
        batch: Option<Uuid>,
        after: Option<(Uuid, u32)>,
        limit: u32,
    ) -> Result<Answer, StoreError> {
        let e = self.engine;
        let entries = match batch {
            None => e.history_page(after, limit as usize)?,
            Some(batch) => {
                e.batch_history_page(batch, after.map(|(_, seq)| seq), limit as usize)?
            }
        };
        history_json(e, entries)
    }

    /// Gives up what the client left open: a batch's written chunks are
    /// rolled back, a load empties the store again.
    pub fn abandon(&mut self) {
        if let Some(batch) = self.batch.take()
            && let Err(e) = batch.abandon()
        {
            tracing::error!(user = %self.peer.user, "could not roll back an abandoned batch: {e}");
        }
        self.loader = None;
        self.exclusive = None;
    }
}

impl Drop for Session<'_> {
    fn drop(&mut self) {
        self.abandon();
    }
}
