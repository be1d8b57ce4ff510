//! The TOML form of a record: every form field as a string or an array of
//! strings (empty means not set), nested parts as arrays of tables.

use crate::model::{FieldKind, FieldValue, Record};

/// The form for a record, with a short guide on top.
pub fn render<R: Record>(record: &R) -> String {
    let mut table = toml::Table::new();
    for spec in R::fields().iter().filter(|f| f.in_form) {
        let value = match record.get(spec.name) {
            Some(FieldValue::List(items)) => {
                toml::Value::Array(items.into_iter().map(toml::Value::String).collect())
            }
            Some(FieldValue::Scalar(s)) => toml::Value::String(s),
            None => continue,
        };
        table.insert(spec.name.to_string(), value);
    }
    let mut empty_parts = Vec::new();
    for (name, value) in record.nested() {
        // An empty array would stand as `contacts = []`, and a `[[contacts]]`
        // table added below it would then be a duplicate key: leave it out.
        if value.as_array().is_some_and(Vec::is_empty) {
            empty_parts.push(name);
        } else if let Some(v) = json_to_toml(value) {
            table.insert(name.to_string(), v);
        }
    }
    let mut body = toml::to_string_pretty(&table).unwrap_or_default();
    for name in empty_parts {
        body.push_str(&format!(
            "\n# No {name} yet: add them as [[{name}]] tables here.\n"
        ));
    }
    format!(
        "# {} {} (id {}). Save and quit to store the change;\n\
         # quit without saving to leave it as it is. \"\" means not set.\n\n{body}",
        R::COLLECTION.singular(),
        record.key(),
        record.id(),
    )
}

/// JSON (the model's carrier for nested parts) to TOML; nulls are left out,
/// since TOML has none.
fn json_to_toml(value: serde_json::Value) -> Option<toml::Value> {
    use serde_json::Value as J;
    Some(match value {
        J::Null => return None,
        J::Bool(b) => toml::Value::Boolean(b),
        J::Number(n) => match n.as_i64() {
            Some(i) => toml::Value::Integer(i),
            None => toml::Value::Float(n.as_f64()?),
        },
        J::String(s) => toml::Value::String(s),
        J::Array(items) => toml::Value::Array(items.into_iter().filter_map(json_to_toml).collect()),
        J::Object(map) => toml::Value::Table(
            map.into_iter()
                .filter_map(|(k, v)| json_to_toml(v).map(|v| (k, v)))
                .collect(),
        ),
    })
}

fn toml_to_json(value: toml::Value) -> serde_json::Value {
    use serde_json::Value as J;
    match value {
        toml::Value::String(s) => J::String(s),
        toml::Value::Integer(i) => J::from(i),
        toml::Value::Float(f) => J::from(f),
        toml::Value::Boolean(b) => J::Bool(b),
        // A date typed without quotes is still a date.
        toml::Value::Datetime(d) => J::String(d.to_string()),
        toml::Value::Array(items) => J::Array(items.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(t) => {
            J::Object(t.into_iter().map(|(k, v)| (k, toml_to_json(v))).collect())
        }
    }
}

/// Reads a saved form into a record with the original's id. A field left
/// out is cleared. Errors come back one a line, each naming its field.
pub fn parse<R: Record>(original: &R, text: &str) -> Result<R, String> {
    let table: toml::Table = text.parse().map_err(|e: toml::de::Error| {
        format!("the file is not valid TOML: {}", e.to_string().trim_end())
    })?;
    let mut record = R::empty(original.id());
    let nested: Vec<&str> = original.nested().iter().map(|(n, _)| *n).collect();
    let mut errors = Vec::new();
    for (name, value) in table {
        if let Some(spec) = R::spec(&name).filter(|s| s.in_form) {
            match value_of(spec.kind, &value) {
                Some(v) => {
                    if let Err(e) = record.set(spec.name, &v) {
                        errors.push(e.to_string());
                    }
                }
                None => errors.push(format!(
                    "{name}: expected {}",
                    if is_list(spec.kind) {
                        "a list of strings"
                    } else {
                        "a string"
                    }
                )),
            }
        } else if nested.contains(&name.as_str()) {
            if let Err(e) = record.set_nested(&name, toml_to_json(value)) {
                errors.push(e.to_string());
            }
        } else {
            errors.push(format!("{name}: is not a field of {}", R::COLLECTION));
        }
    }
    if errors.is_empty() {
        Ok(record)
    } else {
        Err(errors.join("\n"))
    }
}

/// Whether a field's TOML value is a list.
fn is_list(kind: FieldKind) -> bool {
    matches!(kind, FieldKind::List | FieldKind::TextList)
}

fn value_of(kind: FieldKind, value: &toml::Value) -> Option<FieldValue> {
    match value {
        toml::Value::String(s) => Some(FieldValue::Scalar(s.clone())),
        toml::Value::Integer(i) => Some(FieldValue::Scalar(i.to_string())),
        toml::Value::Datetime(d) => Some(FieldValue::Scalar(d.to_string())),
        toml::Value::Array(items) if is_list(kind) => items
            .iter()
            .map(|i| match i {
                toml::Value::String(s) => Some(s.clone()),
                toml::Value::Integer(n) => Some(n.to_string()),
                _ => None,
            })
            .collect::<Option<Vec<_>>>()
            .map(FieldValue::List),
        _ => None,
    }
}
