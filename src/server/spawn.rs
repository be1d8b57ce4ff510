//! Finding a store's server, and starting one when none runs: the first
//! client starts `clusterdesk serve` in the background (its own process
//! group, output to `server.log` in the store) and connects once it
//! listens. Two clients starting servers at once is harmless: the second
//! server cannot take the store's lock, exits, and its client connects to
//! the first.

use super::link::LinkError;
use std::os::unix::fs::OpenOptionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::client::Client;
use crate::store::{StoreError, perms};

/// The socket's name inside the store directory.
pub const SOCKET_NAME: &str = "clusterdesk.sock";

/// The server's log, inside the store directory.
pub const LOG_NAME: &str = "server.log";

/// Exit code of a server that found the store held by another process.
pub const BUSY_EXIT: i32 = 75;

/// How long a client waits for a server it started.
const START_WAIT: Duration = Duration::from_secs(10);

pub fn socket_path(store: &Path) -> PathBuf {
    store.join(SOCKET_NAME)
}

/// A client of the server already running for `store`, if one is.
pub fn connect_running(store: &Path) -> Result<Option<Client>, StoreError> {
    let socket = socket_path(store);
    match socket.try_exists() {
        Ok(true) => {}
        Ok(false) => return Ok(None),
        // The directory keeps this user out (0700, or 0710 for a group
        // they are not in).
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
            return Err(perms::not_allowed(store, ""));
        }
        Err(_) => return Ok(None),
    }
    match Client::connect(store, &socket) {
        Ok(client) => Ok(Some(client)),
        // A server that refuses us is there: say so.
        Err(e @ StoreError::Refused { .. }) => Err(e),
        // A socket left by a server that died: nobody listens.
        Err(_) => Ok(None),
    }
}

/// A client of the store's server, started first if none runs.
pub fn connect_or_start(store: &Path) -> Result<Client, StoreError> {
    if let Some(client) = connect_running(store)? {
        return Ok(client);
    }
    let no_server = |reason: String| {
        StoreError::from(LinkError::NoServer {
            path: store.to_path_buf(),
            reason,
        })
    };
    may_start(store)?;
    perms::create_dir(store)
        .map_err(|e| no_server(format!("cannot create the store directory: {e}")))?;
    let absolute = store.canonicalize().map_err(|e| no_server(e.to_string()))?;
    let log_path = absolute.join(LOG_NAME);
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .mode(0o600)
        .open(&log_path)
        .map_err(|e| no_server(format!("cannot open {}: {e}", log_path.display())))?;
    let log_start = log.metadata().map_or(0, |m| m.len());
    let exe = match std::env::var_os("CLUSTERDESK_SERVER_BIN") {
        Some(bin) => PathBuf::from(bin),
        None => std::env::current_exe().map_err(|e| no_server(e.to_string()))?,
    };
    let mut child = Command::new(&exe)
        .arg("--store")
        .arg(&absolute)
        .arg("serve")
        .current_dir("/")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(log)
        // Out of the terminal's process group: Ctrl-C in the shell that
        // started the first client does not reach the server.
        .process_group(0)
        .spawn()
        .map_err(|e| no_server(format!("cannot run {}: {e}", exe.display())))?;

    let started = Instant::now();
    let mut exited_busy: Option<Instant> = None;
    loop {
        if let Some(client) = connect_running(store)? {
            // The server lives on after this process; reap it if it ends
            // while we run, so it leaves no zombie.
            std::thread::spawn(move || child.wait());
            return Ok(client);
        }
        if exited_busy.is_none() {
            match child.try_wait() {
                Ok(Some(status)) if status.code() == Some(BUSY_EXIT) => {
                    // Another server may be starting: give it a moment.
                    exited_busy = Some(Instant::now());
                }
                Ok(Some(status)) => {
                    return Err(StoreError::from(LinkError::ServerStopped {
                        path: store.to_path_buf(),
                        code: status.code(),
                        said: said_since(&log_path, log_start),
                        log: log_path,
                    }));
                }
                _ => {}
            }
        }
        if let Some(at) = exited_busy
            && at.elapsed() > Duration::from_secs(1)
        {
            return Err(StoreError::Busy {
                path: store.to_path_buf(),
            });
        }
        if started.elapsed() > START_WAIT {
            let _ = child.kill();
            return Err(no_server(format!(
                "no server listened within {} s; see {}",
                START_WAIT.as_secs(),
                log_path.display()
            )));
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Whether this user may start the store's server: only someone who may
/// write in its directory can (its owner). Another user is told so, not
/// about a log file they cannot open.
fn may_start(store: &Path) -> Result<(), StoreError> {
    use nix::unistd::{AccessFlags, access};
    if !store.exists() {
        return Ok(());
    }
    if access(store, AccessFlags::X_OK).is_err() {
        return Err(perms::not_allowed(store, ""));
    }
    if access(store, AccessFlags::W_OK).is_err() {
        // A group that may pass through (0710) to a server that is not running.
        return Err(perms::not_allowed(
            store,
            "its server is not running, and only its owner can start it; ",
        ));
    }
    Ok(())
}

/// What the server wrote to its log after `start` (its reason for
/// stopping), without the `clusterdesk: ` prefixes; the last few lines.
fn said_since(log: &Path, start: u64) -> String {
    use std::io::{Read, Seek, SeekFrom};
    let mut text = String::new();
    if let Ok(mut file) = std::fs::File::open(log)
        && file.seek(SeekFrom::Start(start)).is_ok()
    {
        let _ = file.take(64 * 1024).read_to_string(&mut text);
    }
    let lines: Vec<&str> = text
        .lines()
        .map(|l| l.strip_prefix("clusterdesk: ").unwrap_or(l))
        .filter(|l| !l.trim().is_empty())
        .collect();
    lines[lines.len().saturating_sub(5)..].join("\n")
}
