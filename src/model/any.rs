//! A record of any collection: what the console holds one at a time, and
//! what travels between a client and the server.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{
    Collection, FieldError, FieldSpec, FieldValue, Indicator, Meeting, Member, NewsItem, Record,
};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum AnyRecord {
    Member(Member),
    Indicator(Indicator),
    News(NewsItem),
    Meeting(Meeting),
}

/// The one dispatch from a collection to its record type: runs the same
/// expression on whichever record is inside (`each_record!(any, r => ..)`),
/// or with `R` standing for the record type of a collection
/// (`each_record!(type of collection, R => ..)`). A new collection adds
/// one line to each arm.
#[macro_export]
macro_rules! each_record {
    (type of $collection:expr, $r:ident => $body:expr) => {
        match $collection {
            $crate::model::Collection::Members => {
                type $r = $crate::model::Member;
                $body
            }
            $crate::model::Collection::Indicators => {
                type $r = $crate::model::Indicator;
                $body
            }
            $crate::model::Collection::News => {
                type $r = $crate::model::NewsItem;
                $body
            }
            $crate::model::Collection::Meetings => {
                type $r = $crate::model::Meeting;
                $body
            }
        }
    };
    ($value:expr, $r:ident => $body:expr) => {
        match $value {
            $crate::model::AnyRecord::Member($r) => $body,
            $crate::model::AnyRecord::Indicator($r) => $body,
            $crate::model::AnyRecord::News($r) => $body,
            $crate::model::AnyRecord::Meeting($r) => $body,
        }
    };
}

/// A record type to and from [`AnyRecord`].
pub trait IntoAny: Sized {
    fn into_any(self) -> AnyRecord;
    /// The record inside, if it is of this type.
    fn from_any(any: AnyRecord) -> Option<Self>;
    /// [`IntoAny::from_any`], borrowed.
    fn from_any_ref(any: &AnyRecord) -> Option<&Self>;
}

macro_rules! into_any {
    ($($ty:ident => $variant:ident),+) => {$(
        impl IntoAny for $ty {
            fn into_any(self) -> AnyRecord {
                AnyRecord::$variant(self)
            }
            fn from_any(any: AnyRecord) -> Option<Self> {
                match any {
                    AnyRecord::$variant(r) => Some(r),
                    _ => None,
                }
            }
            fn from_any_ref(any: &AnyRecord) -> Option<&Self> {
                match any {
                    AnyRecord::$variant(r) => Some(r),
                    _ => None,
                }
            }
        }
    )+};
}
into_any!(Member => Member, Indicator => Indicator, NewsItem => News, Meeting => Meeting);

impl AnyRecord {
    /// A blank record of a collection.
    pub fn empty_with_id(collection: Collection, id: Uuid) -> AnyRecord {
        each_record!(type of collection, R => R::empty(id).into_any())
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
        each_record!(self, r => r.id())
    }

    pub fn key(&self) -> String {
        each_record!(self, r => r.key())
    }

    pub fn fields(&self) -> &'static [FieldSpec] {
        fn of<R: Record>(_: &R) -> &'static [FieldSpec] {
            R::fields()
        }
        each_record!(self, r => of(r))
    }

    pub fn get(&self, field: &str) -> Option<FieldValue> {
        each_record!(self, r => r.get(field))
    }

    pub fn set_text(&mut self, field: &str, value: &str) -> Result<(), FieldError> {
        each_record!(self, r => r.set_text(field, value))
    }

    pub fn nested(&self) -> Vec<(&'static str, serde_json::Value)> {
        each_record!(self, r => r.nested())
    }
}
