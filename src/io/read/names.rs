//! Which column (CSV) or key (JSON) gives which field: `--map FIELD=COLUMN`
//! first, then `id`, field names and nested parts, all case-insensitive.
//! A field given by `--map` is not also taken from a column of its own name:
//! that column is reported as ignored.
//!
//! A header may hold a million names (a hostile or broken file), so each is
//! resolved with one hash look-up of its folded spelling, never by comparing
//! it with every field.

use std::collections::HashMap;

use super::{ReadError, quoted};
use crate::model::FieldSpec;

/// What a column or key gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Target {
    Id,
    Field(&'static str),
    /// A nested part, by its index in the caller's list.
    Nested(usize),
    Unknown,
}

/// A column's target, and the `--map` entry that gave it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Resolved {
    pub target: Target,
    pub via_map: Option<usize>,
}

struct Mapping {
    target: Target,
    field: &'static str,
    column: String,
    folded: String,
}

/// What a folded name gives: a `--map` column, and the target of its own
/// name (id, a field, a nested part) unless `--map` gives that elsewhere.
#[derive(Debug, Clone, Copy, Default)]
struct Known {
    /// The entry's index and its target.
    via_map: Option<(usize, Target)>,
    own: Option<Target>,
}

pub(super) struct Names<'a> {
    fields: &'a [FieldSpec],
    nested: &'a [&'a str],
    map: Vec<Mapping>,
    /// `--map` columns by their Unicode lower case, and id, fields and
    /// nested parts by their ASCII lower case (as before: `eq_ignore_ascii_case`
    /// for names, `to_lowercase` for mapped columns).
    known: HashMap<String, Known>,
}

impl<'a> Names<'a> {
    /// Checks the `--map` entries: each names a known field (or `id`) and a
    /// column, no field twice, no column for two fields.
    pub fn new(
        file: &str,
        fields: &'a [FieldSpec],
        nested: &'a [&'a str],
        map: &[(String, String)],
    ) -> Result<Self, ReadError> {
        let mut names = Names {
            fields,
            nested,
            map: Vec::new(),
            known: HashMap::new(),
        };
        for (field, column) in map {
            let flag = format!("--map {}={}", field.trim(), quoted(column.trim()));
            let (target, field) = if field.trim().eq_ignore_ascii_case("id") {
                (Target::Id, "id")
            } else {
                match names.field(field.trim()) {
                    Some(name) => (Target::Field(name), name),
                    None => {
                        let known: Vec<&str> = fields.iter().map(|f| f.name).collect();
                        return Err(ReadError::whole(
                            file,
                            format!(
                                "{flag}: {} is not a field (fields: id, {})",
                                quoted(field.trim()),
                                known.join(", ")
                            ),
                        ));
                    }
                }
            };
            let column = column.trim().to_string();
            if column.is_empty() {
                return Err(ReadError::whole(
                    file,
                    format!("{flag}: name the column after `=`"),
                ));
            }
            let folded = column.to_lowercase();
            if let Some(other) = names.map.iter().find(|m| m.field == field) {
                return Err(ReadError::whole(
                    file,
                    format!(
                        "--map gives {field} twice ({} and {})",
                        quoted(&other.column),
                        quoted(&column)
                    ),
                ));
            }
            if let Some(other) = names.map.iter().find(|m| m.folded == folded) {
                return Err(ReadError::whole(
                    file,
                    format!(
                        "--map gives column {} to both {} and {field}",
                        quoted(&column),
                        other.field
                    ),
                ));
            }
            names.map.push(Mapping {
                target,
                field,
                column,
                folded,
            });
        }
        names.index();
        Ok(names)
    }

    /// Fills `known` once the `--map` entries are checked.
    fn index(&mut self) {
        for (i, m) in self.map.iter().enumerate() {
            self.known.entry(m.folded.clone()).or_default().via_map = Some((i, m.target));
        }
        let own = std::iter::once(("id", Target::Id))
            .chain(self.fields.iter().map(|f| (f.name, Target::Field(f.name))))
            .chain(
                self.nested
                    .iter()
                    .enumerate()
                    .map(|(i, n)| (*n, Target::Nested(i))),
            );
        for (name, target) in own {
            // A target --map gives is not also taken from its own name.
            if self.map.iter().any(|m| m.target == target) {
                continue;
            }
            let known = self.known.entry(name.to_ascii_lowercase()).or_default();
            // The first of id, fields, nested parts wins, as it did.
            known.own = known.own.or(Some(target));
        }
    }

    fn field(&self, name: &str) -> Option<&'static str> {
        self.fields
            .iter()
            .find(|f| f.name.eq_ignore_ascii_case(name))
            .map(|f| f.name)
    }

    /// What the column (or key) `name` gives; `name` is trimmed here.
    pub fn resolve(&self, name: &str) -> Resolved {
        let name = name.trim();
        let folded = name.to_lowercase();
        let found = self.known.get(&folded);
        if let Some((i, target)) = found.and_then(|k| k.via_map) {
            return Resolved {
                target,
                via_map: Some(i),
            };
        }
        // For ASCII both foldings agree; only other names fold again.
        let own = if name.is_ascii() {
            found.and_then(|k| k.own)
        } else {
            self.known
                .get(&name.to_ascii_lowercase())
                .and_then(|k| k.own)
        };
        Resolved {
            target: own.unwrap_or(Target::Unknown),
            via_map: None,
        }
    }

    /// The caller's name of nested part `i`.
    pub fn nested_name(&self, i: usize) -> &str {
        self.nested.get(i).copied().unwrap_or_default()
    }

    /// The first `--map` entry the input never met (`used[i]` says whether
    /// entry `i` was), as `--map FIELD="COLUMN"` and its column.
    pub fn first_unused(&self, used: &[bool]) -> Option<(String, &str)> {
        self.map
            .iter()
            .enumerate()
            .find(|(i, _)| !used.get(*i).copied().unwrap_or(false))
            .map(|(_, m)| {
                (
                    format!("--map {}={}", m.field, quoted(&m.column)),
                    m.column.as_str(),
                )
            })
    }

    pub fn map_len(&self) -> usize {
        self.map.len()
    }
}
