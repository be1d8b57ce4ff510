//! The store: the only door to sled. Typed records in, typed records out; no
//! sled or codec type crosses this module's border.
//!
//! Trees: for each collection `C`, `C` (id -> record), `C/key` (natural key ->
//! id) and `C/sort/S` (sort key, 0, id -> empty) for each of the record's sorts;
//! `history` (batch id, seq -> entry) and `meta` (schema_version, marks of
//! unfinished imports and loads).

mod backend;
mod batch;
pub mod codec;
mod deferred;
mod error;
mod event;
mod handle;
mod history;
mod load;
pub mod local;
mod pending;
pub mod perms;
mod references;
mod scan;
mod undo;

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use sled::Tree;
use uuid::Uuid;

use crate::model::{Collection, Record};

pub use backend::{Backend, BatchBackend, LoadBackend, Records};
pub use batch::{BatchSummary, LISTED_CHANGES};
pub use error::StoreError;
pub use event::Event;
pub use handle::{All, Batch, Loader, Scan, Store};
pub use history::HistoryEntry;
pub use load::LoadSummary;

/// sled's page cache: enough for the working set of a large cluster, bounded
/// so the console and imports stay within the memory budget.
const CACHE_BYTES: u64 = 64 * 1024 * 1024;
/// The page cache of a server (see `Engine::open_for_server`).
const SERVER_CACHE_BYTES: u64 = 16 * 1024 * 1024;
/// The page cache for bulk writes (see `Engine::open_for_bulk`).
const BULK_CACHE_BYTES: u64 = 8 * 1024 * 1024;

const SCHEMA_KEY: &[u8] = b"schema_version";

/// More than a new store's log (2.5 KiB): a store that held records.
const HELD_DATA: u64 = 16 * 1024;

struct CollectionTrees {
    records: Tree,
    by_key: Tree,
    /// One tree per `Record::sorts()` entry, in that order.
    sorts: Vec<Tree>,
}

pub struct Engine {
    db: sled::Db,
    path: PathBuf,
    meta: Tree,
    history: Tree,
    collections: Vec<CollectionTrees>,
    /// Every tree, for transactions that span them; see `tree_index`.
    all_trees: Vec<Tree>,
    /// Writes are serialised so checks made before a transaction still hold in it.
    write_lock: Mutex<()>,
    who: String,
    /// Files whose modes were narrowed when the store opened.
    tightened: Vec<perms::Tightened>,
}

impl Drop for Engine {
    /// Files sled made while the store was open (snapshots, blobs) got the
    /// process's umask: an embedded client's is often 022.
    fn drop(&mut self) {
        let _ = self.db.flush();
        let _ = perms::tighten(&self.path);
    }
}

fn slot(c: Collection) -> usize {
    usize::from(c.tag())
}

/// The OS user running this process, for history entries: looked up from
/// the process's real uid, not from `$USER`, which any process can set.
fn current_user() -> String {
    let uid = nix::unistd::getuid();
    match nix::unistd::User::from_uid(uid) {
        Ok(Some(user)) => user.name,
        _ => format!("uid {uid}"),
    }
}

impl Engine {
    /// Opens (creating if needed) the store at `path`.
    pub fn open(path: &Path) -> Result<Engine, StoreError> {
        Engine::open_with_cache(path, CACHE_BYTES)
    }

    /// Opens the store for a bulk write (an import): sled's memory grows to
    /// a few times its page cache while writing, and a bulk write reads
    /// little back, so a small cache keeps it within the memory budget.
    pub fn open_for_bulk(path: &Path) -> Result<Engine, StoreError> {
        Engine::open_with_cache(path, BULK_CACHE_BYTES)
    }

    /// Opens the store for `clusterdesk serve`: its clients keep what they
    /// show, so the server's page cache serves writes and cold reads, and a
    /// small one keeps a server taking a 100,000-row import within the
    /// memory budget.
    pub fn open_for_server(path: &Path) -> Result<Engine, StoreError> {
        Engine::open_with_cache(path, SERVER_CACHE_BYTES)
    }

    fn open_with_cache(path: &Path, cache: u64) -> Result<Engine, StoreError> {
        let path = path.to_path_buf();
        let io_error = |e: std::io::Error| match e.kind() {
            std::io::ErrorKind::PermissionDenied => perms::not_allowed(&path, ""),
            _ => StoreError::Open {
                path: path.clone(),
                reason: e.to_string(),
            },
        };
        perms::create_dir(&path).map_err(io_error)?;
        // Before sled opens it: nobody else should read what it writes.
        let tightened = perms::tighten(&path).map_err(io_error)?;
        for t in &tightened {
            tracing::warn!("{t}");
        }
        // A store's log is a few KiB from its first open on (its schema
        // version): one much larger that opens empty was cut or overwritten,
        // and sled, reading up to the first bad checksum, says nothing.
        let held_data = std::fs::metadata(path.join("db")).is_ok_and(|m| m.len() > HELD_DATA);
        let db = open_db(&path, cache)?;
        // sled made its files just now with the process's umask: not news.
        perms::tighten(&path).map_err(io_error)?;
        let storage = |e: sled::Error| StoreError::Storage {
            path: path.clone(),
            reason: e.to_string(),
        };
        let meta = db.open_tree("meta").map_err(storage)?;
        let history = db.open_tree("history").map_err(storage)?;
        let mut collections = Vec::new();
        let mut all_trees = Vec::new();
        for c in Collection::ALL {
            let records = db.open_tree(c.as_str()).map_err(storage)?;
            let by_key = db.open_tree(format!("{c}/key")).map_err(storage)?;
            let sorts = c
                .sorts()
                .iter()
                .map(|s| db.open_tree(format!("{c}/sort/{s}")))
                .collect::<Result<Vec<_>, _>>()
                .map_err(storage)?;
            all_trees.push(records.clone());
            all_trees.push(by_key.clone());
            all_trees.extend(sorts.iter().cloned());
            collections.push(CollectionTrees {
                records,
                by_key,
                sorts,
            });
        }
        all_trees.push(history.clone());
        let store = Engine {
            db,
            path,
            meta,
            history,
            collections,
            all_trees,
            write_lock: Mutex::new(()),
            who: current_user(),
            tightened,
        };
        store.check_schema(held_data)?;
        store.undo_unfinished_load()?;
        store.roll_back_pending()?;
        Ok(store)
    }

    fn check_schema(&self, held_data: bool) -> Result<(), StoreError> {
        let found = self.meta.get(SCHEMA_KEY).map_err(|e| self.storage(e))?;
        match found {
            None if held_data => Err(StoreError::Damaged {
                path: self.path.clone(),
                file: self.path.join("db"),
                reason: "it holds data, but none that reads (it was cut short or overwritten)"
                    .into(),
            }),
            None => {
                self.meta
                    .insert(SCHEMA_KEY, &codec::SCHEMA_VERSION.to_be_bytes())
                    .map_err(|e| self.storage(e))?;
                self.flush()
            }
            Some(bytes) => {
                let version = <[u8; 4]>::try_from(bytes.as_ref())
                    .map(u32::from_be_bytes)
                    .map_err(|_| self.corrupt("schema_version", "not a 4-byte number"))?;
                if version > codec::SCHEMA_VERSION {
                    return Err(StoreError::NewerSchema {
                        path: self.path.clone(),
                        found: version,
                        supported: codec::SCHEMA_VERSION,
                    });
                }
                Ok(())
            }
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The files whose modes were narrowed when the store opened (it was
    /// made by an older build, or copied).
    pub fn tightened(&self) -> &[perms::Tightened] {
        &self.tightened
    }

    /// The schema version the store holds.
    pub fn schema_version(&self) -> Result<u32, StoreError> {
        let bytes = self
            .meta
            .get(SCHEMA_KEY)
            .map_err(|e| self.storage(e))?
            .ok_or_else(|| self.corrupt("schema_version", "missing"))?;
        <[u8; 4]>::try_from(bytes.as_ref())
            .map(u32::from_be_bytes)
            .map_err(|_| self.corrupt("schema_version", "not a 4-byte number"))
    }

    /// Who history entries name as the author of changes.
    pub fn user(&self) -> &str {
        &self.who
    }

    /// Names another author for the changes this handle makes.
    pub fn set_user(&mut self, who: impl Into<String>) {
        self.who = who.into();
    }

    fn trees(&self, c: Collection) -> &CollectionTrees {
        &self.collections[slot(c)]
    }

    /// Position in `all_trees` of a collection's first tree (records, key, sorts...).
    fn tree_index(&self, c: Collection) -> usize {
        Collection::ALL
            .iter()
            .take_while(|&&other| other != c)
            .map(|&other| 2 + other.sorts().len())
            .sum()
    }

    fn storage(&self, e: sled::Error) -> StoreError {
        sled_error(&self.path, e)
    }

    fn corrupt(&self, what: impl Into<String>, reason: impl Into<String>) -> StoreError {
        StoreError::Corrupt {
            path: self.path.clone(),
            what: what.into(),
            reason: reason.into(),
        }
    }

    fn decode<R: Record>(&self, id: &[u8], bytes: &[u8]) -> Result<R, StoreError> {
        codec::decode(bytes).map_err(|reason| {
            let id = Uuid::from_slice(id)
                .map(|u| u.to_string())
                .unwrap_or_default();
            self.corrupt(format!("{} {id}", R::COLLECTION.singular()), reason)
        })
    }

    /// Makes every acknowledged write durable.
    pub fn flush(&self) -> Result<(), StoreError> {
        self.db.flush().map(|_| ()).map_err(|e| self.storage(e))
    }

    /// The record with this natural key.
    pub fn get<R: Record>(&self, key: &str) -> Result<Option<R>, StoreError> {
        let key = R::normalize_key(key);
        let trees = self.trees(R::COLLECTION);
        let Some(id) = trees
            .by_key
            .get(key.as_bytes())
            .map_err(|e| self.storage(e))?
        else {
            return Ok(None);
        };
        self.get_by_id_bytes(&id)
    }

    /// The record with this natural key, or a not-found error naming it.
    pub fn require<R: Record>(&self, key: &str) -> Result<R, StoreError> {
        self.get(key)?.ok_or_else(|| StoreError::NotFound {
            collection: R::COLLECTION,
            key: R::normalize_key(key),
        })
    }

    pub fn get_by_id<R: Record>(&self, id: Uuid) -> Result<Option<R>, StoreError> {
        self.get_by_id_bytes(id.as_bytes())
    }

    fn get_by_id_bytes<R: Record>(&self, id: &[u8]) -> Result<Option<R>, StoreError> {
        let trees = self.trees(R::COLLECTION);
        match trees.records.get(id).map_err(|e| self.storage(e))? {
            Some(bytes) => self.decode(id, &bytes).map(Some),
            None => Ok(None),
        }
    }

    /// Whether a record with this natural key exists.
    pub fn contains<R: Record>(&self, key: &str) -> Result<bool, StoreError> {
        let key = R::normalize_key(key);
        self.trees(R::COLLECTION)
            .by_key
            .contains_key(key.as_bytes())
            .map_err(|e| self.storage(e))
    }

    /// How many records the collection holds (walks the key index).
    pub fn count<R: Record>(&self) -> usize {
        self.trees(R::COLLECTION).by_key.len()
    }

    /// Starts a batch of changes that commit together, as one history batch.
    pub fn batch(&self) -> batch::Batch<'_> {
        batch::Batch::new(self)
    }
}

/// How long an open waits for the lock before reporting the store busy. sled's
/// background threads can hold the lock a moment after this process dropped
/// its last handle (a close then reopen, as `edit` does); another process
/// holding it is still reported well within a second.
const LOCK_WAIT: std::time::Duration = std::time::Duration::from_millis(300);

fn open_db(path: &Path, cache: u64) -> Result<sled::Db, StoreError> {
    let started = std::time::Instant::now();
    loop {
        let result = sled::Config::new()
            .path(path)
            .cache_capacity(cache)
            .open()
            .map_err(|e| open_error(path, e));
        match result {
            Err(StoreError::Busy { .. }) if started.elapsed() < LOCK_WAIT => {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            other => return other,
        }
    }
}

fn open_error(path: &Path, e: sled::Error) -> StoreError {
    match e {
        sled::Error::Io(io) if io.to_string().contains("could not acquire lock") => {
            StoreError::Busy {
                path: path.to_path_buf(),
            }
        }
        sled::Error::Io(io) if io.kind() == std::io::ErrorKind::PermissionDenied => {
            perms::not_allowed(path, "")
        }
        sled::Error::Io(io) => StoreError::Open {
            path: path.to_path_buf(),
            reason: io.to_string(),
        },
        other => sled_error(path, other),
    }
}

/// sled's newest snapshot file (`snap.` and a hex log position).
fn newest_snapshot(path: &Path) -> Option<PathBuf> {
    std::fs::read_dir(path)
        .ok()?
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("snap.") && !name.ends_with(".generating"))
        .max()
        .map(|name| path.join(name))
}

/// A sled error said for people: sled's own text of a damaged file ends in
/// "backtrace ()", and of an I/O error is its Debug form.
fn sled_error(path: &Path, e: sled::Error) -> StoreError {
    let damaged = |file: PathBuf, reason: String| StoreError::Damaged {
        path: path.to_path_buf(),
        file,
        reason,
    };
    match e {
        // "No space left on device (os error 28)".
        sled::Error::Io(io) => StoreError::Storage {
            path: path.to_path_buf(),
            reason: io.to_string(),
        },
        sled::Error::Corruption { at: Some(at), .. } => damaged(
            path.join("db"),
            format!("a checksum does not match at {at:?}"),
        ),
        // No place in the log: what sled read was its snapshot.
        sled::Error::Corruption { at: None, .. } => damaged(
            newest_snapshot(path).unwrap_or_else(|| path.join("db")),
            "a checksum does not match".into(),
        ),
        // sled's "bug" is what a damaged file it did not catch looks like.
        sled::Error::ReportableBug(what) => damaged(path.join("db"), what),
        other => StoreError::Storage {
            path: path.to_path_buf(),
            reason: other.to_string(),
        },
    }
}
