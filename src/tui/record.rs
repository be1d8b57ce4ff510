//! A record of any collection, for the parts of the console that hold one
//! record at a time (the detail pane, a new record's form).

use uuid::Uuid;

use crate::model::{
    Collection, FieldError, FieldSpec, FieldValue, Indicator, Meeting, Member, NewsItem, Record,
};
use crate::store::{Store, StoreError};

#[derive(Debug, Clone, PartialEq)]
pub enum AnyRecord {
    Member(Member),
    Indicator(Indicator),
    News(NewsItem),
    Meeting(Meeting),
}

/// Runs the same expression on whichever record is inside.
macro_rules! each {
    ($value:expr, $r:ident => $body:expr) => {
        match $value {
            AnyRecord::Member($r) => $body,
            AnyRecord::Indicator($r) => $body,
            AnyRecord::News($r) => $body,
            AnyRecord::Meeting($r) => $body,
        }
    };
}

impl AnyRecord {
    /// A blank record of a collection, for a new-record form.
    pub fn empty(collection: Collection) -> AnyRecord {
        let id = Uuid::now_v7();
        match collection {
            Collection::Members => AnyRecord::Member(Member::empty(id)),
            Collection::Indicators => AnyRecord::Indicator(Indicator::empty(id)),
            Collection::News => AnyRecord::News(NewsItem::empty(id)),
            Collection::Meetings => AnyRecord::Meeting(Meeting::empty(id)),
        }
    }

    pub fn load(
        store: &Store,
        collection: Collection,
        id: Uuid,
    ) -> Result<Option<AnyRecord>, StoreError> {
        Ok(match collection {
            Collection::Members => store.get_by_id(id)?.map(AnyRecord::Member),
            Collection::Indicators => store.get_by_id(id)?.map(AnyRecord::Indicator),
            Collection::News => store.get_by_id(id)?.map(AnyRecord::News),
            Collection::Meetings => store.get_by_id(id)?.map(AnyRecord::Meeting),
        })
    }

    pub fn collection(&self) -> Collection {
        match self {
            AnyRecord::Member(_) => Collection::Members,
            AnyRecord::Indicator(_) => Collection::Indicators,
            AnyRecord::News(_) => Collection::News,
            AnyRecord::Meeting(_) => Collection::Meetings,
        }
    }

    pub fn id(&self) -> Uuid {
        each!(self, r => r.id())
    }

    pub fn key(&self) -> String {
        each!(self, r => r.key())
    }

    pub fn fields(&self) -> &'static [FieldSpec] {
        fn of<R: Record>(_: &R) -> &'static [FieldSpec] {
            R::fields()
        }
        each!(self, r => of(r))
    }

    pub fn get(&self, field: &str) -> Option<FieldValue> {
        each!(self, r => r.get(field))
    }

    pub fn set_text(&mut self, field: &str, value: &str) -> Result<(), FieldError> {
        each!(self, r => r.set_text(field, value))
    }

    pub fn nested(&self) -> Vec<(&'static str, serde_json::Value)> {
        each!(self, r => r.nested())
    }

    /// Stores the record (validated by the store) in a batch of its own;
    /// returns it as stored and the batch id for undo.
    pub fn put(&self, store: &Store) -> Result<(AnyRecord, Option<Uuid>), StoreError> {
        fn put<R: Record>(
            store: &Store,
            r: &R,
            wrap: fn(R) -> AnyRecord,
        ) -> Result<(AnyRecord, Option<Uuid>), StoreError> {
            let mut batch = store.batch();
            let stored = batch.put(r.clone())?;
            let summary = batch.commit()?;
            let changed = summary.created + summary.updated + summary.removed > 0;
            Ok((wrap(stored), changed.then_some(summary.id)))
        }
        match self {
            AnyRecord::Member(r) => put(store, r, AnyRecord::Member),
            AnyRecord::Indicator(r) => put(store, r, AnyRecord::Indicator),
            AnyRecord::News(r) => put(store, r, AnyRecord::News),
            AnyRecord::Meeting(r) => put(store, r, AnyRecord::Meeting),
        }
    }
}
