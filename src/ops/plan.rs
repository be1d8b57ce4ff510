//! What one imported row does to the store: create, update (which fields),
//! leave unchanged, skip; or the reasons it is refused. Decided the same
//! way in both passes of an import (check, then write).

use std::collections::{HashMap, HashSet};

use uuid::Uuid;

use crate::io::read::RawRow;
use crate::model::record::validate;
use crate::model::{Context, FieldError, Member, Record};
use crate::store::{Store, StoreError};

/// What an import does with a row whose key exists already.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnExisting {
    /// Change the fields the file has; keep the others.
    Update,
    /// Leave records that exist alone.
    Skip,
    /// Refuse the whole import if any record exists.
    Fail,
}

pub enum Step<R> {
    Create(R),
    Update {
        record: R,
        changed: Vec<&'static str>,
    },
    Unchanged,
    Skip,
}

/// A row's key, and its step or every reason it is refused.
pub type Decision<R> = (String, Result<Step<R>, Vec<FieldError>>);

/// Decides rows one after another, remembering the keys seen so far.
pub struct Planner<'s> {
    store: &'s Store,
    ctx: Context,
    on_existing: OnExisting,
    /// Key -> the line it was first seen on.
    seen: HashMap<String, usize>,
    /// Through a server, the keys that exist, asked once: a row whose key
    /// is not there is a create, without a round trip of its own.
    known: Option<Known>,
}

struct Known {
    keys: HashSet<String>,
    members: HashSet<String>,
}

/// A row's fields applied to a record; every refused field is an error.
fn apply<R: Record>(record: &mut R, row: &RawRow, errors: &mut Vec<FieldError>) {
    for (field, value) in &row.fields {
        if let Err(e) = record.set(field, value) {
            errors.push(e);
        }
    }
    for (name, value) in &row.nested {
        if let Err(e) = record.set_nested(name, value.clone()) {
            errors.push(e);
        }
    }
}

fn changed_fields<R: Record>(before: &R, after: &R) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = R::fields()
        .iter()
        .filter(|f| before.get(f.name) != after.get(f.name))
        .map(|f| f.name)
        .collect();
    for ((name, a), (_, b)) in before.nested().iter().zip(after.nested().iter()) {
        if a != b {
            out.push(name);
        }
    }
    out
}

fn row_id(row: &RawRow) -> Uuid {
    row.id
        .as_deref()
        .and_then(|s| Uuid::parse_str(s.trim()).ok())
        .unwrap_or_else(Uuid::now_v7)
}

impl<'s> Planner<'s> {
    pub fn new(store: &'s Store, on_existing: OnExisting) -> Planner<'s> {
        Planner {
            store,
            ctx: Context {
                today: crate::model::date::today(),
            },
            on_existing,
            seen: HashMap::new(),
            known: None,
        }
    }

    /// The stored record with this key; through a server, only asked for
    /// keys that exist.
    fn existing<R: Record>(&mut self, key: &str) -> Result<Option<R>, StoreError> {
        if self.known.is_none() && self.store.reads_are_round_trips() {
            self.known = Some(Known {
                keys: self.store.keys::<R>()?.into_iter().collect(),
                members: self.store.keys::<Member>()?.into_iter().collect(),
            });
        }
        match &self.known {
            Some(known) if !known.keys.contains(key) => Ok(None),
            _ => self.store.get::<R>(key),
        }
    }

    fn member_exists(&self, code: &str) -> Result<bool, StoreError> {
        match &self.known {
            Some(known) => Ok(known.members.contains(code)),
            None => self.store.contains::<Member>(code),
        }
    }

    /// The row's key and what it does, or every reason it is refused.
    pub fn decide<R: Record>(&mut self, row: &RawRow) -> Result<Decision<R>, StoreError> {
        let mut errors = Vec::new();
        let mut fresh = R::empty(row_id(row));
        apply(&mut fresh, row, &mut errors);
        // A slug left out is made from the title (and date), as `add` does.
        fresh.derive_key();
        let key = R::normalize_key(&fresh.key());
        let blank = |field: &&&str| fresh.get(field).is_none_or(|v| v.to_text().is_empty());
        if let Some(missing) = R::KEY_FIELDS.iter().find(blank) {
            // Unless the key's own field was refused already.
            if !errors.iter().any(|e| e.field == *missing) {
                errors.push(FieldError::new(
                    *missing,
                    "is required (it is how rows match records)",
                ));
            }
            return Ok((key, Err(errors)));
        }
        let key_field = R::COLLECTION.key_name();
        if let Some(first) = self.seen.get(&key) {
            errors.push(FieldError::new(
                key_field.as_str(),
                format!(
                    "{key} is also on line {first}: a file holds each {} once",
                    R::COLLECTION.singular()
                ),
            ));
            return Ok((key, Err(errors)));
        }
        self.seen.insert(key.clone(), row.line);
        let step = match self.existing::<R>(&key)? {
            // Each field's own rules ran in `apply`; `finish` checks the rest
            // (the store checks all of them again when it is written).
            None => match fresh.finish(&self.ctx) {
                Ok(()) if errors.is_empty() => Step::Create(fresh),
                Ok(_) => return Ok((key, Err(errors))),
                Err(e) => {
                    // A field already refused is not also "required".
                    let refused: Vec<String> = errors.iter().map(|e| e.field.clone()).collect();
                    errors.extend(e.0.into_iter().filter(|e| !refused.contains(&e.field)));
                    return Ok((key, Err(errors)));
                }
            },
            Some(_) if !errors.is_empty() => return Ok((key, Err(errors))),
            Some(_) if self.on_existing == OnExisting::Skip => Step::Skip,
            Some(_) if self.on_existing == OnExisting::Fail => {
                errors.push(FieldError::new(
                    key_field.as_str(),
                    format!(
                        "a {} with {key_field} {key} exists (--on-existing fail)",
                        R::COLLECTION.singular(),
                    ),
                ));
                return Ok((key, Err(errors)));
            }
            Some(existing) => {
                let mut record = existing.clone();
                apply(&mut record, row, &mut errors);
                if record == existing {
                    Step::Unchanged
                } else {
                    match validate(&record, &self.ctx) {
                        Ok(_) if errors.is_empty() => {
                            let changed = changed_fields(&existing, &record);
                            Step::Update { record, changed }
                        }
                        Ok(_) => return Ok((key, Err(errors))),
                        Err(e) => {
                            errors.extend(e.0);
                            return Ok((key, Err(errors)));
                        }
                    }
                }
            }
        };
        // Members a row names must exist (members themselves name none).
        if let Step::Create(r) | Step::Update { record: r, .. } = &step {
            for (field, code) in r.member_refs() {
                if !self.member_exists(&code)? {
                    errors.push(FieldError::new(
                        field,
                        format!("no member with code {code}"),
                    ));
                }
            }
        }
        Ok((
            key,
            if errors.is_empty() {
                Ok(step)
            } else {
                Err(errors)
            },
        ))
    }
}
