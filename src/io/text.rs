//! One record as a page of `field: value` lines for people (`show`).

use std::io::{self, Write};

use crate::display::{cell, sanitize};
use crate::model::text::Lines;
use crate::model::{FieldKind, Record};

pub fn write_record<R: Record>(out: &mut dyn Write, record: &R) -> io::Result<()> {
    let label_width = R::fields()
        .iter()
        .map(|f| f.name.len() + 1)
        .max()
        .unwrap_or(0);
    for spec in R::fields().iter().filter(|f| f.in_form) {
        let value = record
            .get(spec.name)
            .map(|v| v.to_text())
            .unwrap_or_default();
        if value.is_empty() {
            continue;
        }
        if spec.kind == FieldKind::MultiLine {
            writeln!(out, "{}:", spec.name)?;
            for line in sanitize(&value, Lines::Many).lines() {
                writeln!(out, "    {line}")?;
            }
        } else {
            writeln!(
                out,
                "{:label_width$}  {}",
                format!("{}:", spec.name),
                cell(&value)
            )?;
        }
    }
    for (name, value) in record.nested() {
        let Some(items) = value.as_array().filter(|a| !a.is_empty()) else {
            continue;
        };
        writeln!(out, "{name}:")?;
        for item in items {
            let parts: Vec<String> = match item.as_object() {
                Some(map) => map
                    .iter()
                    .filter(|(_, v)| !v.is_null() && v.as_str() != Some(""))
                    .map(|(k, v)| match v.as_str() {
                        Some(s) => format!("{k}: {}", cell(s)),
                        None => format!("{k}: {v}"),
                    })
                    .collect(),
                None => vec![cell(&item.to_string())],
            };
            writeln!(out, "  - {}", parts.join(", "))?;
        }
    }
    writeln!(out, "{:label_width$}  {}", "id:", record.id())
}
