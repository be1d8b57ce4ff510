//! A store's server run by a test or bench of its own (`serve
//! --foreground`), and the wait until it listens. Included with `#[path]`.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Starts `bin serve --foreground` on `store`, its log to `stderr` (or
/// nowhere), and returns once it listens.
pub fn start(bin: &str, store: &Path, stderr: Option<std::fs::File>) -> Child {
    let child = Command::new(bin)
        .arg("--store")
        .arg(store)
        .args(["serve", "--foreground"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(stderr.map_or_else(Stdio::null, Stdio::from))
        .spawn()
        .expect("the server starts");
    let socket = store.join("clusterdesk.sock");
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::os::unix::net::UnixStream::connect(&socket).is_err() {
        assert!(Instant::now() < deadline, "the server never listened");
        std::thread::sleep(Duration::from_millis(10));
    }
    child
}

/// Runs `bin --store STORE ARGS…` as a client would (a server it starts
/// exits a second after it is idle), and returns its output.
pub fn run(bin: &str, store: &Path, args: &[&str]) -> std::process::Output {
    Command::new(bin)
        .arg("--store")
        .arg(store)
        .args(args)
        .env_remove("CLUSTERDESK_STORE")
        .env("CLUSTERDESK_IDLE_EXIT", "2")
        .stdin(Stdio::null())
        .output()
        .expect("the command runs")
}
