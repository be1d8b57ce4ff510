//! Importing a file of rows into a collection: every row read and checked
//! first ([`check`]); if any is wrong, nothing is written and every error
//! is listed as `FILE:LINE: FIELD: reason`. Otherwise the rows are written
//! as one batch ([`write`]), which an undo of that batch reverts.

use serde::Serialize;
use uuid::Uuid;

use super::plan::{Planner, Step};
use crate::io::read::{self, ReadOptions};
use crate::model::text::sanitize_for_message;
use crate::model::{FieldError, Record};
use crate::store::{Store, StoreError};

pub use super::plan::OnExisting;

/// Records written per transaction in a large import.
pub const CHUNK: usize = 1_000;

/// How many errors are listed before the rest are only counted.
pub const SHOWN_ERRORS: usize = 50;

/// The file being imported: its name for messages, its bytes, how to read it.
#[derive(Clone, Copy)]
pub struct Source<'a> {
    pub name: &'a str,
    pub bytes: &'a [u8],
    pub options: &'a ReadOptions,
}

/// What the rows do, counted.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub read: usize,
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub skipped: usize,
    pub rejected: usize,
}

impl Counts {
    /// Rows that write something.
    pub fn changes(&self) -> usize {
        self.created + self.updated
    }
}

/// Pass 1's findings.
#[derive(Debug, Default)]
pub struct Checked {
    pub counts: Counts,
    /// `FILE:LINE: field: reason`, the first [`SHOWN_ERRORS`] of them.
    pub errors: Vec<String>,
    /// Every error, listed or not.
    pub error_count: usize,
    /// One line per row (`create    KEY (line N)`), when a plan was asked for.
    pub plan: Vec<String>,
    /// Columns that are not fields of the collection.
    pub ignored: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file cannot be read, or a row breaks a rule: nothing written.
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// How far the writing is, for a progress bar (the CLI's) or nothing.
pub trait Progress: Sync {
    /// `n` more records written.
    fn written(&self, _n: u64) {}
    /// Every record written; the batch is being committed.
    fn committing(&self) {}
}

/// No progress shown.
impl Progress for () {}

fn nested_of<R: Record>() -> Vec<&'static str> {
    R::empty(Uuid::nil())
        .nested()
        .iter()
        .map(|(n, _)| *n)
        .collect()
}

/// Pass 1: every row read and decided; nothing kept but the counts, the
/// errors and (with `plan`) one line per row.
pub fn check<R: Record>(
    store: &Store,
    source: Source,
    on_existing: OnExisting,
    plan: bool,
) -> Result<Checked, ImportError> {
    let nested = nested_of::<R>();
    let mut checked = Checked::default();
    let mut planner = Planner::new(store, on_existing);
    let mut failure: Option<StoreError> = None;
    let name = source.name;
    let input = read::read_each(
        name,
        source.bytes,
        source.options,
        R::fields(),
        &nested,
        &mut |row| {
            if failure.is_some() {
                return;
            }
            checked.counts.read += 1;
            match planner.decide::<R>(&row) {
                Err(e) => failure = Some(e),
                Ok((key, Err(row_errors))) => {
                    checked.counts.rejected += 1;
                    if plan {
                        let mut fields: Vec<&str> =
                            row_errors.iter().map(|e| e.field.as_str()).collect();
                        fields.dedup();
                        let key = if key.is_empty() {
                            "(no key)".to_string()
                        } else {
                            sanitize_for_message(&key)
                        };
                        checked.plan.push(format!(
                            "reject    {key} (line {}): {}",
                            row.line,
                            fields.join(", ")
                        ));
                    }
                    for e in row_errors {
                        checked.error_count += 1;
                        if checked.errors.len() < SHOWN_ERRORS {
                            checked.errors.push(format!("{name}:{}: {e}", row.line));
                        }
                    }
                }
                Ok((key, Ok(step))) => {
                    let line = row.line;
                    let counts = &mut checked.counts;
                    match step {
                        Step::Create(_) => counts.created += 1,
                        Step::Update { .. } => counts.updated += 1,
                        Step::Unchanged => counts.unchanged += 1,
                        Step::Skip => counts.skipped += 1,
                    }
                    if plan {
                        checked.plan.push(match step {
                            Step::Create(_) => format!("create    {key} (line {line})"),
                            Step::Update { changed, .. } => {
                                format!("update    {key} (line {line}): {}", changed.join(", "))
                            }
                            Step::Unchanged => format!("unchanged {key} (line {line})"),
                            Step::Skip => format!("skip      {key} (line {line}): exists"),
                        });
                    }
                }
            }
        },
    )
    .map_err(|e| ImportError::Invalid(e.to_string()))?;
    if let Some(e) = failure {
        return Err(e.into());
    }
    checked.ignored = input.ignored;
    Ok(checked)
}

/// Pass 2: the rows read again and written as one batch; its id. Pass 1
/// found no error, and the batch holds the store's write lock from its
/// start, so every row decides the same way again. Rows are read and
/// decided on a second thread while this one writes: each key is in the
/// file once, so a row's decision depends only on what the store held
/// before the import. `changes` is pass 1's count of rows that write.
pub fn write<R: Record + Send>(
    store: &Store,
    source: Source,
    on_existing: OnExisting,
    changes: usize,
    progress: &dyn Progress,
) -> Result<Uuid, ImportError> {
    let nested = nested_of::<R>();
    let name = source.name;
    let mut batch = store.batch();
    // Begun now, before any row is decided: through a server this takes
    // the store's write lock, so no one's save can land between a row's
    // decision and its write.
    batch.id()?;
    // Larger imports go in chunks, marked pending until the last is written
    // (see `Batch::mark_pending`): one transaction of 100,000 records took
    // 2.9 GB.
    let chunked = changes > CHUNK;
    if chunked {
        batch.mark_pending()?;
    }
    let in_file = |line: usize, errors: &[FieldError]| -> ImportError {
        let text: Vec<String> = errors
            .iter()
            .map(|e| format!("{name}:{line}: {e}"))
            .collect();
        ImportError::Invalid(text.join("\n") + "\nnothing written")
    };
    let written = std::thread::scope(|scope| -> Result<(), ImportError> {
        let (rows, decided) = std::sync::mpsc::sync_channel::<(usize, R)>(CHUNK);
        let nested = &nested;
        let reader = scope.spawn(move || -> Result<(), ImportError> {
            let mut planner = Planner::new(store, on_existing);
            let mut failure: Option<ImportError> = None;
            read::read_each(
                name,
                source.bytes,
                source.options,
                R::fields(),
                nested,
                &mut |row| {
                    if failure.is_some() {
                        return;
                    }
                    match planner.decide::<R>(&row) {
                        Err(e) => failure = Some(e.into()),
                        Ok((_, Err(errors))) => failure = Some(in_file(row.line, &errors)),
                        Ok((_, Ok(Step::Create(r) | Step::Update { record: r, .. }))) => {
                            // The writer stopped (its error is the one reported).
                            if rows.send((row.line, r)).is_err() {
                                failure = Some(ImportError::Invalid("the writer stopped".into()));
                            }
                        }
                        Ok(_) => {}
                    }
                },
            )
            .map_err(|e| ImportError::Invalid(e.to_string()))?;
            failure.map_or(Ok(()), Err)
        });
        let mut written = Ok(());
        let mut chunk: Vec<(usize, R)> = Vec::with_capacity(CHUNK);
        let mut decided = decided.into_iter().peekable();
        while decided.peek().is_some() {
            chunk.extend(decided.by_ref().take(CHUNK));
            let lines: Vec<usize> = chunk.iter().map(|(line, _)| *line).collect();
            let records: Vec<R> = chunk.drain(..).map(|(_, r)| r).collect();
            let count = records.len() as u64;
            let put = batch.put_all(records).map_err(|(i, e)| match e {
                StoreError::Invalid { errors, .. } => {
                    in_file(lines.get(i).copied().unwrap_or(0), &errors.0)
                }
                other => ImportError::Store(other),
            });
            let put = put.and_then(|()| {
                if chunked {
                    batch.write_chunk()?;
                }
                Ok(())
            });
            if let Err(e) = put {
                written = Err(e);
                break;
            }
            progress.written(count);
        }
        // Dropping the receiver stops a reader still sending.
        drop(decided);
        let read = reader
            .join()
            .unwrap_or_else(|_| Err(ImportError::Invalid("the reading thread failed".into())));
        // The writer's error is the one to tell; the reader's follows it.
        written.and(read)
    });
    if let Err(e) = written {
        // A pending batch dropped unfinished keeps its mark: the next open
        // of the store rolls back the chunks already written.
        drop(batch);
        return Err(e);
    }
    progress.committing();
    Ok(batch.commit()?.id)
}
