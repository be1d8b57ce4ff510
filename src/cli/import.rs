//! `clusterdesk import C [FILE|-]`: every row read and checked first; if any
//! row is wrong nothing is written and every error is listed as
//! `FILE:LINE: FIELD: reason`. Otherwise the rows are written as one batch
//! (one sled transaction: all of them or none, even if the process dies),
//! which `clusterdesk undo BATCH` reverts.

use std::collections::HashMap;
use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};
use std::time::Instant;

use uuid::Uuid;

use super::{CliError, CollectionArg, open_store, with_record};
use crate::io::read::{self, InputFormat, RawRow, ReadOptions};
use crate::model::record::validate;
use crate::model::{Collection, Context, FieldError, Record};
use crate::store::{Store, StoreError};

/// Records written per transaction in a large import.
const CHUNK: usize = 1_000;

/// How many errors are listed before the rest are only counted.
const SHOWN_ERRORS: usize = 50;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum OnExisting {
    /// Change the fields the file has; keep the others.
    Update,
    /// Leave records that exist alone.
    Skip,
    /// Refuse the whole import if any record exists.
    Fail,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum FormatArg {
    Csv,
    Jsonl,
    Json,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Report {
    Json,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    #[arg(value_enum)]
    collection: CollectionArg,
    /// The file; `-` or nothing reads stdin.
    file: Option<PathBuf>,
    /// The format (default: from the extension, else sniffed).
    #[arg(long, value_enum)]
    format: Option<FormatArg>,
    /// Check everything and print the plan; write nothing.
    #[arg(long)]
    dry_run: bool,
    /// Read FIELD from COLUMN: `--map code="Įmonės kodas"` (repeatable).
    #[arg(long, value_name = "FIELD=COLUMN")]
    map: Vec<String>,
    /// The file's encoding: windows-1257, iso-8859-13 or utf-8.
    #[arg(long)]
    encoding: Option<String>,
    /// The CSV delimiter (default: sniffed among `,` `;` and tab).
    #[arg(long)]
    delimiter: Option<char>,
    /// What to do with rows whose key exists already.
    #[arg(long, value_enum, default_value = "update")]
    on_existing: OnExisting,
    /// Also print the summary as JSON on stdout.
    #[arg(long, value_enum)]
    report: Option<Report>,
}

pub fn run(store: Option<&Path>, args: Args) -> anyhow::Result<()> {
    let collection = args.collection.into();
    with_record!(collection, import(store, &args))
}

/// What one row will do.
enum Step<R> {
    Create(R),
    Update {
        record: R,
        changed: Vec<&'static str>,
    },
    Unchanged,
    Skip,
}

#[derive(Debug, Default, serde::Serialize)]
struct Summary {
    collection: String,
    read: usize,
    created: usize,
    updated: usize,
    unchanged: usize,
    skipped: usize,
    rejected: usize,
    dry_run: bool,
    batch: Option<Uuid>,
    seconds: f64,
}

impl Summary {
    fn line(&self) -> String {
        let mut s = format!(
            "{}: {} read, {} created, {} updated, {} unchanged, {} rejected",
            self.collection, self.read, self.created, self.updated, self.unchanged, self.rejected
        );
        if self.skipped > 0 {
            s.push_str(&format!(", {} skipped", self.skipped));
        }
        s.push_str(&format!(" ({:.1} s)", self.seconds));
        if self.dry_run {
            s.push_str(" [dry run: nothing written]");
        }
        s
    }
}

fn options(args: &Args) -> Result<ReadOptions, CliError> {
    let format = args.format.map(|f| match f {
        FormatArg::Csv => InputFormat::Csv,
        FormatArg::Jsonl => InputFormat::Jsonl,
        FormatArg::Json => InputFormat::Json,
    });
    let encoding = match &args.encoding {
        None => None,
        Some(label) => Some(read::encoding_by_label(label).ok_or_else(|| {
            CliError::Usage(format!(
                "--encoding {label:?}: use windows-1257, iso-8859-13 or utf-8"
            ))
        })?),
    };
    let delimiter = match args.delimiter {
        None => None,
        Some(c) if c.is_ascii() => Some(c as u8),
        Some(c) => {
            return Err(CliError::Usage(format!(
                "--delimiter {c:?}: one ASCII character"
            )));
        }
    };
    let mut map = Vec::new();
    for m in &args.map {
        let (field, column) = m
            .split_once('=')
            .ok_or_else(|| CliError::Usage(format!("--map {m:?} is not FIELD=COLUMN")))?;
        map.push((field.trim().to_string(), column.trim().to_string()));
    }
    Ok(ReadOptions {
        format,
        delimiter,
        encoding,
        map,
    })
}

fn input(args: &Args) -> Result<(String, Vec<u8>), CliError> {
    match args.file.as_deref().filter(|p| *p != Path::new("-")) {
        None => {
            let mut bytes = Vec::new();
            std::io::stdin()
                .read_to_end(&mut bytes)
                .map_err(|e| CliError::Input {
                    path: PathBuf::from("-"),
                    reason: e.to_string(),
                })?;
            Ok(("stdin".to_string(), bytes))
        }
        Some(path) => {
            let bytes = std::fs::read(path).map_err(|e| CliError::Input {
                path: path.to_path_buf(),
                reason: e.to_string(),
            })?;
            let name = path.display().to_string();
            Ok((name, bytes))
        }
    }
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

fn import<R: Record>(store_path: Option<&Path>, args: &Args) -> anyhow::Result<()> {
    let started = Instant::now();
    let opts = options(args)?;
    let (name, bytes) = input(args)?;
    let nested: Vec<&str> = R::empty(Uuid::nil())
        .nested()
        .iter()
        .map(|(n, _)| *n)
        .collect();
    let raw = read::read(&name, &bytes, &opts, R::fields(), &nested)
        .map_err(|e| CliError::Invalid(e.to_string()))?;
    drop(bytes);
    if !raw.ignored.is_empty() {
        eprintln!(
            "{name}: ignored columns (not fields of {}): {}",
            R::COLLECTION,
            raw.ignored.join(", ")
        );
    }
    let store = open_store(store_path)?;
    let ctx = Context {
        today: crate::model::date::today(),
    };

    let mut summary = Summary {
        collection: R::COLLECTION.to_string(),
        read: raw.rows.len(),
        dry_run: args.dry_run,
        ..Summary::default()
    };
    let mut errors: Vec<String> = Vec::new();
    let mut steps: Vec<(usize, String, Step<R>)> = Vec::with_capacity(raw.rows.len());
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut rejected_lines = std::collections::BTreeSet::new();
    for row in &raw.rows {
        let mut row_errors = Vec::new();
        let mut fresh = R::empty(row_id(row));
        apply(&mut fresh, row, &mut row_errors);
        let key = R::normalize_key(&fresh.key());
        let key_field = key_field(R::COLLECTION);
        let step = if key.is_empty() || key.starts_with('/') {
            // Unless the key's own field was refused already.
            if !row_errors.iter().any(|e| e.field == key_field) {
                row_errors.push(FieldError::new(
                    key_field,
                    "is required (it is how rows match records)",
                ));
            }
            None
        } else if let Some(first) = seen.get(&key) {
            row_errors.push(FieldError::new(
                key_field,
                format!(
                    "{key} is also on line {first}: a file holds each {} once",
                    R::COLLECTION.singular()
                ),
            ));
            None
        } else {
            seen.insert(key.clone(), row.line);
            match store.get::<R>(&key)? {
                None => match validate(&fresh, &ctx) {
                    Ok(_) => Some(Step::Create(fresh)),
                    Err(e) => {
                        // A field already refused is not also "required".
                        let refused: Vec<String> =
                            row_errors.iter().map(|e| e.field.clone()).collect();
                        row_errors.extend(e.0.into_iter().filter(|e| !refused.contains(&e.field)));
                        None
                    }
                },
                Some(_) if args.on_existing == OnExisting::Skip => Some(Step::Skip),
                Some(_) if args.on_existing == OnExisting::Fail => {
                    row_errors.push(FieldError::new(
                        key_field,
                        format!(
                            "a {} with {} {key} exists (--on-existing fail)",
                            R::COLLECTION.singular(),
                            R::COLLECTION.key_name()
                        ),
                    ));
                    None
                }
                Some(existing) => {
                    let mut record = existing.clone();
                    let mut update_errors = Vec::new();
                    apply(&mut record, row, &mut update_errors);
                    if update_errors.is_empty() && record == existing {
                        Some(Step::Unchanged)
                    } else if update_errors.is_empty() {
                        match validate(&record, &ctx) {
                            Ok(_) => {
                                let changed = changed_fields(&existing, &record);
                                Some(Step::Update { record, changed })
                            }
                            Err(e) => {
                                row_errors.extend(e.0);
                                None
                            }
                        }
                    } else {
                        // The fresh record's errors are the same rules.
                        None
                    }
                }
            }
        };
        for e in &row_errors {
            errors.push(format!("{name}:{}: {e}", row.line));
        }
        match step {
            Some(step) if row_errors.is_empty() => steps.push((row.line, key, step)),
            _ => {
                rejected_lines.insert(row.line);
            }
        }
    }
    // Members a row names must exist, in the store or among the rows.
    check_references(&store, &name, &steps, &mut errors, &mut rejected_lines)?;
    summary.rejected = rejected_lines.len();

    if !errors.is_empty() {
        let total = errors.len();
        let mut text: Vec<String> = errors.into_iter().take(SHOWN_ERRORS).collect();
        if total > SHOWN_ERRORS {
            text.push(format!("… and {} more errors", total - SHOWN_ERRORS));
        }
        text.push(format!(
            "{name}: {} of {} rows rejected; nothing written",
            summary.rejected, summary.read
        ));
        summary.seconds = started.elapsed().as_secs_f64();
        report(args, &summary)?;
        return Err(CliError::Invalid(text.join("\n")).into());
    }

    for (_, _, step) in &steps {
        match step {
            Step::Create(_) => summary.created += 1,
            Step::Update { .. } => summary.updated += 1,
            Step::Unchanged => summary.unchanged += 1,
            Step::Skip => summary.skipped += 1,
        }
    }
    if args.dry_run {
        print_plan(&steps)?;
    } else if summary.created + summary.updated > 0 {
        summary.batch = Some(write(&store, &name, steps)?);
    }
    summary.seconds = started.elapsed().as_secs_f64();
    report(args, &summary)?;
    if let Some(batch) = summary.batch {
        eprintln!("(one batch: `clusterdesk undo {batch}` reverts this import)");
    } else if !args.dry_run {
        eprintln!("nothing to change");
    }
    Ok(())
}

fn row_id(row: &RawRow) -> Uuid {
    row.id
        .as_deref()
        .and_then(|s| Uuid::parse_str(s.trim()).ok())
        .unwrap_or_else(Uuid::now_v7)
}

fn key_field(c: Collection) -> &'static str {
    match c {
        Collection::Members => "code",
        Collection::Indicators => "member",
        Collection::News | Collection::Meetings => "slug",
    }
}

fn check_references<R: Record>(
    store: &Store,
    name: &str,
    steps: &[(usize, String, Step<R>)],
    errors: &mut Vec<String>,
    rejected: &mut std::collections::BTreeSet<usize>,
) -> Result<(), StoreError> {
    let in_file: std::collections::HashSet<&str> = if R::COLLECTION == Collection::Members {
        steps.iter().map(|(_, k, _)| k.as_str()).collect()
    } else {
        Default::default()
    };
    for (line, _, step) in steps {
        let record = match step {
            Step::Create(r) | Step::Update { record: r, .. } => r,
            _ => continue,
        };
        for (field, code) in record.member_refs() {
            if !in_file.contains(code.as_str()) && !store.contains::<crate::model::Member>(&code)? {
                errors.push(format!(
                    "{name}:{line}: {field}: no member with code {code}"
                ));
                rejected.insert(*line);
            }
        }
    }
    Ok(())
}

fn print_plan<R: Record>(steps: &[(usize, String, Step<R>)]) -> anyhow::Result<()> {
    super::write_stdout(|out| {
        for (line, key, step) in steps {
            match step {
                Step::Create(_) => writeln!(out, "create    {key} (line {line})")?,
                Step::Update { changed, .. } => {
                    writeln!(out, "update    {key} (line {line}): {}", changed.join(", "))?
                }
                Step::Unchanged => writeln!(out, "unchanged {key} (line {line})")?,
                Step::Skip => writeln!(out, "skip      {key} (line {line}): exists")?,
            }
        }
        Ok(())
    })
}

/// Writes every created and updated record as one batch.
fn write<R: Record>(
    store: &Store,
    name: &str,
    steps: Vec<(usize, String, Step<R>)>,
) -> anyhow::Result<Uuid> {
    let bar = progress(steps.len());
    let mut batch = store.batch();
    // Larger imports go in chunks, marked pending until the last is written:
    // one transaction of 100,000 records would take gigabytes.
    let chunked = steps.len() > CHUNK;
    if chunked {
        batch.mark_pending()?;
    }
    let mut queued = 0;
    for (line, _, step) in steps {
        let record = match step {
            Step::Create(r) | Step::Update { record: r, .. } => r,
            _ => continue,
        };
        batch.put(record).map_err(|e| match e {
            StoreError::Invalid { errors, .. } => CliError::Invalid(
                errors
                    .0
                    .iter()
                    .map(|fe| format!("{name}:{line}: {fe}"))
                    .collect::<Vec<_>>()
                    .join("\n")
                    + "\nnothing written",
            )
            .into(),
            other => anyhow::Error::from(other),
        })?;
        if let Some(bar) = &bar {
            bar.inc(1);
        }
        queued += 1;
        if chunked && queued % CHUNK == 0 {
            batch.write_chunk()?;
        }
    }
    if let Some(bar) = &bar {
        bar.set_message("writing");
    }
    let summary = batch.commit()?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    Ok(summary.id)
}

/// A progress bar on stderr, only when a person watches it.
fn progress(len: usize) -> Option<indicatif::ProgressBar> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(len as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} {msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    Some(bar)
}

fn report(args: &Args, summary: &Summary) -> anyhow::Result<()> {
    eprintln!("{}", summary.line());
    if args.report.is_some() {
        super::write_stdout(|out| {
            serde_json::to_writer(&mut *out, summary)?;
            writeln!(out)
        })?;
    }
    Ok(())
}
