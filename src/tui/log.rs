//! The console logs to a file under `$XDG_STATE_HOME/clusterdesk/`, never to
//! the screen it draws on.

use std::path::PathBuf;

use tracing_appender::non_blocking::WorkerGuard;

/// Where the log goes: `$XDG_STATE_HOME/clusterdesk` (or
/// `~/.local/state/clusterdesk`).
pub fn dir() -> Option<PathBuf> {
    let base = directories::BaseDirs::new()?;
    let state = base
        .state_dir()
        .map(PathBuf::from)
        .unwrap_or_else(|| base.home_dir().join(".local/state"));
    Some(state.join("clusterdesk"))
}

/// Starts logging to `console.log`; keep the guard alive while the console
/// runs. Without a writable state directory the console runs unlogged.
pub fn init() -> Option<WorkerGuard> {
    let dir = dir()?;
    std::fs::create_dir_all(&dir).ok()?;
    let appender = tracing_appender::rolling::never(&dir, "console.log");
    let (writer, guard) = tracing_appender::non_blocking(appender);
    let subscriber = tracing_subscriber::fmt()
        .with_writer(writer)
        .with_ansi(false)
        .finish();
    tracing::subscriber::set_global_default(subscriber).ok()?;
    Some(guard)
}
