//! Who may read a store's files. A store holds members' contacts and
//! internal notes, so its directory is the owner's (0700; 0710 when the
//! store's `clusterdesk.toml` names a group, which may then only pass
//! through to the socket) and every file in it is 0600, however the store
//! was made: by a server (umask 077), `--embedded`, `demo` or `load`. A
//! store found with looser modes (made by an older build, copied with
//! `cp -r`) is tightened when it is opened, and the log says so.

use std::io;
use std::os::unix::fs::{DirBuilderExt, FileTypeExt, PermissionsExt};
use std::path::{Path, PathBuf};

use super::StoreError;

/// The config file whose `group` key opens the directory to a group.
const CONFIG_NAME: &str = "clusterdesk.toml";

/// A file or directory whose mode was narrowed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tightened {
    pub path: PathBuf,
    pub from: u32,
    pub to: u32,
}

impl std::fmt::Display for Tightened {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} was open to others ({:04o}); now {:04o}",
            self.path.display(),
            self.from,
            self.to
        )
    }
}

/// Creates the store directory (and missing parents) with mode 0700; an
/// existing one is left to [`tighten`].
pub fn create_dir(path: &Path) -> io::Result<()> {
    if path.is_dir() {
        return Ok(());
    }
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    match std::fs::DirBuilder::new().mode(0o700).create(path) {
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists && path.is_dir() => Ok(()),
        other => other,
    }
}

/// Whether the store's config names a group. Only the key's presence
/// matters here; the server reads and checks the whole file.
fn has_group(store: &Path) -> bool {
    std::fs::read_to_string(store.join(CONFIG_NAME))
        .ok()
        .and_then(|text| text.parse::<toml::Table>().ok())
        .is_some_and(|table| table.contains_key("group"))
}

/// Narrows the modes of the store directory and everything in it: the
/// directory to 0700 (0710 with a group), directories inside to 0700,
/// files to 0600. Sockets are the server's business (0600, or 0660 for the
/// group) and are left alone. Only ever removes permission bits.
pub fn tighten(store: &Path) -> io::Result<Vec<Tightened>> {
    let mut changed = Vec::new();
    let top = if has_group(store) { 0o710 } else { 0o700 };
    narrow(store, top, &mut changed)?;
    walk(store, &mut changed)?;
    Ok(changed)
}

fn walk(dir: &Path, changed: &mut Vec<Tightened>) -> io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let kind = entry.file_type()?;
        let path = entry.path();
        if kind.is_dir() {
            narrow(&path, 0o700, changed)?;
            walk(&path, changed)?;
        } else if kind.is_file() {
            narrow(&path, 0o600, changed)?;
        } else if kind.is_socket() || kind.is_symlink() {
            // A symlink's own mode means nothing; what it points at is
            // not the store's to change.
        }
    }
    Ok(())
}

/// Clears every bit of `path`'s mode outside `allowed`.
fn narrow(path: &Path, allowed: u32, changed: &mut Vec<Tightened>) -> io::Result<()> {
    let mode = std::fs::symlink_metadata(path)?.permissions().mode() & 0o7777;
    let to = mode & allowed;
    if to != mode {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(to))?;
        changed.push(Tightened {
            path: path.to_path_buf(),
            from: mode,
            to,
        });
    }
    Ok(())
}

/// Why this user cannot use the store: `why` (if any), whose it is and its
/// mode, and what would let them in.
pub fn not_allowed(path: &Path, why: &str) -> StoreError {
    use std::os::unix::fs::MetadataExt;
    let reason = match std::fs::metadata(path) {
        Ok(meta) => {
            let owner = nix::unistd::User::from_uid(nix::unistd::Uid::from_raw(meta.uid()))
                .ok()
                .flatten()
                .map_or_else(|| format!("uid {}", meta.uid()), |u| u.name);
            format!(
                "{why}it is {owner}'s (mode {:04o}); {owner} can share it through its server \
                 (allow_users in {}, and `clusterdesk serve` running as {owner}: see the README)",
                meta.mode() & 0o7777,
                path.join(CONFIG_NAME).display()
            )
        }
        Err(e) => format!("{why}{e}"),
    };
    StoreError::NotAllowed {
        path: path.to_path_buf(),
        reason,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn a_new_store_directory_is_the_owners_alone() {
        let dir = tempfile::tempdir().unwrap();
        let store = dir.path().join("a/b/store");
        create_dir(&store).unwrap();
        assert_eq!(mode(&store), 0o700);
    }

    #[test]
    fn loose_modes_are_narrowed_and_named() {
        let dir = tempfile::tempdir().unwrap();
        let store = dir.path().join("store");
        std::fs::create_dir_all(store.join("blobs")).unwrap();
        std::fs::write(store.join("db"), b"x").unwrap();
        std::fs::write(store.join("blobs/1"), b"x").unwrap();
        for (p, m) in [
            ("", 0o755),
            ("db", 0o644),
            ("blobs", 0o775),
            ("blobs/1", 0o666),
        ] {
            std::fs::set_permissions(store.join(p), std::fs::Permissions::from_mode(m)).unwrap();
        }
        let changed = tighten(&store).unwrap();
        assert_eq!(changed.len(), 4, "{changed:?}");
        assert_eq!(mode(&store), 0o700);
        assert_eq!(mode(&store.join("db")), 0o600);
        assert_eq!(mode(&store.join("blobs")), 0o700);
        assert_eq!(mode(&store.join("blobs/1")), 0o600);
        assert!(changed[0].to_string().contains("0755"));
        // Already tight: nothing to say.
        assert!(tighten(&store).unwrap().is_empty());
    }

    #[test]
    fn a_group_keeps_only_passage_through_the_directory() {
        let dir = tempfile::tempdir().unwrap();
        let store = dir.path().join("store");
        std::fs::create_dir(&store).unwrap();
        std::fs::write(store.join(CONFIG_NAME), "group = \"cluster\"\n").unwrap();
        std::fs::set_permissions(&store, std::fs::Permissions::from_mode(0o775)).unwrap();
        tighten(&store).unwrap();
        assert_eq!(mode(&store), 0o710);
        assert_eq!(mode(&store.join(CONFIG_NAME)), 0o600);
    }

    #[test]
    fn modes_are_never_widened() {
        let dir = tempfile::tempdir().unwrap();
        let store = dir.path().join("store");
        std::fs::create_dir(&store).unwrap();
        std::fs::write(store.join("db"), b"x").unwrap();
        std::fs::set_permissions(store.join("db"), std::fs::Permissions::from_mode(0o400)).unwrap();
        tighten(&store).unwrap();
        assert_eq!(mode(&store.join("db")), 0o400);
    }
}
