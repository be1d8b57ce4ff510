//! Small helpers the CLI test files share (each includes this file with
//! `#[path]`), so a store-reading rule is written once.
#![allow(dead_code)]

use std::path::Path;
use std::time::{Duration, Instant};

use clusterdesk::store::{Store, StoreError};
use serde_json::Value;

/// How many history entries the store at `path` holds.
pub fn history_len(path: &Path) -> usize {
    Store::open(path)
        .expect("the store opens")
        .history()
        .expect("history reads")
        .len()
}

/// Fields of `after` that differ from `before` (JSON objects), sorted.
pub fn changed_fields(before: &Value, after: &Value) -> Vec<String> {
    let (b, a) = (
        before.as_object().expect("an object"),
        after.as_object().expect("an object"),
    );
    let mut names: Vec<String> = b
        .keys()
        .chain(a.keys())
        .filter(|k| b.get(*k) != a.get(*k))
        .cloned()
        .collect();
    names.sort();
    names.dedup();
    names
}

/// Opens a store whose writer was just killed: its lock may take a moment
/// to be released by the dying process.
pub fn open_after_crash(path: &Path) -> Store {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        match Store::open(path) {
            Err(StoreError::Busy { .. }) if Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(20))
            }
            other => return other.expect("the store opens after a crash"),
        }
    }
}

/// Holds the store in this process, as a program using the library alone
/// would, once the server the CLI started has gone (it exits when idle).
pub fn hold_locally(path: &Path) -> Store {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        match Store::open_local(path) {
            Err(StoreError::Busy { .. }) if Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(50))
            }
            other => return other.expect("the store opens in this process"),
        }
    }
}
