//! A disk that fills up under the server: the write that does not fit is
//! refused to its client with a clear error, and nothing acknowledged
//! before is lost. (sled keeps failing after an I/O error; a server started
//! once there is room again serves the store as it was.) Needs root (a small
//! tmpfs of its own); .ci/run runs as root.

use crate::fixtures::server;

use std::path::Path;
use std::process::{Command, Output};

use crate::fixtures::BIN;

fn cli(store: &Path, args: &[&str]) -> Output {
    server::run(BIN, store, args)
}

struct Tmpfs(std::path::PathBuf);

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

#[test]
fn a_full_disk_refuses_the_write_and_keeps_what_was_acknowledged() {
    if !nix::unistd::getuid().is_root() {
        eprintln!("note: not root, cannot mount a small tmpfs; skipped (.ci/run runs as root)");
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let mount = dir.path().join("small");
    std::fs::create_dir(&mount).expect("mount point");
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=3m", "tmpfs"])
        .arg(&mount)
        .output()
        .expect("mount runs");
    if !mounted.status.success() {
        eprintln!("note: cannot mount a tmpfs here ({mounted:?}); skipped");
        return;
    }
    let _tmpfs = Tmpfs(mount.clone());
    let store = mount.join("s");
    let mut server = server::start(BIN, &store, None);

    let notes = "x".repeat(60_000);
    let mut acknowledged = Vec::new();
    let mut refusal = None;
    for i in 0..200 {
        let code = format!("LT{i}");
        let out = cli(
            &store,
            &[
                "add",
                "members",
                &format!("code={code}"),
                "name=UAB Pilnas",
                "sector=ict",
                &format!("notes={notes}"),
            ],
        );
        if out.status.success() {
            acknowledged.push(code);
        } else {
            refusal = Some(String::from_utf8_lossy(&out.stderr).into_owned());
            break;
        }
    }
    let refusal = refusal.expect("the disk filled up");
    assert!(refusal.contains("No space left on device"), "{refusal}");
    assert!(!acknowledged.is_empty());

    // Room again, and a fresh server: every acknowledged member is there.
    let _ = server.kill();
    let _ = server.wait();
    assert!(
        Command::new("mount")
            .args(["-o", "remount,size=16m"])
            .arg(&mount)
            .status()
            .expect("remount")
            .success()
    );
    let out = cli(&store, &["export", "members", "--format", "csv"]);
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8_lossy(&out.stdout);
    for code in &acknowledged {
        assert!(
            text.contains(&format!(",{code},")),
            "{code} was acknowledged and is kept"
        );
    }
}
