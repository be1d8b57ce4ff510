//! Who may use a shared store is decided by the kernel's word on who
//! connects (SO_PEERCRED) and the store's `clusterdesk.toml`: second, third and
//! fourth Unix users are made for this test; one is allowed and named in the
//! history, the other is refused with a clear message and a line in the
//! server's log; one user's idle connections lock out neither the owner
//! nor another user. Needs root (to make users); .ci/run runs as root.

use crate::fixtures::server;
use crate::fixtures::users;

use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use clusterdesk::model::Member;
use clusterdesk::server::protocol;
use clusterdesk::store::Store;
use users::{ALLOWED, GROUP, OTHER, REFUSED, ensure_users};

use crate::fixtures::BIN;

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

/// A store in a directory others may pass through, shared with `GROUP`
/// and open to `users` (its server, run by the test, is the owner).
fn shared_store(users: &[&str]) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::set_permissions(
        dir.path(),
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .expect("chmod");
    let store = dir.path().join("s");
    std::fs::create_dir(&store).expect("store dir");
    let list = users
        .iter()
        .map(|u| format!("\"{u}\""))
        .collect::<Vec<_>>()
        .join(", ");
    std::fs::write(
        store.join("clusterdesk.toml"),
        format!("group = \"{GROUP}\"\nallow_users = [{list}]\n"),
    )
    .expect("config");
    (dir, store)
}

/// How many connections the helper asks for: more than the server's 256.
const HELD: usize = 300;

#[test]
fn one_users_idle_connections_lock_out_neither_the_owner_nor_another_user() {
    if !nix::unistd::getuid().is_root() {
        eprintln!("note: not root, cannot make test users; skipped (.ci/run runs as root)");
        return;
    }
    ensure_users();
    let (_dir, store) = shared_store(&[ALLOWED, OTHER]);
    let _server = Killed(server::start(BIN, &store, None));

    // ALLOWED opens connections, says hello on each, and sits there.
    let mut holder = Command::new("runuser")
        .args(["-u", ALLOWED, "--"])
        .arg(std::env::current_exe().expect("this test binary"))
        .args([
            "--exact",
            "peer_auth::hold_idle_connections",
            "--ignored",
            "--nocapture",
        ])
        .env("CD_HOLD_SOCKET", store.join("clusterdesk.sock"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("the holder starts");
    let stdout = holder.stdout.take().expect("its stdout");
    let mut lines = BufReader::new(stdout).lines();
    let held = lines
        .by_ref()
        .map_while(Result::ok)
        .find_map(|l| {
            l.strip_prefix("held: ")
                .map(|rest| rest.split(' ').map(String::from).collect::<Vec<_>>())
        })
        .expect("the holder says what it holds");
    let welcomed: usize = held[0].parse().expect("a count");
    let refusal = held[1..].join(" ");
    println!("{ALLOWED} asked for {HELD} connections: {welcomed} let in; the rest told: {refusal}");
    assert_eq!(welcomed, 32, "one user gets at most 32");
    assert!(
        refusal.contains(ALLOWED) && refusal.contains("the most one user may have"),
        "{refusal}"
    );

    // The owner still gets in, and so does another allowed user.
    let owner = Store::open(&store).expect("the owner connects");
    assert!(
        owner.reads_are_round_trips(),
        "the owner goes through the server"
    );
    assert_eq!(owner.count::<Member>(), 0);
    let other = as_user(
        OTHER,
        &store,
        &["add", "members", "code=LT1", "name=UAB A", "sector=ict"],
    );
    assert!(other.status.success(), "{other:?}");
    assert_eq!(owner.count::<Member>(), 1);

    drop(holder.stdin.take());
    // Read to the end, so its test harness can finish writing.
    lines.for_each(drop);
    let _ = holder.wait();
}

/// A process killed when the test ends, also when it fails.
struct Killed(std::process::Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Not a test on its own: run as another user by the test above (with
/// `CD_HOLD_SOCKET` set), it opens [`HELD`] connections, says hello on
/// each, prints how many were let in and the first refusal, and holds
/// them until its stdin closes.
#[test]
#[ignore = "a helper, run as another user by one_users_idle_connections_lock_out_..."]
fn hold_idle_connections() {
    let Some(socket) = std::env::var_os("CD_HOLD_SOCKET") else {
        return;
    };
    let mut held = Vec::new();
    let mut refusal = String::from("nothing");
    for _ in 0..HELD {
        let Ok(mut stream) = UnixStream::connect(&socket) else {
            continue;
        };
        let _ = stream.set_read_timeout(Some(Duration::from_secs(20)));
        if protocol::write_frame(&mut stream, &protocol::hello()).is_err() {
            continue;
        }
        match protocol::read_frame(&mut stream).map(|a| protocol::read_answer(&a)) {
            Ok(Ok(Ok(_))) => held.push(stream),
            Ok(Ok(Err(reason))) if refusal == "nothing" => refusal = reason,
            _ => {}
        }
    }
    println!("held: {} {refusal}", held.len());
    let _ = std::io::stdout().flush();
    let mut line = String::new();
    let _ = std::io::stdin().read_line(&mut line);
}
