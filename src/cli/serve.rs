//! `clusterdesk serve [--foreground] [--idle SECS]`: own the store and
//! serve its clients (see `server/`). Clients start it themselves when it
//! is not running; under systemd run it with `--foreground`.

use std::time::Duration;

use super::{CliError, StoreArgs};
use crate::server::auth::ConfigError;
use crate::server::serve::{self, Options};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Run until stopped (SIGTERM), never exiting for want of clients.
    #[arg(long)]
    foreground: bool,
    /// Seconds without clients before exiting (default: the store's
    /// clusterdesk.toml `idle_exit_secs`, else 60).
    #[arg(long, env = "CLUSTERDESK_IDLE_EXIT", value_name = "SECS")]
    idle: Option<u64>,
}

pub fn run(store: &StoreArgs, args: Args) -> anyhow::Result<()> {
    // The log is this process's stderr: the spawner points it at
    // server.log, systemd at the journal.
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .try_init();
    serve::run(Options {
        store: store.path()?,
        foreground: args.foreground,
        idle: args.idle.map(Duration::from_secs),
    })
    .map_err(|e| match e.downcast::<ConfigError>() {
        Ok(config) => CliError::Usage(config.0).into(),
        Err(other) => other,
    })
}
