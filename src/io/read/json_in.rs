//! JSON in: JSON Lines (one object a non-blank line) or one array of
//! objects. Each object's keys are fields, nested parts or `id`; line numbers
//! are where each object starts. A key repeated in one object, at any depth,
//! is refused (see `unique_keys`).

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::names::{Names, Resolved, Target};
use super::unique_keys::{self, Unique};
use super::{LineCounter, RawInput, RawRow, ReadError, quoted};
use crate::model::FieldValue;

pub(super) fn read_lines(
    file: &str,
    text: &str,
    names: &Names,
    each: &mut dyn FnMut(RawRow),
) -> Result<RawInput, ReadError> {
    let mut objects = Objects::new(file, names, each);
    for (i, line) in text.split('\n').enumerate() {
        let n = i + 1;
        let shift = line.len() - line.trim_start().len();
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let value: Value = unique_keys::from_str(line).map_err(|e| {
            let reason = json_reason(&e, shift);
            if repeated_key(&e) {
                ReadError::at(file, n, reason)
            } else {
                ReadError::at(
                    file,
                    n,
                    format!("{reason} (JSON Lines has one whole object a line)"),
                )
            }
        })?;
        match value {
            Value::Object(map) => objects.push(n, map)?,
            other => {
                return Err(ReadError::at(
                    file,
                    n,
                    format!("expected a JSON object, found {}", kind(&other)),
                ));
            }
        }
    }
    objects.finish()
}

pub(super) fn read_array(
    file: &str,
    text: &str,
    names: &Names,
    each: &mut dyn FnMut(RawRow),
) -> Result<RawInput, ReadError> {
    let bytes = text.as_bytes();
    let mut lines = LineCounter::new();
    let mut objects = Objects::new(file, names, each);
    let mut at = skip_space(bytes, 0);
    match bytes.get(at) {
        None => return objects.finish(),
        Some(b'[') => at += 1,
        Some(b) => {
            let hint = if *b == b'{' {
                "; for one object a line use --format jsonl"
            } else {
                ""
            };
            return Err(ReadError::at(
                file,
                lines.line_at(bytes, at),
                format!("expected a JSON array of objects ([{{...}}, ...]){hint}"),
            ));
        }
    }
    at = skip_space(bytes, at);
    if bytes.get(at) == Some(&b']') {
        at += 1;
    } else {
        loop {
            let line = lines.line_at(bytes, at);
            let mut items = serde_json::Deserializer::from_str(&text[at..]).into_iter::<Unique>();
            let value = match items.next() {
                Some(Ok(Unique(value))) => value,
                Some(Err(e)) => {
                    let col = at - text[..at].rfind('\n').map_or(0, |i| i + 1);
                    let line = line + e.line().saturating_sub(1);
                    let shift = if e.line() <= 1 { col } else { 0 };
                    return Err(ReadError::at(file, line, json_reason(&e, shift)));
                }
                None => {
                    return Err(ReadError::at(file, line, "the array is not closed with ]"));
                }
            };
            at += items.byte_offset();
            match value {
                Value::Object(map) => objects.push(line, map)?,
                other => {
                    return Err(ReadError::at(
                        file,
                        line,
                        format!("expected a JSON object, found {}", kind(&other)),
                    ));
                }
            }
            at = skip_space(bytes, at);
            match bytes.get(at) {
                Some(b',') => at = skip_space(bytes, at + 1),
                Some(b']') => {
                    at += 1;
                    break;
                }
                None => {
                    return Err(ReadError::at(
                        file,
                        lines.line_at(bytes, at),
                        "the array is not closed with ]",
                    ));
                }
                Some(_) => {
                    return Err(ReadError::at(
                        file,
                        lines.line_at(bytes, at),
                        format!("expected , or ] after the object of line {line}"),
                    ));
                }
            }
            if bytes.get(at) == Some(&b']') {
                return Err(ReadError::at(
                    file,
                    lines.line_at(bytes, at),
                    "a comma before ] (JSON allows none)",
                ));
            }
        }
    }
    let end = skip_space(bytes, at);
    if end < bytes.len() {
        return Err(ReadError::at(
            file,
            lines.line_at(bytes, end),
            "text after the array's closing ]",
        ));
    }
    objects.finish()
}

/// The most fields a row is given room for before it grows.
const FIELDS_ROOM: usize = 32;

/// Turns objects into rows, remembering what each key gives.
struct Objects<'a> {
    file: &'a str,
    names: &'a Names<'a>,
    keys: HashMap<String, Resolved>,
    used: Vec<bool>,
    out: RawInput,
    each: &'a mut dyn FnMut(RawRow),
}

impl<'a> Objects<'a> {
    fn new(file: &'a str, names: &'a Names<'a>, each: &'a mut dyn FnMut(RawRow)) -> Self {
        Objects {
            file,
            names,
            keys: HashMap::new(),
            used: vec![false; names.map_len()],
            out: RawInput::default(),
            each,
        }
    }

    /// Each key is resolved once for the whole file (`keys`), so an unknown
    /// key is new to `ignored` exactly when it is new to `keys`.
    fn resolve(&mut self, key: &str) -> Target {
        if let Some(r) = self.keys.get(key) {
            return r.target;
        }
        let r = self.names.resolve(key);
        if let Some(m) = r.via_map
            && let Some(u) = self.used.get_mut(m)
        {
            *u = true;
        }
        match r.target {
            // At most one entry per field: a short list to search.
            Target::Field(f) if !self.out.columns_seen.iter().any(|c| c == f) => {
                self.out.columns_seen.push(f.to_string());
            }
            Target::Unknown => self.out.ignored.push(key.to_string()),
            _ => {}
        }
        self.keys.insert(key.to_string(), r);
        r.target
    }

    fn push(&mut self, line: usize, map: Map<String, Value>) -> Result<(), ReadError> {
        let file = self.file;
        let mut row = RawRow {
            line,
            id: None,
            // An object may hold a million unknown keys: room for the fields.
            fields: Vec::with_capacity(map.len().min(FIELDS_ROOM)),
            nested: Vec::new(),
        };
        let mut seen: Vec<(Target, String)> = Vec::with_capacity(map.len().min(FIELDS_ROOM));
        for (key, value) in map {
            let target = self.resolve(&key);
            if target == Target::Unknown {
                continue;
            }
            if let Some((_, other)) = seen.iter().find(|(t, _)| *t == target) {
                return Err(ReadError::at(
                    file,
                    line,
                    format!(
                        "keys {} and {} both give {}",
                        quoted(other),
                        quoted(&key),
                        self.target_name(target)
                    ),
                ));
            }
            match target {
                Target::Id => row.id = id(file, line, value)?,
                Target::Field(f) => row
                    .fields
                    .push((f.to_string(), field_value(file, line, f, value)?)),
                Target::Nested(i) => row
                    .nested
                    .push((self.names.nested_name(i).to_string(), value)),
                Target::Unknown => {}
            }
            seen.push((target, key));
        }
        (self.each)(row);
        Ok(())
    }

    fn target_name(&self, target: Target) -> &str {
        match target {
            Target::Id => "id",
            Target::Field(f) => f,
            Target::Nested(i) => self.names.nested_name(i),
            Target::Unknown => "",
        }
    }

    fn finish(self) -> Result<RawInput, ReadError> {
        if let Some((flag, column)) = self.names.first_unused(&self.used) {
            return Err(ReadError::whole(
                self.file,
                format!("{flag}: no object has the key {}", quoted(column)),
            ));
        }
        Ok(self.out)
    }
}

fn id(file: &str, line: usize, value: Value) -> Result<Option<String>, ReadError> {
    let text = match value {
        Value::Null => return Ok(None),
        Value::String(s) => s,
        Value::Number(n) => n.to_string(),
        other => {
            return Err(ReadError::at(
                file,
                line,
                format!("id: expected text, found {}", kind(&other)),
            ));
        }
    };
    let text = text.trim();
    Ok((!text.is_empty()).then(|| text.to_string()))
}

/// A field's value: text, numbers and booleans as their text, `null` as
/// empty, an array of those as a list.
fn field_value(
    file: &str,
    line: usize,
    field: &str,
    value: Value,
) -> Result<FieldValue, ReadError> {
    let refuse = |found: &Value, what: &str| {
        ReadError::at(
            file,
            line,
            format!("{field}: expected {what}, found {}", kind(found)),
        )
    };
    match value {
        Value::Array(items) => items
            .into_iter()
            .map(|item| scalar(item).map_err(|v| refuse(&v, "a list of text")))
            .collect::<Result<Vec<_>, _>>()
            .map(FieldValue::List),
        Value::Null => Ok(FieldValue::Scalar(String::new())),
        other => scalar(other)
            .map(FieldValue::Scalar)
            .map_err(|v| refuse(&v, "text or a list of text")),
    }
}

/// Text, a number or a boolean as text; anything else back.
fn scalar(value: Value) -> Result<String, Value> {
    match value {
        Value::String(s) => Ok(s),
        Value::Number(n) => Ok(n.to_string()),
        Value::Bool(b) => Ok(b.to_string()),
        other => Err(other),
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// serde_json's message without its "at line L column C", with the column
/// moved right by `shift` bytes (where the parsed text began on its line).
fn json_reason(e: &serde_json::Error, shift: usize) -> String {
    let text = e.to_string();
    let message = text
        .rsplit_once(" at line ")
        .map_or(text.as_str(), |(m, _)| m);
    let prefix = if repeated_key(e) {
        ""
    } else {
        "invalid JSON: "
    };
    if e.column() == 0 {
        format!("{prefix}{message}")
    } else {
        format!("{prefix}{message} (column {})", e.column() + shift)
    }
}

/// Parsing into a Value fails with a data error only for a repeated key
/// (the JSON itself is well formed).
fn repeated_key(e: &serde_json::Error) -> bool {
    e.classify() == serde_json::error::Category::Data
}

fn skip_space(bytes: &[u8], mut at: usize) -> usize {
    while matches!(bytes.get(at), Some(b' ' | b'\t' | b'\r' | b'\n')) {
        at += 1;
    }
    at
}
