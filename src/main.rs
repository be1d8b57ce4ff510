//! The `clusterdesk` binary: parse the command line, run it, map the outcome
//! to an exit code. Everything else lives in the library.

use std::process::ExitCode;

use clap::Parser;
use clusterdesk::cli::{Cli, exit_code, run};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // Each line prefixed, so every broken rule reads as its own message.
            for line in format!("{error:#}").lines() {
                eprintln!("clusterdesk: {line}");
            }
            ExitCode::from(exit_code(&error))
        }
    }
}
