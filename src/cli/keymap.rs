//! `clusterdesk keymap check FILE`: reads a keymap file as the console would,
//! and reports every problem with its line, without starting the console.

use std::path::PathBuf;

use super::output::note;
use super::{CliError, write_stdout};
use crate::display::escape;
use crate::tui::keymap::{Keymap, KeymapError};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub command: KeymapCommand,
}

#[derive(Debug, clap::Subcommand)]
pub enum KeymapCommand {
    /// Check a keymap file (a user's keymap.toml, or `vim` or `plain` for the
    /// built-ins): prints `FILE: ok (N bindings)`, or every problem as
    /// FILE:LINE: message and exits 2.
    Check {
        /// The keymap file.
        file: PathBuf,
    },
}

pub fn run(args: Args) -> anyhow::Result<()> {
    match args.command {
        KeymapCommand::Check { file } => check(file),
    }
}

fn check(file: PathBuf) -> anyhow::Result<()> {
    match Keymap::load(Some(&file)) {
        Ok(keymap) => {
            for warning in keymap.shadowed() {
                note(format_args!("{}: warning: {warning}", file.display()));
            }
            // stdout is a terminal too: the path is the user's.
            let shown = file.display().to_string();
            write_stdout(|out| writeln!(out, "{}: ok ({} bindings)", escape(&shown), keymap.len()))
        }
        Err(KeymapError::Read { path, reason }) => Err(CliError::Input { path, reason }.into()),
        Err(invalid) => Err(CliError::Usage(invalid.to_string()).into()),
    }
}
