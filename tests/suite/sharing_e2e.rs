//! Issue 5 end to end, as coordinators would do it: two consoles in tmux on
//! one store while an import runs from a third shell; both update live; the
//! same field edited in both at once is caught as a conflict in the one
//! that saves second. And a console on this machine against a store served
//! on another, through a socket forwarded by a real sshd on loopback.

use crate::fixtures::server;
use crate::fixtures::tmux;
use crate::fixtures::users;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use clusterdesk::model::{Member, Record};
use tmux::Tmux;

use crate::fixtures::BIN;

fn cli(store: &Path, args: &[&str]) -> Output {
    server::run(BIN, store, args)
}

fn console(store: &Path, extra: &str) -> Tmux {
    Tmux::start(&format!(
        "CLUSTERDESK_IDLE_EXIT=2 XDG_STATE_HOME={dir} {BIN} --store {store} {extra}",
        dir = store.parent().expect("dir").display(),
        store = store.display(),
    ))
}

/// A server of the test's own on `store`, holding member LT1.
fn served_with_one_member(store: &Path) -> Child {
    let server = server::start(BIN, store, None);
    let added = cli(
        store,
        &[
            "add",
            "members",
            "code=LT1",
            "name=UAB Vienas",
            "sector=ict",
        ],
    );
    assert!(added.status.success(), "{added:?}");
    server
}

fn field_index(field: &str) -> usize {
    Member::fields()
        .iter()
        .position(|f| f.name == field)
        .expect("a member field")
}

fn phone_of(store: &Path, code: &str) -> String {
    let out = cli(store, &["show", "members", code, "--format", "json"]);
    assert!(out.status.success(), "{out:?}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    v["phone"].as_str().unwrap_or("").to_string()
}

#[test]
fn two_consoles_and_an_import_on_one_store() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = dir.path().join("s");
    // As root (CI), the second console is another Unix user, let in by the
    // store's config, so the history must tell the two apart.
    let second = nix::unistd::getuid().is_root().then(|| {
        users::ensure_users();
        std::fs::set_permissions(dir.path(), PermissionsExt::from_mode(0o755)).expect("chmod");
        std::fs::create_dir(&store).expect("store dir");
        std::fs::write(
            store.join("clusterdesk.toml"),
            format!(
                "group = \"{}\"\nallow_users = [\"{}\"]\n",
                users::GROUP,
                users::ALLOWED
            ),
        )
        .expect("config");
        let logs = dir.path().join("logs");
        std::fs::create_dir(&logs).expect("logs");
        std::fs::set_permissions(&logs, PermissionsExt::from_mode(0o777)).expect("chmod");
        logs
    });
    assert!(cli(&store, &["demo"]).status.success());
    let first: serde_json::Value = {
        let out = cli(
            &store,
            &["list", "members", "--sort", "name", "--format", "json"],
        );
        serde_json::from_slice(&out.stdout).expect("JSON")
    };
    let members = first.as_array().expect("members").len();
    let code = first[0]["code"].as_str().expect("a code").to_string();

    let a = console(&store, "");
    let b = match &second {
        Some(logs) => Tmux::start(&format!(
            "runuser -u {} -- env XDG_STATE_HOME={} CLUSTERDESK_IDLE_EXIT=2 {BIN} --store {}",
            users::ALLOWED,
            logs.display(),
            store.display()
        )),
        None => console(&store, ""),
    };
    a.wait_for("2 connected");
    b.wait_for("2 connected");

    // A third shell imports three members: both consoles show them.
    let csv = dir.path().join("new.csv");
    std::fs::write(
        &csv,
        "code,name,sector\nZZ001,UAB Naujas Vienas,ict\nZZ002,UAB Naujas Du,ict\nZZ003,UAB Naujas Trys,ict\n",
    )
    .expect("CSV");
    let out = cli(&store, &["import", "members", csv.to_str().expect("utf-8")]);
    assert!(out.status.success(), "{out:?}");
    let now = format!("1/{}", members + 3);
    a.wait_for(&now);
    b.wait_for(&now);

    // Both open the phone of the first member; b saves first.
    let phone = field_index("phone");
    for console in [&a, &b] {
        console.send(&["l", &format!("{phone}j"), "i", "C-u"]);
        console.wait_for("INSERT");
    }
    a.send(&["+370 611 11111"]);
    b.send(&["+370 622 22222", "Escape"]);
    b.wait_for(&format!("saved phone of {code}"));
    a.send(&["Escape"]);
    let screen = a.wait_for("changed meanwhile");
    assert!(
        screen.contains("+370 622 22222"),
        "theirs is shown:\n{screen}"
    );
    assert!(
        screen.contains("+370 611 11111"),
        "mine is shown:\n{screen}"
    );
    assert_eq!(
        phone_of(&store, &code),
        "+370 622 22222",
        "nothing overwritten yet"
    );
    // Keep mine, knowingly.
    a.send(&["m"]);
    a.wait_for("kept mine");
    assert_eq!(phone_of(&store, &code), "+370 611 11111");
    // b sees a's save without a key press.
    b.wait_for("+370 611 11111");

    // The history names who did what.
    let out = cli(&store, &["history", "--format", "json", "--limit", "3"]);
    let history: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let who: Vec<&str> = history
        .as_array()
        .expect("batches")
        .iter()
        .filter_map(|b| b["changes"][0]["who"].as_str())
        .collect();
    let me = nix::unistd::User::from_uid(nix::unistd::getuid())
        .ok()
        .flatten()
        .map(|u| u.name)
        .expect("a user name");
    let other = if second.is_some() {
        users::ALLOWED
    } else {
        me.as_str()
    };
    // Newest first: a kept mine, b saved, the import.
    assert_eq!(who, [me.as_str(), other, me.as_str()], "{history}");
}

/// An sshd of the test's own on a loopback port, with keys made for it.
struct Sshd {
    child: Child,
    port: u16,
    key: PathBuf,
}

impl Drop for Sshd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn run_ok(cmd: &mut Command) {
    let out = cmd.output().expect("runs");
    assert!(out.status.success(), "{cmd:?}: {out:?}");
}

fn start_sshd(dir: &Path) -> Option<Sshd> {
    let sshd = Path::new("/usr/sbin/sshd");
    if !sshd.exists() || !nix::unistd::getuid().is_root() {
        eprintln!(
            "note: no /usr/sbin/sshd or not root (.ci/run installs and runs as root); skipped"
        );
        return None;
    }
    let host = dir.join("host_key");
    let key = dir.join("client_key");
    for k in [&host, &key] {
        run_ok(
            Command::new("ssh-keygen")
                .args(["-q", "-t", "ed25519", "-N", ""])
                .arg("-f")
                .arg(k),
        );
    }
    let authorized = dir.join("authorized_keys");
    std::fs::copy(dir.join("client_key.pub"), &authorized).expect("authorized_keys");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let config = dir.join("sshd_config");
    std::fs::write(
        &config,
        format!(
            "Port {port}\nListenAddress 127.0.0.1\nHostKey {host}\nAuthorizedKeysFile {auth}\n\
             PidFile {dir}/sshd.pid\nStrictModes no\nUsePAM no\nPermitRootLogin prohibit-password\n\
             PasswordAuthentication no\nAllowStreamLocalForwarding yes\nStreamLocalBindUnlink yes\n",
            host = host.display(),
            auth = authorized.display(),
            dir = dir.display(),
        ),
    )
    .expect("sshd_config");
    std::fs::create_dir_all("/run/sshd").expect("sshd's privilege separation directory");
    let child = Command::new(sshd)
        .args(["-D", "-e", "-f"])
        .arg(&config)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("sshd starts");
    let deadline = Instant::now() + Duration::from_secs(10);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "sshd never listened");
        std::thread::sleep(Duration::from_millis(20));
    }
    Some(Sshd { child, port, key })
}

#[test]
fn a_console_over_an_ssh_forwarded_socket() {
    let dir = tempfile::tempdir().expect("temp dir");
    let Some(sshd) = start_sshd(dir.path()) else {
        return;
    };
    // The "remote" store, with its server.
    let store = dir.path().join("remote-store");
    assert!(
        cli(
            &store,
            &["add", "members", "code=LT1", "name=UAB Toli", "sector=ict"]
        )
        .status
        .success()
    );
    let mut server = server::start(BIN, &store, None);

    let user = nix::unistd::User::from_uid(nix::unistd::getuid())
        .ok()
        .flatten()
        .map(|u| u.name)
        .expect("a user name");
    let local = dir.path().join("cd.sock");
    let mut ssh = Command::new("ssh")
        .arg("-N")
        .arg("-L")
        .arg(format!(
            "{}:{}",
            local.display(),
            store.join("clusterdesk.sock").display()
        ))
        .arg("-p")
        .arg(sshd.port.to_string())
        .arg("-i")
        .arg(&sshd.key)
        .args([
            "-o",
            "StrictHostKeyChecking=no",
            "-o",
            "UserKnownHostsFile=/dev/null",
            "-o",
            "BatchMode=yes",
            "-o",
            "ExitOnForwardFailure=yes",
            "-o",
            "LogLevel=ERROR",
        ])
        .arg(format!("{user}@127.0.0.1"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("ssh starts");
    let deadline = Instant::now() + Duration::from_secs(20);
    while !local.exists() {
        assert!(Instant::now() < deadline, "the forward never came up");
        if let Ok(Some(status)) = ssh.try_wait() {
            panic!("ssh ended: {status}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }

    // One-shot commands through the forward.
    let through = |args: &[&str]| {
        Command::new(BIN)
            .arg("--connect")
            .arg(&local)
            .args(args)
            .env_remove("CLUSTERDESK_STORE")
            .stdin(Stdio::null())
            .output()
            .expect("runs")
    };
    let out = through(&["list", "members", "--format", "csv"]);
    assert!(out.status.success(), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("UAB Toli"));

    // The console runs here; keys never cross the link, only store calls.
    let console = Tmux::start(&format!(
        "XDG_STATE_HOME={} {BIN} --connect {}",
        dir.path().display(),
        local.display()
    ));
    console.wait_for("UAB Toli");
    // A change made on the server's side shows in the forwarded console.
    assert!(
        cli(&store, &["set", "members", "LT1", "city=Kaunas"])
            .status
            .success()
    );
    console.wait_for("Kaunas");
    console.send(&[":", "q", "Enter"]);

    let _ = ssh.kill();
    let _ = ssh.wait();
    let _ = server.kill();
    let _ = server.wait();
}

#[test]
fn a_console_whose_server_dies_reconnects_and_keeps_the_open_field() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = dir.path().join("s");
    // This test's server first: the one that will die.
    let mut server = served_with_one_member(&store);
    let a = console(&store, "");
    a.wait_for("UAB Vienas");
    let phone = field_index("phone");
    a.send(&["l", &format!("{phone}j"), "i", "C-u", "+370 633 33333"]);
    a.wait_for("+370 633 33333");

    let _ = server.kill();
    let _ = server.wait();
    // The console says so, starts a new server, and reconnects to it.
    a.wait_until("offline or reconnected", |s| {
        s.contains("offline") || s.contains("reconnected")
    });
    a.wait_for("reconnected");
    let screen = a.screen();
    assert!(
        screen.contains("INSERT"),
        "the field is still open:\n{screen}"
    );
    a.send(&["Escape"]);
    a.wait_for("saved phone of LT1");
    assert_eq!(phone_of(&store, "LT1"), "+370 633 33333");
}

#[test]
fn an_edit_in_editor_over_someones_change_asks_too() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = dir.path().join("s");
    let mut server = served_with_one_member(&store);
    // The "editor": while it is open someone else sets the city; then it
    // saves a new phone.
    let editor = dir.path().join("ed");
    std::fs::write(
        &editor,
        format!(
            "#!/bin/sh\n{BIN} --store {store} set members LT1 city=Kaunas >/dev/null 2>&1\n\
             sed -i 's/^phone = .*/phone = \"+370 644 44444\"/' \"$1\"\n",
            store = store.display()
        ),
    )
    .expect("editor script");
    std::fs::set_permissions(&editor, std::os::unix::fs::PermissionsExt::from_mode(0o755))
        .expect("chmod");
    let a = Tmux::start(&format!(
        "EDITOR={} VISUAL= CLUSTERDESK_IDLE_EXIT=2 XDG_STATE_HOME={} {BIN} --store {}",
        editor.display(),
        dir.path().display(),
        store.display()
    ));
    a.wait_for("UAB Vienas");
    a.send(&["e"]);
    let screen = a.wait_for("changed meanwhile");
    assert!(
        screen.contains("+370 644 44444"),
        "mine is shown:\n{screen}"
    );
    a.send(&["f"]);
    a.wait_for("merged");
    let out = cli(&store, &["show", "members", "LT1", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(v["phone"], "+370 644 44444");
    assert_eq!(v["city"], "Kaunas", "their change is kept");
    let _ = server.kill();
    let _ = server.wait();
}
