//! A desk for tests of the real binary: a temporary directory the binary
//! runs in (so files are named relative to it in messages), with its store
//! at `s`. Included with `#[path]` by the test files that drive the CLI on
//! files (import, export, dump, load); they also include `common/store.rs`
//! as `shared`.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use assert_cmd::assert::Assert;
use serde_json::Value;
use tempfile::TempDir;

pub const COLLECTIONS: [&str; 4] = ["members", "indicators", "news", "meetings"];

/// A temporary directory for one test: the binary runs in it (so files are
/// named relative to it in messages), with its store at `s`.
pub struct Desk {
    pub dir: TempDir,
    pub store: PathBuf,
}

impl Desk {
    pub fn new() -> Desk {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let store = dir.path().join("s");
        Desk { dir, store }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Writes `bytes` to `name` in the test's directory.
    pub fn file(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path(name);
        std::fs::write(&path, bytes).expect("the fixture is written");
        path
    }

    /// The binary on `store`, run in the test's directory, stdin empty.
    pub fn cmd_on(&self, store: &Path) -> Command {
        let mut cmd = Command::cargo_bin("clusterdesk").expect("the clusterdesk binary");
        cmd.current_dir(self.dir.path())
            .env_remove("CLUSTERDESK_STORE")
            .env("CLUSTERDESK_IDLE_EXIT", "1")
            .env("USER", "tester")
            .env("HOME", self.dir.path())
            .env("XDG_DATA_HOME", self.dir.path().join("xdg-data"))
            .env("TMPDIR", self.dir.path())
            .arg("--store")
            .arg(store)
            .write_stdin("");
        cmd
    }

    pub fn cmd(&self) -> Command {
        self.cmd_on(&self.store)
    }

    pub fn run(&self, args: &[&str]) -> Assert {
        self.cmd().args(args).assert()
    }

    /// Runs a command that must succeed; returns (stdout, stderr).
    pub fn ok(&self, args: &[&str]) -> (String, String) {
        let out = self.run(args).success().get_output().clone();
        (
            String::from_utf8(out.stdout).expect("stdout is UTF-8"),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    /// Runs a command that must fail with `code`; returns (stdout, stderr).
    pub fn fails(&self, code: i32, args: &[&str]) -> (String, String) {
        let out = self.run(args).code(code).get_output().clone();
        (
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    /// Every collection as `export --format jsonl` prints it.
    pub fn snapshot(&self) -> String {
        COLLECTIONS
            .iter()
            .map(|c| self.ok(&["export", c, "--format", "jsonl"]).0)
            .collect::<Vec<_>>()
            .join("--\n")
    }

    pub fn history_len(&self) -> usize {
        super::shared::history_len(&self.store)
    }

    /// `history --format json`, newest batch first.
    pub fn batches(&self) -> Vec<Value> {
        let out = self
            .ok(&["history", "--format", "json", "--limit", "1000"])
            .0;
        let v: Value = serde_json::from_str(&out).expect("history --format json is JSON");
        v.as_array().expect("an array of batches").clone()
    }

    pub fn show(&self, collection: &str, key: &str) -> Value {
        let out = self.ok(&["show", collection, key, "--format", "json"]).0;
        serde_json::from_str(&out).expect("show --format json is JSON")
    }

    pub fn count(&self, collection: &str) -> usize {
        self.ok(&["export", collection, "--format", "jsonl"])
            .0
            .lines()
            .count()
    }
}

/// Lines of stderr that report an error at `file:`; the `clusterdesk: `
/// prefix is dropped.
pub fn error_lines(stderr: &str, file: &str) -> Vec<String> {
    stderr
        .lines()
        .map(|l| l.strip_prefix("clusterdesk: ").unwrap_or(l))
        .filter(|l| {
            l.strip_prefix(file)
                .and_then(|r| r.strip_prefix(':'))
                .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit()))
        })
        .map(str::to_string)
        .collect()
}
