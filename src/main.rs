//! The `clusterdesk` binary: parse the command line, run it, map the outcome
//! to an exit code. Everything else lives in the library.

use std::process::ExitCode;

use clap::builder::Styles;
use clap::{CommandFactory, FromArgMatches};
use clusterdesk::cli::{Cli, exit_code, run};
use clusterdesk::display::escape;

fn main() -> ExitCode {
    // Without clap's styles its messages are plain text but for what the
    // user typed, which is escaped below (the plain rendering of a styled
    // message would silently drop the user's escape sequences instead).
    let parsed = Cli::command()
        .styles(Styles::plain())
        .try_get_matches()
        .and_then(|matches| Cli::from_arg_matches(&matches));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(error) => return clap_exit(&error),
    };
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // Each line prefixed, so every broken rule reads as its own
            // message; escaped, since any of them may quote user input.
            for line in format!("{error:#}").lines() {
                eprintln!("clusterdesk: {}", escape(line));
            }
            ExitCode::from(exit_code(&error))
        }
    }
}

/// clap's usage errors quote the arguments given, so they are escaped like
/// every other message; help and --version go to stdout as clap prints
/// them (escaped too if they quote an environment value that needs it).
fn clap_exit(error: &clap::Error) -> ExitCode {
    let text = error.render().ansi().to_string();
    let code = u8::try_from(error.exit_code()).unwrap_or(2);
    if error.use_stderr() {
        eprint!("{}", escape(&text));
    } else if let std::borrow::Cow::Owned(escaped) = escape(&text) {
        print!("{escaped}");
    } else if error.print().is_err() {
        return ExitCode::from(1);
    }
    ExitCode::from(code)
}
