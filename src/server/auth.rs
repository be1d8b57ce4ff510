//! Who may connect. The kernel tells the server who is at the other end of
//! the socket (SO_PEERCRED); the client's own word is never asked. The
//! server's own user may always connect; others only as the store's
//! `clusterdesk.toml` allows:
//!
//! ```toml
//! allow_users = ["ona", "jonas"]   # by name
//! allow_groups = ["cluster"]       # members of these groups
//! group = "cluster"                # the socket's and the store's group
//! idle_exit_secs = 300             # an auto-started server's idle time
//! ```

use std::ffi::CString;
use std::os::unix::net::UnixStream;
use std::path::Path;

use nix::sys::socket::{getsockopt, sockopt::PeerCredentials};
use nix::unistd::{Gid, Group, Uid, User, getgrouplist};
use serde::Deserialize;

/// The server's configuration file, inside the store directory.
pub const CONFIG_NAME: &str = "clusterdesk.toml";

#[derive(Debug, Default, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub allow_users: Vec<String>,
    #[serde(default)]
    pub allow_groups: Vec<String>,
    /// The group the socket and the store directory belong to.
    pub group: Option<String>,
    /// How long an auto-started server waits without clients.
    pub idle_exit_secs: Option<u64>,
}

/// The store's config file cannot be read or says something the server
/// does not know (the CLI calls it a usage error: exit 2).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ConfigError(pub String);

impl Config {
    /// The store's config, or the default (owner only) when it has none.
    pub fn load(store: &Path) -> Result<Config, ConfigError> {
        let path = store.join(CONFIG_NAME);
        let bad = |reason: String| {
            ConfigError(
                crate::display::escape(&format!("{}: {reason}", path.display())).into_owned(),
            )
        };
        match std::fs::read_to_string(&path) {
            Ok(text) => toml::from_str(&text).map_err(|e| bad(e.to_string())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Config::default()),
            Err(e) => Err(bad(e.to_string())),
        }
    }

    /// The configured group, looked up.
    pub fn gid(&self) -> Result<Option<Gid>, String> {
        let Some(name) = &self.group else {
            return Ok(None);
        };
        match Group::from_name(name) {
            Ok(Some(g)) => Ok(Some(g.gid)),
            Ok(None) => Err(format!("group = {name:?}: no such group")),
            Err(e) => Err(format!("group = {name:?}: {e}")),
        }
    }
}

/// Who is at the other end of a connection, as the kernel says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Peer {
    pub uid: u32,
    pub gid: u32,
    pub pid: i32,
    /// The user's name, or `uid N` when it has none.
    pub user: String,
}

/// Only the uid at the other end: no lookup in the user database, so the
/// accept loop can count connections by user without waiting on it.
pub fn peer_uid(stream: &UnixStream) -> Result<u32, String> {
    getsockopt(stream, PeerCredentials)
        .map(|cred| cred.uid())
        .map_err(|e| e.to_string())
}

/// A user's name, or `uid N` when it has none.
pub fn user_name(uid: u32) -> String {
    match User::from_uid(Uid::from_raw(uid)) {
        Ok(Some(u)) => u.name,
        _ => format!("uid {uid}"),
    }
}

pub fn peer(stream: &UnixStream) -> Result<Peer, String> {
    let cred = getsockopt(stream, PeerCredentials).map_err(|e| e.to_string())?;
    let uid = cred.uid();
    Ok(Peer {
        uid,
        gid: cred.gid(),
        pid: cred.pid(),
        user: user_name(uid),
    })
}

/// Whether `peer` may use the store; the reason when not.
pub fn allow(config: &Config, peer: &Peer, server_uid: u32) -> Result<(), String> {
    if peer.uid == server_uid || config.allow_users.contains(&peer.user) {
        return Ok(());
    }
    if !config.allow_groups.is_empty() {
        let groups = CString::new(peer.user.as_str())
            .ok()
            .and_then(|name| getgrouplist(&name, Gid::from_raw(peer.gid)).ok())
            .unwrap_or_else(|| vec![Gid::from_raw(peer.gid)]);
        for name in &config.allow_groups {
            if let Ok(Some(g)) = Group::from_name(name)
                && groups.contains(&g.gid)
            {
                return Ok(());
            }
        }
    }
    Err(format!(
        "user {} may not use this store (ask its owner to add them to allow_users or allow_groups in {CONFIG_NAME})",
        peer.user
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn peer_named(uid: u32, user: &str) -> Peer {
        Peer {
            uid,
            gid: 4242,
            pid: 1,
            user: user.into(),
        }
    }

    #[test]
    fn the_owner_is_let_in_and_strangers_are_not() {
        let config = Config::default();
        assert!(allow(&config, &peer_named(1000, "ona"), 1000).is_ok());
        let refused = allow(&config, &peer_named(1001, "jonas"), 1000);
        assert!(refused.is_err_and(|r| r.contains("jonas") && r.contains("allow_users")));
    }

    #[test]
    fn named_users_are_let_in() {
        let config = Config {
            allow_users: vec!["jonas".into()],
            ..Config::default()
        };
        assert!(allow(&config, &peer_named(1001, "jonas"), 1000).is_ok());
        assert!(allow(&config, &peer_named(1002, "petras"), 1000).is_err());
    }

    #[test]
    fn a_config_file_reads_and_unknown_keys_are_refused() {
        let dir = tempfile::tempdir().expect("temp dir");
        assert_eq!(Config::load(dir.path()), Ok(Config::default()));
        std::fs::write(
            dir.path().join(CONFIG_NAME),
            "allow_users = [\"ona\"]\nallow_groups = [\"cluster\"]\nidle_exit_secs = 5\n",
        )
        .expect("written");
        let config = Config::load(dir.path()).expect("reads");
        assert_eq!(config.allow_users, ["ona"]);
        assert_eq!(config.idle_exit_secs, Some(5));
        std::fs::write(dir.path().join(CONFIG_NAME), "allow_user = [\"ona\"]\n").expect("written");
        assert!(Config::load(dir.path()).is_err_and(|e| e.0.contains("allow_user")));
    }
}
