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
mod open;
mod output;
mod rm;
mod serve;
mod set;
mod show;
mod undo;

use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand, ValueEnum};

use crate::model::Collection;
use crate::store::{Store, StoreError};
pub use open::StoreArgs;

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
    #[command(flatten)]
    pub store: StoreArgs,

    /// The console's keymap: a file, or `vim` / `plain` (default: the
    /// user's $XDG_CONFIG_HOME/clusterdesk/keymap.toml, else vim).
    #[arg(long, global = true, env = "CLUSTERDESK_KEYMAP", value_name = "FILE")]
    pub keymap: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// A collection, as named on the command line: the registry's names.
impl ValueEnum for Collection {
    fn value_variants<'a>() -> &'a [Self] {
        &Collection::ALL
    }
    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(self.as_str()))
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

/// Runs one parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<()> {
    let store = &cli.store;
    match cli.command {
        None => console(store, cli.keymap.as_deref()),
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
pub fn console(store: &StoreArgs, keymap: Option<&Path>) -> anyhow::Result<()> {
    console_on(None, store, keymap)
}

/// The console on a store already open (the demo's), or on the one named.
pub fn console_on(
    open: Option<Store>,
    store: &StoreArgs,
    keymap: Option<&Path>,
) -> anyhow::Result<()> {
    use crate::tui::keymap::{Keymap, KeymapError};
    let keymap = Keymap::for_console(keymap).map_err(|e| match e {
        KeymapError::Read { path, reason } => CliError::Input { path, reason },
        other => CliError::Usage(other.to_string()),
    })?;
    let store = match open {
        Some(store) => store,
        None => store.open()?,
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
