//! Which column (CSV) or key (JSON) gives which field: `--map FIELD=COLUMN`
//! first, then `id`, field names and nested parts, all case-insensitive.
//! A field given by `--map` is not also taken from a column of its own name:
//! that column is reported as ignored.

use super::{ReadError, quoted};
use crate::model::FieldSpec;

/// What a column or key gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

pub(super) struct Names<'a> {
    fields: &'a [FieldSpec],
    nested: &'a [&'a str],
    map: Vec<Mapping>,
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
        Ok(names)
    }

    fn field(&self, name: &str) -> Option<&'static str> {
        self.fields
            .iter()
            .find(|f| f.name.eq_ignore_ascii_case(name))
            .map(|f| f.name)
    }

    fn mapped(&self, target: Target) -> bool {
        self.map.iter().any(|m| m.target == target)
    }

    /// What the column (or key) `name` gives; `name` is trimmed here.
    pub fn resolve(&self, name: &str) -> Resolved {
        let name = name.trim();
        let folded = name.to_lowercase();
        if let Some(i) = self.map.iter().position(|m| m.folded == folded) {
            return Resolved {
                target: self.map[i].target,
                via_map: Some(i),
            };
        }
        let target = if name.eq_ignore_ascii_case("id") {
            Target::Id
        } else if let Some(field) = self.field(name) {
            Target::Field(field)
        } else if let Some(i) = self
            .nested
            .iter()
            .position(|n| n.eq_ignore_ascii_case(name))
        {
            Target::Nested(i)
        } else {
            Target::Unknown
        };
        let target = if target != Target::Unknown && self.mapped(target) {
            Target::Unknown
        } else {
            target
        };
        Resolved {
            target,
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
