//! What every collection's record offers the store, the CLI and the console:
//! named fields that can be read and set from text, a natural key, sort keys.

use std::fmt::Debug;

use jiff::civil::Date;
use serde::{Serialize, de::DeserializeOwned};
use uuid::Uuid;

use super::any::IntoAny;
use super::error::{FieldError, FieldErrors};

/// The collections: the registry. A new one adds a line here, to `ALL`,
/// and to each arm of `each_record!`; what it is (key, columns, sorts,
/// title, search text) is said by its `Record` impl.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Collection {
    // The numbers are stored (history entries, tree slots): never reuse one.
    Members = 0,
    Indicators = 1,
    News = 2,
    Meetings = 3,
}

impl Collection {
    /// Every collection, in the order dumps write them and loads read them:
    /// a collection whose records name another's comes after it (members
    /// first).
    pub const ALL: [Collection; 4] = [
        Collection::Members,
        Collection::Indicators,
        Collection::News,
        Collection::Meetings,
    ];

    /// Every collection's name, for messages: "members, indicators, ...".
    pub fn names() -> String {
        Collection::ALL.map(Collection::as_str).join(", ")
    }

    /// See [`Record::NAME`].
    pub fn as_str(self) -> &'static str {
        crate::each_record!(type of self, R => R::NAME)
    }

    /// See [`Record::SINGULAR`].
    pub fn singular(self) -> &'static str {
        crate::each_record!(type of self, R => R::SINGULAR)
    }

    /// See [`Record::REFERS_TO_MEMBERS`].
    pub fn refers_to_members(self) -> bool {
        crate::each_record!(type of self, R => R::REFERS_TO_MEMBERS)
    }

    /// See [`Record::PLURAL`].
    pub fn plural(self) -> &'static str {
        crate::each_record!(type of self, R => R::PLURAL)
    }

    /// The fields of the natural key (see [`Record::KEY_FIELDS`]).
    pub fn key_fields(self) -> &'static [&'static str] {
        crate::each_record!(type of self, R => R::KEY_FIELDS)
    }

    /// The number stored for this collection (history entries).
    pub const fn tag(self) -> u8 {
        self as u8
    }

    /// The orders kept besides the natural key (see [`Record::sorts`]).
    pub fn sorts(self) -> &'static [&'static str] {
        crate::each_record!(type of self, R => R::sorts())
    }

    /// See [`Record::fields`].
    pub fn fields(self) -> &'static [FieldSpec] {
        crate::each_record!(type of self, R => R::fields())
    }

    /// See [`Record::LIST_COLUMNS`].
    pub fn list_columns(self) -> &'static [&'static str] {
        crate::each_record!(type of self, R => R::LIST_COLUMNS)
    }

    /// See [`Record::TITLE_FIELD`].
    pub fn title_field(self) -> &'static str {
        crate::each_record!(type of self, R => R::TITLE_FIELD)
    }

    /// See [`Record::DEFAULT_SORT`] and [`Record::NEWEST_FIRST`]: the field,
    /// and whether newest first.
    pub fn default_sort(self) -> (&'static str, bool) {
        crate::each_record!(type of self, R => (R::DEFAULT_SORT, R::NEWEST_FIRST))
    }

    /// How the natural key is called in messages: `code`, `member/year`.
    pub fn key_name(self) -> String {
        self.key_fields().join("/")
    }

    pub fn parse(value: &str) -> Option<Collection> {
        let v = value.trim().to_ascii_lowercase();
        Collection::ALL.into_iter().find(|c| {
            c.as_str() == v || c.singular() == v || (v == "member" && *c == Collection::Members)
        })
    }
}

impl std::fmt::Display for Collection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for Collection {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for Collection {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = String::deserialize(d)?;
        Collection::ALL
            .into_iter()
            .find(|c| c.as_str() == name)
            .ok_or_else(|| {
                serde::de::Error::custom(format!(
                    "unknown collection \"{}\" ({})",
                    super::text::sanitize_for_message(&name),
                    Collection::names()
                ))
            })
    }
}

/// How a field is written as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// One line of text.
    Text,
    /// Text that may span lines (Markdown).
    MultiLine,
    /// Items separated by `,` or `;`.
    List,
    /// Free-text items separated by `;` or line breaks.
    TextList,
    /// `YYYY-MM-DD`.
    Date,
    /// One of a fixed list of names.
    Choice(&'static [&'static str]),
    /// A whole number.
    Number,
}

/// One settable field.
#[derive(Debug, Clone, Copy)]
pub struct FieldSpec {
    pub name: &'static str,
    pub kind: FieldKind,
    /// A record without it is invalid.
    pub required: bool,
    /// Shown in the `$EDITOR` form; false for fields that stand for a part of a
    /// nested value (a member's primary contact), which the form shows whole.
    pub in_form: bool,
    /// Shown in `list`'s table by default.
    pub in_table: bool,
}

impl FieldSpec {
    pub const fn new(name: &'static str, kind: FieldKind) -> Self {
        Self {
            name,
            kind,
            required: false,
            in_form: true,
            in_table: false,
        }
    }
    pub const fn required(mut self) -> Self {
        self.required = true;
        self
    }
    pub const fn table(mut self) -> Self {
        self.in_table = true;
        self
    }
    pub const fn not_in_form(mut self) -> Self {
        self.in_form = false;
        self
    }
    pub fn is_list(&self) -> bool {
        matches!(self.kind, FieldKind::List | FieldKind::TextList)
    }
}

/// A field's value as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldValue {
    Scalar(String),
    List(Vec<String>),
}

impl FieldValue {
    /// The value as one line of text; list items joined by `;`.
    pub fn to_text(&self) -> String {
        match self {
            FieldValue::Scalar(s) => s.clone(),
            FieldValue::List(items) => items.join(";"),
        }
    }

    /// The items of a list field, splitting text the way the field's kind says.
    pub fn items(&self, kind: FieldKind) -> Vec<String> {
        match self {
            FieldValue::List(items) => items.clone(),
            FieldValue::Scalar(s) if kind == FieldKind::TextList => super::text::split_text_list(s),
            FieldValue::Scalar(s) => super::text::split_list(s),
        }
    }

    /// The value as a scalar; a list given for a scalar is refused.
    pub fn scalar<'a>(&'a self, field: &str) -> Result<&'a str, FieldError> {
        match self {
            FieldValue::Scalar(s) => Ok(s),
            FieldValue::List(_) => Err(FieldError::new(field, "takes one value, not a list")),
        }
    }
}

/// What a record needs from outside to complete itself (no clock inside the model).
#[derive(Debug, Clone, Copy)]
pub struct Context {
    pub today: Date,
}

/// A record of one collection.
pub trait Record:
    Serialize + DeserializeOwned + Clone + PartialEq + Debug + Send + Sync + 'static + IntoAny
{
    const COLLECTION: Collection;
    /// The collection's name on the command line, in `:` commands and on the wire.
    const NAME: &'static str;
    /// How one record is called in messages ("no member with code X").
    const SINGULAR: &'static str;
    /// How several are counted ("3 news items").
    const PLURAL: &'static str;

    /// A record with no fields set yet.
    fn empty(id: Uuid) -> Self;
    fn id(&self) -> Uuid;
    /// The fields the natural key is made of, in the order `key` joins
    /// them with `/`: how rows match records and how messages name a key.
    const KEY_FIELDS: &'static [&'static str];

    /// The columns a list shows, the key's first.
    const LIST_COLUMNS: &'static [&'static str];
    /// The field that names a record for people (a member's name, a title).
    const TITLE_FIELD: &'static str;
    /// The order a list starts in (a field of `LIST_COLUMNS`).
    const DEFAULT_SORT: &'static str;
    /// Whether that order starts with the newest.
    const NEWEST_FIRST: bool = false;

    /// The natural key (member code, slug, `CODE/YEAR`).
    fn key(&self) -> String;
    /// Fills a key made from other fields (a slug from the title) when it
    /// was not given; `finish` calls it, and so does an import before it
    /// matches a row to a record.
    fn derive_key(&mut self) {}
    /// Turns what a user typed as a key into the stored form (upper-case code, ...).
    fn normalize_key(key: &str) -> String {
        key.trim().to_string()
    }

    fn fields() -> &'static [FieldSpec];
    fn get(&self, field: &str) -> Option<FieldValue>;
    /// Sets one field from text, checking that field's own rules.
    fn set(&mut self, field: &str, value: &FieldValue) -> Result<(), FieldError>;
    /// Checks the rules between fields and fills derived ones (slugs, defaults).
    fn finish(&mut self, ctx: &Context) -> Result<(), FieldErrors>;

    /// Sorts kept as indexes besides the natural key, e.g. `name`.
    fn sorts() -> &'static [&'static str] {
        &[]
    }
    /// The index key of `sort`, without the id that makes it unique.
    fn sort_key(&self, _sort: &str) -> Vec<u8> {
        Vec::new()
    }
    /// Whether records of this collection name members (see `member_refs`):
    /// removing a member looks only through the collections that do.
    const REFERS_TO_MEMBERS: bool = false;
    /// Member codes this record refers to (they must exist), with the field naming each.
    fn member_refs(&self) -> Vec<(&'static str, String)> {
        Vec::new()
    }

    /// What search looks through besides the list's columns.
    fn search_text(&self) -> String {
        String::new()
    }

    /// Nested parts (contacts, actions), edited whole: name and JSON value.
    fn nested(&self) -> Vec<(&'static str, serde_json::Value)> {
        Vec::new()
    }
    fn set_nested(&mut self, name: &str, _value: serde_json::Value) -> Result<(), FieldError> {
        Err(FieldError::new(name, "is not a field of this record"))
    }

    fn spec(field: &str) -> Option<&'static FieldSpec> {
        Self::fields().iter().find(|f| f.name == field)
    }

    /// Sets a field, naming the known fields when it is not one of them.
    fn set_text(&mut self, field: &str, value: &str) -> Result<(), FieldError> {
        if Self::spec(field).is_none() {
            return Err(unknown_field::<Self>(field));
        }
        self.set(field, &FieldValue::Scalar(value.to_string()))
    }
}

pub fn unknown_field<R: Record>(field: &str) -> FieldError {
    let names: Vec<&str> = R::fields().iter().map(|f| f.name).collect();
    FieldError::new(
        super::text::sanitize_for_message(field),
        format!(
            "is not a field of {} (fields: {})",
            R::COLLECTION,
            names.join(", ")
        ),
    )
}

/// Checks that every required field has a value.
pub fn check_required<R: Record>(record: &R, errors: &mut FieldErrors) {
    for spec in R::fields().iter().filter(|f| f.required) {
        let missing = match record.get(spec.name) {
            None => true,
            Some(FieldValue::Scalar(s)) => s.is_empty(),
            Some(FieldValue::List(l)) => l.is_empty(),
        };
        if missing {
            errors.push(FieldError::new(spec.name, "is required"));
        }
    }
}

/// Checks every rule of a record however it was built (typed by a user, read
/// from a file, made in code): each field is set again from its own text, so
/// the same checks guard every path into the store. Returns the record as it
/// is stored (normalised, derived fields filled).
pub fn validate<R: Record>(record: &R, ctx: &Context) -> Result<R, FieldErrors> {
    let mut out = R::empty(record.id());
    let mut errors = FieldErrors::default();
    for spec in R::fields().iter().filter(|f| f.in_form) {
        if let Some(value) = record.get(spec.name) {
            errors.check(out.set(spec.name, &value));
        }
    }
    for (name, value) in record.nested() {
        errors.check(out.set_nested(name, value));
    }
    if let Err(e) = out.finish(ctx) {
        // A field whose value was refused above is left empty in `out`; its
        // "is required" from `finish` would only repeat that error.
        let refused: Vec<String> = errors.0.iter().map(|e| e.field.clone()).collect();
        for error in e.0 {
            if !refused.contains(&error.field) {
                errors.push(error);
            }
        }
    }
    errors.into_result().map(|()| out)
}
