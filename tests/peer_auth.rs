//! Who may use a shared store is decided by the kernel's word on who
//! connects (SO_PEERCRED) and the store's `clusterdesk.toml`: a second and a
//! third Unix user are made for this test; one is allowed and named in the
//! history, the other is refused with a clear message and a line in the
//! server's log. Needs root (to make users); .ci/run runs as root.

#[path = "common/server.rs"]
mod server;
#[path = "common/users.rs"]
mod users;

use std::path::Path;
use std::process::{Command, Output, Stdio};

use users::{ALLOWED, GROUP, REFUSED, ensure_users};

const BIN: &str = env!("CARGO_BIN_EXE_clusterdesk");

fn as_user(user: &str, store: &Path, args: &[&str]) -> Output {
    Command::new("runuser")
        .args(["-u", user, "--", BIN, "--store"])
        .arg(store)
        .args(args)
        .env_remove("CLUSTERDESK_STORE")
        .stdin(Stdio::null())
        .output()
        .expect("runuser runs")
}

#[test]
fn only_the_users_the_store_allows_get_in_and_the_history_names_them() {
    if !nix::unistd::getuid().is_root() {
        eprintln!("note: not root, cannot make test users; skipped (.ci/run runs as root)");
        return;
    }
    ensure_users();
    let dir = tempfile::tempdir().expect("temp dir");
    // Others must be able to pass through the temporary directory.
    std::fs::set_permissions(
        dir.path(),
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .expect("chmod");
    let store = dir.path().join("s");
    std::fs::create_dir(&store).expect("store dir");
    std::fs::write(
        store.join("clusterdesk.toml"),
        format!("group = \"{GROUP}\"\nallow_users = [\"{ALLOWED}\"]\n"),
    )
    .expect("config");
    let log = dir.path().join("server.log");
    let mut server = server::start(BIN, &store, Some(std::fs::File::create(&log).expect("log")));
    let socket = store.join("clusterdesk.sock");
    let mode = std::os::unix::fs::PermissionsExt::mode(
        &std::fs::metadata(&socket).expect("socket").permissions(),
    );
    assert_eq!(
        mode & 0o777,
        0o660,
        "the socket is the owner's and the group's"
    );

    let refused = as_user(REFUSED, &store, &["list", "members"]);
    let err = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!("user {REFUSED} may not use this store")),
        "{err}"
    );

    let allowed = as_user(
        ALLOWED,
        &store,
        &["add", "members", "code=LT1", "name=UAB A", "sector=ict"],
    );
    assert!(allowed.status.success(), "{allowed:?}");

    let history = Command::new(BIN)
        .arg("--store")
        .arg(&store)
        .args(["history", "--format", "json"])
        .output()
        .expect("history");
    let text = String::from_utf8_lossy(&history.stdout);
    assert!(
        text.contains(&format!("\"who\": \"{ALLOWED}\"")),
        "the history names {ALLOWED}: {text}"
    );
    let _ = server.kill();
    let _ = server.wait();
    let log = std::fs::read_to_string(&log).expect("the log");
    assert!(
        log.lines()
            .any(|l| l.contains("refused") && l.contains(REFUSED)),
        "the server logs the refusal:\n{log}"
    );
}

fn mode(path: &Path) -> u32 {
    std::os::unix::fs::PermissionsExt::mode(
        &std::fs::symlink_metadata(path)
            .expect("metadata")
            .permissions(),
    ) & 0o7777
}

/// Every directory and file under `store` (the socket aside) by mode.
fn loose_modes(store: &Path, top: u32) -> Vec<String> {
    let mut loose = Vec::new();
    if mode(store) != top {
        loose.push(format!("{} {:04o}", store.display(), mode(store)));
    }
    let mut dirs = vec![store.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("read_dir") {
            let entry = entry.expect("entry");
            let kind = entry.file_type().expect("type");
            let path = entry.path();
            let want = if kind.is_dir() {
                dirs.push(path.clone());
                0o700
            } else if kind.is_file() {
                0o600
            } else {
                continue;
            };
            if mode(&path) & !want != 0 {
                loose.push(format!("{} {:04o}", path.display(), mode(&path)));
            }
        }
    }
    loose
}

fn run(store: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .arg("--store")
        .arg(store)
        .args(args)
        .env_remove("CLUSTERDESK_STORE")
        .env("CLUSTERDESK_IDLE_EXIT", "1")
        .stdin(Stdio::null())
        .output()
        .expect("runs")
}

fn ok(store: &Path, args: &[&str]) -> Output {
    let out = run(store, args);
    assert!(out.status.success(), "{args:?}: {out:?}");
    out
}

/// A user the store is not shared with reads nothing of it and is told
/// they are not allowed (never about a log file they cannot open).
fn assert_kept_out(store: &Path, how: &str) {
    for args in [
        &["--embedded", "list", "members"][..],
        &["list", "members"][..],
        &["show", "members", "LT1"][..],
    ] {
        let out = as_user(REFUSED, store, args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{how} {args:?}: {err}");
        assert!(err.contains("not allowed"), "{how} {args:?}: {err}");
        assert!(!err.contains("server.log"), "{how} {args:?}: {err}");
        assert!(
            !String::from_utf8_lossy(&out.stdout).contains("LT1"),
            "{how}"
        );
    }
    let cat = Command::new("runuser")
        .args(["-u", REFUSED, "--", "cat"])
        .arg(store.join("db"))
        .output()
        .expect("runuser cat");
    assert!(!cat.status.success(), "{how}: another user read the db");
}

#[test]
fn a_store_is_its_owners_alone_however_it_was_made() {
    if !nix::unistd::getuid().is_root() {
        eprintln!("note: not root, cannot make test users; skipped (.ci/run runs as root)");
        return;
    }
    ensure_users();
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::set_permissions(
        dir.path(),
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .expect("chmod");
    // The way a shell with umask 022 makes files: what let others in.
    let add = ["add", "members", "code=LT1", "name=UAB A", "sector=ict"];

    let embedded = dir.path().join("embedded");
    ok(&embedded, &[&["--embedded"][..], &add[..]].concat());

    let served = dir.path().join("served");
    ok(&served, &add);
    // Let its server go (idle 1 s) so the next user finds none running.
    std::thread::sleep(std::time::Duration::from_millis(1500));

    let demo = dir.path().join("demo");
    ok(&demo, &["--embedded", "demo"]);

    let dump = dir.path().join("dump.jsonl");
    let out = ok(&embedded, &["--embedded", "dump"]);
    std::fs::write(&dump, &out.stdout).expect("dump written");
    let loaded = dir.path().join("loaded");
    ok(
        &loaded,
        &["--embedded", "load", dump.to_str().expect("utf-8 path")],
    );

    for (how, store) in [
        ("--embedded", &embedded),
        ("through a server", &served),
        ("demo", &demo),
        ("load", &loaded),
    ] {
        assert_eq!(loose_modes(store, 0o700), Vec::<String>::new(), "{how}");
        assert_kept_out(store, how);
    }
    assert_eq!(mode(&served.join("server.log")), 0o600);
}

#[test]
fn a_store_left_open_to_others_is_narrowed_on_open_and_said_so() {
    if !nix::unistd::getuid().is_root() {
        eprintln!("note: not root, cannot make test users; skipped (.ci/run runs as root)");
        return;
    }
    ensure_users();
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::set_permissions(
        dir.path(),
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .expect("chmod");
    let store = dir.path().join("old");
    ok(
        &store,
        &[
            "--embedded",
            "add",
            "members",
            "code=LT1",
            "name=UAB A",
            "sector=ict",
        ],
    );
    // As an older build (or `cp -r` with umask 022) left it.
    let chmod = Command::new("chmod")
        .args(["-R", "go+rX"])
        .arg(&store)
        .status()
        .expect("chmod");
    assert!(chmod.success());
    assert_eq!(mode(&store.join("db")), 0o644);
    let out = ok(&store, &["--embedded", "list", "members"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("db was open to others (0644); now 0600"),
        "the open says what it narrowed: {err}"
    );
    assert_eq!(loose_modes(&store, 0o700), Vec::<String>::new());
    assert_kept_out(&store, "narrowed");

    // A server narrows it too, and says so in its log.
    let chmod = Command::new("chmod")
        .args(["-R", "go+rX"])
        .arg(&store)
        .status()
        .expect("chmod");
    assert!(chmod.success());
    ok(&store, &["list", "members"]);
    let log = std::fs::read_to_string(store.join("server.log")).expect("log");
    assert!(log.contains("was open to others"), "{log}");
    assert_eq!(mode(&store.join("db")), 0o600);
}

#[test]
fn a_group_may_only_pass_through_to_the_socket() {
    if !nix::unistd::getuid().is_root() {
        eprintln!("note: not root, cannot make test users; skipped (.ci/run runs as root)");
        return;
    }
    ensure_users();
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::set_permissions(
        dir.path(),
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .expect("chmod");
    let store = dir.path().join("s");
    std::fs::create_dir(&store).expect("store dir");
    std::fs::write(
        store.join("clusterdesk.toml"),
        format!("group = \"{GROUP}\"\nallow_users = [\"{ALLOWED}\"]\n"),
    )
    .expect("config");
    ok(
        &store,
        &[
            "--embedded",
            "add",
            "members",
            "code=LT1",
            "name=UAB A",
            "sector=ict",
            "email=a@b.lt",
        ],
    );
    assert_eq!(loose_modes(&store, 0o710), Vec::<String>::new());
    // REFUSED is in the group: it may reach the socket, never the files.
    let strings = Command::new("runuser")
        .args(["-u", REFUSED, "--", "cat"])
        .arg(store.join("db"))
        .output()
        .expect("runuser");
    assert!(!strings.status.success());
    assert!(!String::from_utf8_lossy(&strings.stdout).contains("a@b.lt"));
    // As a server left it (the directory in the group), with none running
    // now: only the owner can start one, said plainly.
    let chgrp = Command::new("chgrp")
        .arg(GROUP)
        .arg(&store)
        .status()
        .expect("chgrp");
    assert!(chgrp.success());
    let out = as_user(ALLOWED, &store, &["list", "members"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("not allowed"), "{err}");
    assert!(err.contains("only its owner can start it"), "{err}");
}
