//! The [`Backend`] of a store held in this process: the [`Engine`]'s typed
//! methods, reached through the one dispatch from a collection to its
//! record type. The server's sessions use these too.

use std::path::Path;
use std::sync::mpsc::Receiver;

use uuid::Uuid;

use super::backend::{Backend, BatchBackend, LoadBackend, Records};
use super::{BatchSummary, Engine, Event, HistoryEntry, LoadSummary, StoreError};
use crate::each_record;
use crate::model::{AnyRecord, Collection, Context, IntoAny};

pub use super::batch::Batch;
pub use super::load::Loader;
pub use super::scan::Scan;

/// History entries read per page by a local walk: the walk is a sled range,
/// so a page costs one seek.
const HISTORY_PAGE: usize = 1024;

fn other_collection(engine: &Engine, what: &str) -> StoreError {
    StoreError::Refused {
        path: engine.path().to_path_buf(),
        reason: format!("{what} of another collection"),
    }
}

impl Backend for Engine {
    fn path(&self) -> &Path {
        Engine::path(self)
    }

    fn user(&self) -> &str {
        Engine::user(self)
    }

    fn set_user(&mut self, who: String) {
        Engine::set_user(self, who);
    }

    fn tightened(&self) -> &[super::perms::Tightened] {
        Engine::tightened(self)
    }

    fn reads_are_round_trips(&self) -> bool {
        false
    }

    fn take_events(&self) -> Option<Receiver<Event>> {
        None
    }

    fn events_overflowed(&self) -> bool {
        false
    }

    fn clients_at_start(&self) -> u32 {
        1
    }

    fn reopen(&self) -> Result<Box<dyn Backend>, StoreError> {
        Ok(Box::new(Engine::open(Engine::path(self))?))
    }

    fn schema_version(&self) -> Result<u32, StoreError> {
        Engine::schema_version(self)
    }

    fn flush(&self) -> Result<(), StoreError> {
        Engine::flush(self)
    }

    fn get(&self, collection: Collection, key: &str) -> Result<Option<AnyRecord>, StoreError> {
        each_record!(type of collection, R => Ok(self.get::<R>(key)?.map(IntoAny::into_any)))
    }

    fn get_by_id(&self, collection: Collection, id: Uuid) -> Result<Option<AnyRecord>, StoreError> {
        each_record!(type of collection, R => Ok(self.get_by_id::<R>(id)?.map(IntoAny::into_any)))
    }

    fn contains(&self, collection: Collection, key: &str) -> Result<bool, StoreError> {
        each_record!(type of collection, R => Engine::contains::<R>(self, key))
    }

    fn count(&self, collection: Collection) -> usize {
        each_record!(type of collection, R => Engine::count::<R>(self))
    }

    fn keys(&self, collection: Collection) -> Result<Vec<String>, StoreError> {
        each_record!(type of collection, R => Engine::keys::<R>(self))
    }

    fn scan(
        &self,
        collection: Collection,
        sort: Option<&str>,
        skip: usize,
    ) -> Result<Records<'_>, StoreError> {
        each_record!(type of collection, R => {
            let scan = Engine::scan::<R>(self, sort)?.skip_ids(skip);
            Ok(Box::new(scan.map(|r| r.map(IntoAny::into_any))) as Records<'_>)
        })
    }

    fn page(
        &self,
        collection: Collection,
        sort: Option<&str>,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<AnyRecord>, StoreError> {
        each_record!(type of collection, R => Engine::scan::<R>(self, sort)?
            .skip_ids(offset)
            .take(limit)
            .map(|r| r.map(IntoAny::into_any))
            .collect())
    }

    fn all(&self, collection: Collection) -> Records<'_> {
        each_record!(type of collection, R => {
            Box::new(Engine::all::<R>(self).map(|r| r.map(IntoAny::into_any))) as Records<'_>
        })
    }

    fn history_page(
        &self,
        batch: Option<Uuid>,
        after: Option<(Uuid, u32)>,
    ) -> Result<Vec<HistoryEntry>, StoreError> {
        match batch {
            None => Engine::history_page(self, after, HISTORY_PAGE),
            Some(batch) => self.batch_history_page(batch, after.map(|(_, seq)| seq), HISTORY_PAGE),
        }
    }

    fn undo_batch(&self, batch: Uuid) -> Result<BatchSummary, StoreError> {
        Engine::undo_batch(self, batch)
    }

    fn is_empty(&self) -> Result<bool, StoreError> {
        Engine::is_empty(self)
    }

    fn batch(&self) -> Box<dyn BatchBackend + '_> {
        Box::new(Engine::batch(self))
    }

    fn loader(&self) -> Result<Box<dyn LoadBackend + '_>, StoreError> {
        Ok(Box::new(Engine::loader(self)?))
    }
}

impl Batch<'_> {
    /// [`Batch::put_over`] of a record of any collection.
    pub fn put_any(
        &mut self,
        record: AnyRecord,
        base: Option<Option<&AnyRecord>>,
    ) -> Result<AnyRecord, StoreError> {
        let store = self.store;
        each_record!(record, r => {
            let stored = match base {
                None => self.put(r)?,
                Some(base) => {
                    let base = base
                        .map(|b| IntoAny::from_any_ref(b).ok_or_else(|| {
                            other_collection(store, "a base record")
                        }))
                        .transpose()?;
                    self.put_over(r, base)?
                }
            };
            Ok(stored.into_any())
        })
    }

    /// [`Batch::remove`] in a collection named at run time.
    pub fn remove_any(
        &mut self,
        collection: Collection,
        key: &str,
    ) -> Result<AnyRecord, StoreError> {
        each_record!(type of collection, R => Ok(self.remove::<R>(key)?.into_any()))
    }
}

impl BatchBackend for Batch<'_> {
    fn id(&mut self) -> Result<Uuid, StoreError> {
        Ok(Batch::id(self))
    }

    fn context(&mut self) -> Result<Context, StoreError> {
        Ok(Batch::context(self))
    }

    fn len(&self) -> usize {
        Batch::len(self)
    }

    fn put(
        &mut self,
        record: AnyRecord,
        base: Option<Option<&AnyRecord>>,
    ) -> Result<AnyRecord, StoreError> {
        self.put_any(record, base)
    }

    fn put_all(&mut self, records: Vec<AnyRecord>) -> Result<(), (usize, StoreError)> {
        for (i, record) in records.into_iter().enumerate() {
            self.put_any(record, None).map_err(|e| (i, e))?;
        }
        Ok(())
    }

    fn remove(&mut self, collection: Collection, key: &str) -> Result<AnyRecord, StoreError> {
        self.remove_any(collection, key)
    }

    fn mark_pending(&mut self) -> Result<(), StoreError> {
        Batch::mark_pending(self)
    }

    fn write_chunk(&mut self) -> Result<(), StoreError> {
        Batch::write_chunk(self)
    }

    fn commit(self: Box<Self>) -> Result<BatchSummary, StoreError> {
        Batch::commit(*self)
    }
}

impl Loader<'_> {
    /// [`Loader::record`] of a record of any collection.
    pub fn record_any(&mut self, record: AnyRecord) -> Result<(), StoreError> {
        each_record!(record, r => self.record(r))
    }
}

impl LoadBackend for Loader<'_> {
    fn record(&mut self, record: AnyRecord) -> Result<(), StoreError> {
        self.record_any(record)
    }

    fn history(&mut self, entry: HistoryEntry) -> Result<(), StoreError> {
        Loader::history(self, entry)
    }

    fn summary(&self) -> LoadSummary {
        Loader::summary(self)
    }

    fn finish(self: Box<Self>) -> Result<LoadSummary, StoreError> {
        Loader::finish(*self)
    }
}
