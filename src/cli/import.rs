//! `clusterdesk import C [FILE|-]`: every row read and checked first; if any
//! row is wrong nothing is written and every error is listed as
//! `FILE:LINE: FIELD: reason`. Otherwise the rows are written as one batch
//! (one sled transaction: all of them or none, even if the process dies),
//! which `clusterdesk undo BATCH` reverts. The work is `ops::import`; this
//! file reads the arguments and the file, and says what happened.

use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};
use std::time::Instant;

use uuid::Uuid;

use super::output::note;
use super::{CliError, StoreArgs};
use crate::each_record;
use crate::io::read::{self, InputFormat, ReadOptions};
use crate::model::text::sanitize_for_message;
use crate::model::{Collection, Record};
use crate::ops::import::{self, Counts, ImportError, OnExisting, Progress, SHOWN_ERRORS, Source};

/// `--on-existing`, in the operation's own terms.
impl clap::ValueEnum for OnExisting {
    fn value_variants<'a>() -> &'a [Self] {
        &[OnExisting::Update, OnExisting::Skip, OnExisting::Fail]
    }
    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        use clap::builder::PossibleValue;
        Some(match self {
            OnExisting::Update => {
                PossibleValue::new("update").help("Change the fields the file has; keep the others")
            }
            OnExisting::Skip => PossibleValue::new("skip").help("Leave records that exist alone"),
            OnExisting::Fail => {
                PossibleValue::new("fail").help("Refuse the whole import if any record exists")
            }
        })
    }
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
    #[serde(flatten)]
    counts: Counts,
    dry_run: bool,
    batch: Option<Uuid>,
    seconds: f64,
}

impl Summary {
    fn line(&self) -> String {
        let c = &self.counts;
        let mut s = format!(
            "{}: {} read, {} created, {} updated, {} unchanged, {} rejected",
            self.collection, c.read, c.created, c.updated, c.unchanged, c.rejected
        );
        if c.skipped > 0 {
            s.push_str(&format!(", {} skipped", c.skipped));
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

/// What the operation's errors are to the CLI: a refused file is invalid
/// data (exit 65); the store's errors keep their own exit codes.
fn cli_error(e: ImportError) -> anyhow::Error {
    match e {
        ImportError::Invalid(text) => CliError::Invalid(text).into(),
        ImportError::Store(e) => e.into(),
    }
}

fn import<R: Record + Send>(store_args: &StoreArgs, args: &Args) -> anyhow::Result<()> {
    let started = Instant::now();
    let options = options(args)?;
    let (name, bytes) = input(args)?;
    let source = Source {
        name: &name,
        bytes: &bytes,
        options: &options,
    };
    let store = store_args.open_for_bulk()?;
    let checked =
        import::check::<R>(&store, source, args.on_existing, args.dry_run).map_err(cli_error)?;
    let mut summary = Summary {
        collection: R::COLLECTION.to_string(),
        counts: checked.counts.clone(),
        dry_run: args.dry_run,
        ..Summary::default()
    };
    if !checked.ignored.is_empty() {
        note(format_args!(
            "{name}: ignored columns (not fields of {}): {}",
            R::COLLECTION,
            read::listed(&checked.ignored, sanitize_for_message)
        ));
    }

    if checked.error_count > 0 {
        let mut errors = checked.errors;
        if checked.error_count > SHOWN_ERRORS {
            errors.push(format!(
                "… and {} more errors",
                checked.error_count - SHOWN_ERRORS
            ));
        }
        errors.push(format!(
            "{name}: {} of {} rows rejected; nothing written",
            summary.counts.rejected, summary.counts.read
        ));
        if args.dry_run {
            // The plan shows what the file would do once its bad rows are fixed.
            print_plan(&checked.plan)?;
        } else {
            summary.counts = Counts {
                read: summary.counts.read,
                rejected: summary.counts.rejected,
                ..Counts::default()
            };
        }
        summary.seconds = started.elapsed().as_secs_f64();
        report(args, &summary)?;
        return Err(CliError::Invalid(errors.join("\n")).into());
    }
    if args.dry_run {
        print_plan(&checked.plan)?;
    } else if summary.counts.changes() > 0 {
        let changes = summary.counts.changes();
        let bar = Bar(progress(changes));
        let batch = import::write::<R>(&store, source, args.on_existing, changes, &bar)
            .map_err(cli_error)?;
        if let Some(bar) = bar.0 {
            bar.finish_and_clear();
        }
        summary.batch = Some(batch);
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

/// The progress bar the writing moves, when a person watches.
struct Bar(Option<indicatif::ProgressBar>);

impl Progress for Bar {
    fn written(&self, n: u64) {
        if let Some(bar) = &self.0 {
            bar.inc(n);
        }
    }
    fn committing(&self) {
        if let Some(bar) = &self.0 {
            bar.set_message("writing");
        }
    }
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
