//! Small helpers the CLI test files share (each includes this file with
//! `#[path]`), so a store-reading rule is written once.
#![allow(dead_code)]

use std::path::Path;

use clusterdesk::store::Store;
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
