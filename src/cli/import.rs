//! `clusterdesk import C [FILE|-]`: every row read and checked first; if any
//! row is wrong nothing is written and every error is listed as
//! `FILE:LINE: FIELD: reason`. Otherwise the rows are written as one batch
//! (one sled transaction: all of them or none, even if the process dies),
//! which `clusterdesk undo BATCH` reverts.

use crate::model::Collection;
use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};
use std::time::Instant;

use uuid::Uuid;

use super::output::note;
use super::{CliError, StoreArgs};
use crate::each_record;
use plan::{OnExisting, Planner, Step};

mod plan;
use crate::io::read::{self, InputFormat, ReadOptions};
use crate::model::Record;
use crate::model::text::sanitize_for_message;
use crate::store::{Store, StoreError};

/// Records written per transaction in a large import.
const CHUNK: usize = 1_000;

/// How many errors are listed before the rest are only counted.
const SHOWN_ERRORS: usize = 50;

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
    collection: Collection,
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

pub fn run(store: &StoreArgs, args: Args) -> anyhow::Result<()> {
    let collection = args.collection;
    each_record!(type of collection, R => import::<R>(store, &args))
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

fn import<R: Record + Send>(store_path: &StoreArgs, args: &Args) -> anyhow::Result<()> {
    let started = Instant::now();
    let opts = options(args)?;
    let (name, bytes) = input(args)?;
    let nested: Vec<&str> = R::empty(Uuid::nil())
        .nested()
        .iter()
        .map(|(n, _)| *n)
        .collect();
    let store = store_path.open_for_bulk()?;
    let mut summary = Summary {
        collection: R::COLLECTION.to_string(),
        dry_run: args.dry_run,
        ..Summary::default()
    };

    // Pass 1: every row read and decided; nothing kept but the plan's
    // counts, the errors and (for --dry-run) the plan's lines.
    let mut planner = Planner::new(&store, args.on_existing);
    let mut errors: Vec<String> = Vec::new();
    let mut error_count = 0usize;
    let mut plan: Vec<String> = Vec::new();
    let mut failure: Option<StoreError> = None;
    let input = read::read_each(&name, &bytes, &opts, R::fields(), &nested, &mut |row| {
        if failure.is_some() {
            return;
        }
        summary.read += 1;
        match planner.decide::<R>(&row) {
            Err(e) => failure = Some(e),
            Ok((key, Err(row_errors))) => {
                summary.rejected += 1;
                if args.dry_run {
                    let mut fields: Vec<&str> =
                        row_errors.iter().map(|e| e.field.as_str()).collect();
                    fields.dedup();
                    let key = if key.is_empty() {
                        "(no key)".to_string()
                    } else {
                        sanitize_for_message(&key)
                    };
                    plan.push(format!(
                        "reject    {key} (line {}): {}",
                        row.line,
                        fields.join(", ")
                    ));
                }
                for e in row_errors {
                    error_count += 1;
                    if errors.len() < SHOWN_ERRORS {
                        errors.push(format!("{name}:{}: {e}", row.line));
                    }
                }
            }
            Ok((key, Ok(step))) => {
                let line = row.line;
                match step {
                    Step::Create(_) => summary.created += 1,
                    Step::Update { .. } => summary.updated += 1,
                    Step::Unchanged => summary.unchanged += 1,
                    Step::Skip => summary.skipped += 1,
                }
                if args.dry_run {
                    plan.push(match step {
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
    })
    .map_err(|e| CliError::Invalid(e.to_string()))?;
    drop(planner);
    if let Some(e) = failure {
        return Err(e.into());
    }
    if !input.ignored.is_empty() {
        note(format_args!(
            "{name}: ignored columns (not fields of {}): {}",
            R::COLLECTION,
            read::listed(&input.ignored, sanitize_for_message)
        ));
    }

    if error_count > 0 {
        if error_count > SHOWN_ERRORS {
            errors.push(format!("… and {} more errors", error_count - SHOWN_ERRORS));
        }
        errors.push(format!(
            "{name}: {} of {} rows rejected; nothing written",
            summary.rejected, summary.read
        ));
        if args.dry_run {
            // The plan shows what the file would do once its bad rows are fixed.
            print_plan(&plan)?;
        } else {
            summary.created = 0;
            summary.updated = 0;
            summary.unchanged = 0;
            summary.skipped = 0;
        }
        summary.seconds = started.elapsed().as_secs_f64();
        report(args, &summary)?;
        return Err(CliError::Invalid(errors.join("\n")).into());
    }
    if args.dry_run {
        print_plan(&plan)?;
    } else if summary.created + summary.updated > 0 {
        summary.batch = Some(write::<R>(
            &store,
            &name,
            &bytes,
            &opts,
            &nested,
            args.on_existing,
            summary.created + summary.updated,
        )?);
    }
    summary.seconds = started.elapsed().as_secs_f64();
    report(args, &summary)?;
    if let Some(batch) = summary.batch {
        note(format_args!(
            "(one batch: `clusterdesk undo {batch}` reverts this import)"
        ));
    } else if !args.dry_run {
        note("nothing to change");
    }
    Ok(())
}

/// Pass 2: the rows read again and written as one batch. Pass 1 found no
/// error, and the store is this process's alone, so every row decides the
/// same way again. Rows are read and decided on a second thread while this
/// one writes: each key is in the file once, so a row's decision depends
/// only on what the store held before the import.
fn write<R: Record + Send>(
    store: &Store,
    name: &str,
    bytes: &[u8],
    opts: &ReadOptions,
    nested: &[&str],
    on_existing: OnExisting,
    changes: usize,
) -> anyhow::Result<Uuid> {
    let bar = progress(changes);
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
    let in_file = |line: usize, errors: &[crate::model::FieldError]| -> anyhow::Error {
        let text: Vec<String> = errors
            .iter()
            .map(|e| format!("{name}:{line}: {e}"))
            .collect();
        CliError::Invalid(text.join("\n") + "\nnothing written").into()
    };
    let written = std::thread::scope(|scope| -> anyhow::Result<()> {
        let (rows, decided) = std::sync::mpsc::sync_channel::<(usize, R)>(CHUNK);
        let reader = scope.spawn(move || -> anyhow::Result<()> {
            let mut planner = Planner::new(store, on_existing);
            let mut failure: Option<anyhow::Error> = None;
            read::read_each(name, bytes, opts, R::fields(), nested, &mut |row| {
                if failure.is_some() {
                    return;
                }
                match planner.decide::<R>(&row) {
                    Err(e) => failure = Some(e.into()),
                    Ok((_, Err(errors))) => failure = Some(in_file(row.line, &errors)),
                    Ok((_, Ok(Step::Create(r) | Step::Update { record: r, .. }))) => {
                        // The writer stopped (its error is the one reported).
                        if rows.send((row.line, r)).is_err() {
                            failure = Some(anyhow::anyhow!("the writer stopped"));
                        }
                    }
                    Ok(_) => {}
                }
            })
            .map_err(|e| CliError::Invalid(e.to_string()))?;
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
                other => anyhow::Error::from(other),
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
            if let Some(bar) = &bar {
                bar.inc(count);
            }
        }
        // Dropping the receiver stops a reader still sending.
        drop(decided);
        let read = reader
            .join()
            .unwrap_or_else(|_| Err(anyhow::anyhow!("the reading thread failed")));
        written.and(read)
    });
    if let Err(e) = written {
        // A pending batch dropped unfinished keeps its mark: the next open
        // of the store rolls back the chunks already written.
        drop(batch);
        return Err(e);
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

fn print_plan(plan: &[String]) -> anyhow::Result<()> {
    super::write_stdout(|out| {
        for line in plan {
            writeln!(out, "{line}")?;
        }
        Ok(())
    })
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
    note(summary.line());
    if args.report.is_some() {
        super::write_stdout(|out| {
            serde_json::to_writer(&mut *out, summary)?;
            writeln!(out)
        })?;
    }
    Ok(())
}
