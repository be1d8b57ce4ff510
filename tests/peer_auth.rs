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
