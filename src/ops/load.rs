//! A dump (see `io::dump`) back into an empty store (`clusterdesk load`). The whole file is read and checked first (every line parses,
//! every record keeps the rules, ids and keys are unique, references point
//! at members loaded before them, the end line is there and its counts
//! agree); if anything is wrong nothing is written and every error is listed
//! as `FILE:LINE: FIELD: reason`. Then it is read again and written; a load
//! that dies on the way leaves an empty store (see `store::Loader`).

use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader, Read, Seek};

use uuid::Uuid;

use crate::each_record;
use crate::io::dump::{self, Counts, Held, Line};
use crate::model::record::validate;
use crate::model::text::sanitize_for_message;
use crate::model::{Collection, Context, Record};
use crate::store::{LoadSummary, Loader, Store, StoreError, codec};

/// The longest line read: a stored value may take 32 MiB, and JSON of it
/// a few times that. Longer is refused, not read into memory.
const MAX_LINE: u64 = 128 * 1024 * 1024;

/// How many errors are listed before the rest are only counted.
const SHOWN_ERRORS: usize = 50;

/// Why nothing was loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The dump breaks a rule, or is not a dump: `FILE:LINE: reason` lines.
    #[error("{0}")]
    Invalid(String),
    /// The dump cannot be read (again).
    #[error("{name}: {reason}")]
    Unreadable { name: String, reason: String },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A load goes only into an empty store: said before the dump is read, so
/// a wrong store costs no wait.
pub fn ensure_empty(store: &Store) -> Result<(), StoreError> {
    if store.is_empty()? {
        Ok(())
    } else {
        Err(StoreError::NotEmpty {
            path: store.path().to_path_buf(),
        })
    }
}

/// Loads the dump in `file` (named `name` in messages) into the empty
/// store: pass 1 checks all of it, pass 2 writes it; all or nothing.
pub fn load(store: &Store, name: &str, file: &mut std::fs::File) -> Result<LoadSummary, LoadError> {
    ensure_empty(store)?;
    let counts = check(name, file)?;
    file.rewind().map_err(|e| LoadError::Unreadable {
        name: name.to_string(),
        reason: e.to_string(),
    })?;
    let mut loader = store.loader()?;
    write(name, file, &mut loader)?;
    let written = loader.summary();
    if (written.records, written.history) != (counts.records, counts.history) {
        // Dropping the loader empties the store again.
        return Err(LoadError::Invalid(format!(
            "{name} changed while it was loaded; nothing loaded"
        )));
    }
    Ok(loader.finish()?)
}

/// Lines of a dump, numbered from 1, blank ones skipped.
struct Lines<R> {
    reader: R,
    number: usize,
    buf: Vec<u8>,
}

impl<R: BufRead> Lines<R> {
    fn new(reader: R) -> Self {
        Lines {
            reader,
            number: 0,
            buf: Vec::new(),
        }
    }

    /// The next line's number and parsed content; `Err` is a message
    /// without the place.
    fn next_line(&mut self) -> Option<(usize, Result<Line, String>)> {
        loop {
            self.buf.clear();
            self.number += 1;
            let read = (&mut self.reader)
                .take(MAX_LINE + 1)
                .read_until(b'\n', &mut self.buf);
            match read {
                Err(e) => return Some((self.number, Err(format!("cannot read: {e}")))),
                Ok(0) => return None,
                Ok(_) => {}
            }
            if self.buf.len() as u64 > MAX_LINE {
                // Nothing after this can be trusted to start on a line.
                return Some((
                    self.number,
                    Err(format!("a line longer than {} MiB", MAX_LINE >> 20)),
                ));
            }
            let Ok(text) = std::str::from_utf8(&self.buf) else {
                return Some((self.number, Err("not UTF-8".into())));
            };
            let text = text.trim();
            if text.is_empty() {
                continue;
            }
            return Some((self.number, dump::parse_line(text)));
        }
    }
}

/// What the first pass has seen, to check uniqueness and references.
#[derive(Default)]
struct Seen {
    ids: HashMap<Uuid, usize>,
    keys: HashMap<(Collection, String), usize>,
    entries: HashSet<(Uuid, u32)>,
    counts: Counts,
    end: Option<(usize, Counts)>,
}

/// Errors with their place, the first [`SHOWN_ERRORS`] kept.
struct Errors<'n> {
    name: &'n str,
    shown: Vec<String>,
    count: usize,
}

impl Errors<'_> {
    fn add(&mut self, line: usize, what: impl std::fmt::Display) {
        self.count += 1;
        if self.shown.len() < SHOWN_ERRORS {
            self.shown.push(format!("{}:{line}: {what}", self.name));
        }
    }
}

fn check_record<R: Record>(
    record: &R,
    line: usize,
    ctx: &Context,
    seen: &mut Seen,
    errors: &mut Errors,
) {
    let c = R::COLLECTION;
    let key = record.key();
    if let Err(broken) = validate(record, ctx) {
        for e in broken.0 {
            errors.add(line, e);
        }
    }
    if let Some(first) = seen.ids.insert(record.id(), line) {
        errors.add(line, format!("id: {} also on line {first}", record.id()));
    }
    for (field, code) in record.member_refs() {
        if !seen.keys.contains_key(&(Collection::Members, code.clone())) {
            errors.add(
                line,
                format!(
                    "{field}: no member with code {} before this line",
                    sanitize_for_message(&code)
                ),
            );
        }
    }
    if let Some(first) = seen.keys.get(&(c, key.clone())) {
        errors.add(
            line,
            format!(
                "{}: {} also on line {first}",
                c.key_name(),
                sanitize_for_message(&key)
            ),
        );
    } else {
        seen.keys.insert((c, key), line);
    }
    seen.counts.records += 1;
}

/// A history image must read as a record of its collection.
fn image_reads<R: Record>(json: &serde_json::Value) -> Result<(), String> {
    R::deserialize(json).map(|_| ()).map_err(|e| e.to_string())
}

/// Pass 1: the whole dump read and checked; nothing kept but what the
/// checks need.
fn check(name: &str, file: &std::fs::File) -> Result<Counts, LoadError> {
    let mut lines = Lines::new(BufReader::new(file));
    let mut errors = Errors {
        name,
        shown: Vec::new(),
        count: 0,
    };
    let fatal = |line: usize, what: String| LoadError::Invalid(format!("{name}:{line}: {what}"));
    match lines.next_line() {
        None => return Err(LoadError::Invalid(format!("{name}: empty; not a dump"))),
        Some((n, Ok(Line::Dump(header)))) => {
            if header.format != dump::FORMAT {
                return Err(fatal(n, format!("not a {} file", dump::FORMAT)));
            }
            if header.version > dump::VERSION {
                return Err(fatal(
                    n,
                    format!(
                        "dump version {} is newer than this clusterdesk reads (up to {})",
                        header.version,
                        dump::VERSION
                    ),
                ));
            }
            if header.schema_version > codec::SCHEMA_VERSION {
                return Err(fatal(
                    n,
                    format!(
                        "records of schema {} are newer than this clusterdesk reads (up to {})",
                        header.schema_version,
                        codec::SCHEMA_VERSION
                    ),
                ));
            }
        }
        Some((n, _)) => {
            return Err(fatal(
                n,
                format!("the first line is not a {} header", dump::FORMAT),
            ));
        }
    }
    let ctx = Context {
        today: crate::model::date::today(),
    };
    let mut seen = Seen::default();
    while let Some((n, line)) = lines.next_line() {
        if let Some((end, _)) = seen.end {
            errors.add(n, format!("after the end line (line {end})"));
            continue;
        }
        match line.map(Line::into_record) {
            // parse_line made it safe.
            Err(e) => errors.add(n, format!("not a dump line: {e}")),
            Ok(Held::Record(record)) => {
                each_record!(&record, r => check_record(r, n, &ctx, &mut seen, &mut errors))
            }
            Ok(Held::Other(Line::Dump(_))) => errors.add(n, "a second dump header"),
            Ok(Held::Other(Line::History(entry))) => {
                if !seen.entries.insert((entry.batch, entry.seq)) {
                    errors.add(
                        n,
                        format!(
                            "history: batch {} entry {} appears twice",
                            entry.batch, entry.seq
                        ),
                    );
                }
                for e in entry.text_errors() {
                    errors.add(n, e);
                }
                for (side, image) in [("before", &entry.before), ("after", &entry.after)] {
                    if let Some(json) = image
                        && let Err(e) =
                            each_record!(type of entry.collection, R => image_reads::<R>(json))
                    {
                        errors.add(n, format!("history {side}: {}", sanitize_for_message(&e)));
                    }
                }
                seen.counts.history += 1;
            }
            Ok(Held::Other(Line::End(counts))) => seen.end = Some((n, counts)),
            // Records are matched above.
            Ok(Held::Other(_)) => {}
        }
    }
    match seen.end {
        None => errors.add(
            lines.number.saturating_sub(1).max(1),
            "the dump ends without its end line: it was cut short",
        ),
        Some((n, end)) if end != seen.counts => errors.add(
            n,
            format!(
                "the end line counts {} records and {} history entries; the file has {} and {}",
                end.records, end.history, seen.counts.records, seen.counts.history
            ),
        ),
        Some(_) => {}
    }
    if errors.count > 0 {
        let mut text = errors.shown;
        if errors.count > SHOWN_ERRORS {
            text.push(format!("… and {} more errors", errors.count - SHOWN_ERRORS));
        }
        text.push(format!("{name}: nothing loaded"));
        return Err(LoadError::Invalid(text.join("\n")));
    }
    Ok(seen.counts)
}

/// Pass 2: the checked dump written.
fn write(name: &str, file: &std::fs::File, loader: &mut Loader) -> Result<(), LoadError> {
    let mut lines = Lines::new(BufReader::new(file));
    while let Some((n, line)) = lines.next_line() {
        let place = |e: StoreError| -> LoadError {
            match e {
                StoreError::Invalid { errors, .. } => LoadError::Invalid(
                    errors
                        .0
                        .iter()
                        .map(|fe| format!("{name}:{n}: {fe}"))
                        .collect::<Vec<_>>()
                        .join("\n")
                        + "\nnothing loaded",
                ),
                other => LoadError::Store(other),
            }
        };
        let line = line.map_err(|e| LoadError::Invalid(format!("{name}:{n}: {e}")))?;
        match line.into_record() {
            Held::Record(record) => each_record!(record, r => loader.record(r)).map_err(place)?,
            Held::Other(Line::History(entry)) => loader.history(entry).map_err(place)?,
            Held::Other(_) => {}
        }
    }
    Ok(())
}
