//! The console logs to a file under `$XDG_STATE_HOME/clusterdesk/`, never to
//! the screen it draws on.

use std::path::PathBuf;

use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::Path;

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
    let file = open(&dir()?).ok()?;
    let (writer, guard) = tracing_appender::non_blocking(file);
    let subscriber = tracing_subscriber::fmt()
        .with_writer(writer)
        .with_ansi(false)
        .finish();
    tracing::subscriber::set_global_default(subscriber).ok()?;
    Some(guard)
}

/// The log file, the user's alone (it names records and stores): made
/// 0600 in a 0700 directory, and narrowed if an older build left it open.
fn open(dir: &Path) -> std::io::Result<std::fs::File> {
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)?;
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .mode(0o600)
        .open(dir.join("console.log"))?;
    file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_log_is_the_users_alone() {
        let dir = tempfile::tempdir().unwrap();
        let logs = dir.path().join("state/clusterdesk");
        open(&logs).unwrap();
        let log = logs.join("console.log");
        std::fs::set_permissions(&log, std::fs::Permissions::from_mode(0o644)).unwrap();
        open(&logs).unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&log), 0o600);
        assert_eq!(mode(&logs), 0o700);
    }
}
