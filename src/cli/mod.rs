//! The command line: argument shapes (clap), one file per subcommand, and the
//! mapping of errors to the exit codes of DESIGN.md's CLI contract.

mod add;
mod assign;
mod demo;
mod dump;
mod edit;
mod export;
mod history;
mod import;
mod keymap;
mod list;
mod load;
mod manual;
mod output;
mod rm;
mod serve;
mod set;
mod show;
mod undo;

use std::path::{Path, PathBuf};

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use clap::{Parser, Subcommand, ValueEnum};

use crate::model::Collection;
use crate::store::{Store, StoreError};

/// Errors of the command line itself (the store has its own, [`StoreError`]).
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The call's words are off (exit 2).
    #[error("{0}")]
    Usage(String),
    /// Data given on the command line or in an edit breaks a rule (exit 65).
    #[error("{0}")]
    Invalid(String),
    /// An input file is missing or unreadable (exit 66).
    #[error("{}: {reason}", path.display())]
    Input { path: PathBuf, reason: String },
    /// Anything else (exit 1).
    #[error("{0}")]
    Failed(String),
}

/// The exit code for an error, by the CLI contract: 2 usage, 65 invalid data,
/// 66 input missing, 74 store damaged, 75 store busy, 128+N stopped by
/// signal N, 1 anything else.
pub fn exit_code(error: &anyhow::Error) -> u8 {
    for cause in error.chain() {
        if let Some(stopped) = cause.downcast_ref::<crate::signals::Stopped>() {
            return stopped.exit_code();
        }
        if let Some(e) = cause.downcast_ref::<CliError>() {
            return match e {
                CliError::Usage(_) => 2,
                CliError::Invalid(_) => 65,
                CliError::Input { .. } => 66,
                CliError::Failed(_) => 1,
            };
        }
        if let Some(e) = cause.downcast_ref::<StoreError>() {
            return match e.exit_code() {
                65 => 65,
                74 => 74,
                75 => 75,
                _ => 1,
            };
        }
    }
    1
}

#[derive(Debug, Parser)]
#[command(
    name = "clusterdesk",
    version,
    about = "The coordinator's console for an industry cluster: members, news and meetings",
    long_about = "The coordinator's console for an industry cluster: member companies, \
                  their yearly indicators, news drafts and meeting notes, kept in an embedded store.\n\n\
                  Exit codes: 0 ok, 2 usage, 65 invalid data (nothing written), 66 input missing, \
                  74 store damaged, 75 store busy, 129/130/143 stopped by SIGHUP/SIGINT/SIGTERM, \
                  1 anything else."
)]
pub struct Cli {
    /// The store directory (default: $XDG_DATA_HOME/clusterdesk/store).
    #[arg(long, global = true, env = "CLUSTERDESK_STORE", value_name = "DIR")]
    pub store: Option<PathBuf>,

    /// The console's keymap: a file, or `vim` / `plain` (default: the
    /// user's $XDG_CONFIG_HOME/clusterdesk/keymap.toml, else vim).
    #[arg(long, global = true, env = "CLUSTERDESK_KEYMAP", value_name = "FILE")]
    pub keymap: Option<PathBuf>,

    /// Open the store in this process instead of through its server: for
    /// one user alone, recovery and benchmarks (refused while a server runs).
    /// The variable takes 1/0, true/false, yes/no, on/off.
    #[arg(
        long,
        global = true,
        env = "CLUSTERDESK_EMBEDDED",
        value_parser = clap::builder::BoolishValueParser::new()
    )]
    pub embedded: bool,

    /// Use the server listening on SOCKET (e.g. a socket forwarded with
    /// `ssh -L`) instead of the store's own.
    #[arg(
        long,
        global = true,
        env = "CLUSTERDESK_CONNECT",
        value_name = "SOCKET"
    )]
    pub connect: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// `--embedded` for this run (set once the command line is parsed).
static EMBEDDED: AtomicBool = AtomicBool::new(false);
/// `--connect` for this run.
static CONNECT: Mutex<Option<PathBuf>> = Mutex::new(None);

fn connect_to() -> Option<PathBuf> {
    CONNECT.lock().unwrap_or_else(|p| p.into_inner()).clone()
}

/// A collection, as named on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CollectionArg {
    Members,
    Indicators,
    News,
    Meetings,
}

impl From<CollectionArg> for Collection {
    fn from(c: CollectionArg) -> Collection {
        match c {
            CollectionArg::Members => Collection::Members,
            CollectionArg::Indicators => Collection::Indicators,
            CollectionArg::News => Collection::News,
            CollectionArg::Meetings => Collection::Meetings,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List records as a table, or as JSON, JSON Lines or CSV for scripts.
    List(list::Args),
    /// Show one record.
    Show(show::Args),
    /// Add a record: `add members code=LT1 name="UAB Šviesa" sector=ict`.
    Add(add::Args),
    /// Change fields of one record: `set members LT1 phone="+370 600 00000"`.
    Set(set::Args),
    /// Remove records (all or none).
    Rm(rm::Args),
    /// Edit one record as TOML in $VISUAL, $EDITOR or vi.
    Edit(edit::Args),
    /// Read records from CSV, JSON Lines or JSON: all rows or none.
    Import(import::Args),
    /// Write a whole collection as CSV, JSON Lines or JSON, sorted by key.
    Export(export::Args),
    /// Write the whole store (records with their ids, and history) as one
    /// versioned JSON Lines file: a backup a person can read.
    Dump(dump::Args),
    /// Read a dump into an empty store: all of it or nothing.
    Load(load::Args),
    /// Show who changed what, batch by batch, newest first.
    History(history::Args),
    /// Revert a batch of changes (as a new batch).
    Undo(undo::Args),
    /// Build a demo cluster in its own store and say what to try.
    Demo(demo::Args),
    /// Check a keymap file without starting the console.
    Keymap(keymap::Args),
    /// Print shell completions.
    Completions(manual::CompletionsArgs),
    /// Print the manual page (roff).
    Man,
    /// Own the store and serve the consoles and commands that use it
    /// (started by the first of them if it is not running).
    Serve(serve::Args),
}

/// Where the store is: `--store`, else `CLUSTERDESK_STORE` (clap reads both),
/// else `$XDG_DATA_HOME/clusterdesk/store`.
pub fn store_path(given: Option<&Path>) -> anyhow::Result<PathBuf> {
    if let Some(p) = given {
        return Ok(p.to_path_buf());
    }
    data_dir().map(|d| d.join("store"))
}

/// `$XDG_DATA_HOME/clusterdesk` (or `~/.local/share/clusterdesk`).
pub fn data_dir() -> anyhow::Result<PathBuf> {
    directories::BaseDirs::new()
        .map(|b| b.data_dir().join("clusterdesk"))
        .ok_or_else(|| {
            CliError::Failed(
                "cannot find a home directory for the default store; give --store DIR".into(),
            )
            .into()
        })
}

/// The store as commands open it: through its server (started if none
/// runs), or in this process with `--embedded`.
pub fn open_store(given: Option<&Path>) -> anyhow::Result<Store> {
    open_path(&store_path(given)?)
}

fn open_path(path: &Path) -> anyhow::Result<Store> {
    if let Some(socket) = connect_to() {
        return Ok(Store::connect_socket(&socket)?);
    }
    Ok(if EMBEDDED.load(Ordering::Relaxed) {
        said_tightened(Store::open_local(path)?)
    } else {
        Store::connect(path)?
    })
}

/// Tells the person at the terminal which files of the store were open to
/// others until now.
fn said_tightened(store: Store) -> Store {
    for t in store.tightened() {
        output::note(format!("clusterdesk: note: {t}"));
    }
    store
}

/// [`open_store`] for a bulk write: in this process, a small page cache.
pub fn open_store_for_bulk(given: Option<&Path>) -> anyhow::Result<Store> {
    if let Some(socket) = connect_to() {
        return Ok(Store::connect_socket(&socket)?);
    }
    let path = store_path(given)?;
    Ok(if EMBEDDED.load(Ordering::Relaxed) {
        said_tightened(Store::open_local_for_bulk(&path)?)
    } else {
        Store::connect(&path)?
    })
}

/// Runs one parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<()> {
    EMBEDDED.store(cli.embedded, Ordering::Relaxed);
    *CONNECT.lock().unwrap_or_else(|p| p.into_inner()) = cli.connect.clone();
    let store = cli.store.as_deref();
    match cli.command {
        None => console(&store_path(store)?, cli.keymap.as_deref()),
        Some(Command::List(args)) => list::run(store, args),
        Some(Command::Show(args)) => show::run(store, args),
        Some(Command::Add(args)) => add::run(store, args),
        Some(Command::Set(args)) => set::run(store, args),
        Some(Command::Rm(args)) => rm::run(store, args),
        Some(Command::Edit(args)) => edit::run(store, args),
        Some(Command::Import(args)) => import::run(store, args),
        Some(Command::Export(args)) => export::run(store, args),
        Some(Command::Dump(args)) => dump::run(store, args),
        Some(Command::Load(args)) => load::run(store, args),
        Some(Command::History(args)) => history::run(store, args),
        Some(Command::Undo(args)) => undo::run(store, args),
        Some(Command::Demo(args)) => demo::run(store, cli.keymap.as_deref(), args),
        Some(Command::Keymap(args)) => keymap::run(args),
        Some(Command::Completions(args)) => manual::completions(args),
        Some(Command::Man) => manual::man(),
        Some(Command::Serve(args)) => serve::run(store, args),
    }
}

/// Whether a person is at the terminal (the console needs one both ways).
pub fn interactive() -> bool {
    use std::io::IsTerminal;
    std::io::stdin().is_terminal() && std::io::stdout().is_terminal()
}

/// Opens the console. The keymap is read and the store opened before the
/// screen is taken, so a bad keymap (exit 2) or a busy store (exit 75) is
/// reported on a normal terminal.
pub fn console(path: &Path, keymap: Option<&Path>) -> anyhow::Result<()> {
    console_on(None, path, keymap)
}

/// The console on a store already open (the demo's), or on `path`.
pub fn console_on(open: Option<Store>, path: &Path, keymap: Option<&Path>) -> anyhow::Result<()> {
    use crate::tui::keymap::{Keymap, KeymapError};
    let keymap = Keymap::for_console(keymap).map_err(|e| match e {
        KeymapError::Read { path, reason } => CliError::Input { path, reason },
        other => CliError::Usage(other.to_string()),
    })?;
    let store = match open {
        Some(store) => store,
        None => open_path(path)?,
    };
    if !interactive() {
        return Err(CliError::Usage(
            "the console needs a terminal; for scripts see `clusterdesk --help`".into(),
        )
        .into());
    }
    crate::tui::run(store, keymap)
}

/// Writes to stdout; a closed pipe (`| head`) ends the output quietly.
pub(crate) fn write_stdout(
    f: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> anyhow::Result<()> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let result = f(&mut out).and_then(|()| std::io::Write::flush(&mut out));
    match result {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}
