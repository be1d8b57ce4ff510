//! The real console on a pty that answers no query, with keys typed at
//! once and signals sent as a system sends them (SIGTERM on shutdown,
//! SIGHUP when an SSH link drops): the console starts, reads keys as keys,
//! and on every way out gives the terminal back and leaves no form file.

use crate::fixtures::pty;

use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::ExitStatusExt;
use std::time::{Duration, Instant};

use nix::sys::signal::Signal;
use pty::{LEFT_ALTERNATE_SCREEN, PATIENCE, Pty, Setup};

/// The tab bar, drawn on the first frame.
const FIRST_FRAME: &str = "Members";
const CURSOR_QUERY: &str = "\x1b[6n";

/// Quits from whatever state the keys left: Escapes end any half-typed
/// sequence and leave the prompt, Ctrl-C drops a field's invalid value;
/// each alone, so each is a key.
fn quit(pty: &mut Pty) {
    for key in [b"\x1b", b"\x03", b"\x1b"] {
        pty.write(key);
        std::thread::sleep(Duration::from_millis(100));
    }
    pty.write(b":q!\r");
    let status = pty.wait_exit();
    assert_eq!(
        status.code(),
        Some(0),
        "the console's output:\n{:?}",
        pty.output_text()
    );
}

/// The terminal was given back after it was last taken.
fn gave_the_terminal_back(pty: &Pty) -> bool {
    let out = pty.output_text();
    match (out.rfind(LEFT_ALTERNATE_SCREEN), out.rfind("\x1b[?1049h")) {
        (Some(left), Some(entered)) => left > entered,
        _ => false,
    }
}

/// Waits until the console's TMPDIR holds the editor's form directory.
fn wait_for_the_form(setup: &Setup) -> std::path::PathBuf {
    let start = Instant::now();
    while start.elapsed() < PATIENCE {
        let forms = setup.temporary_files().into_iter().find(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("clusterdesk-edit-"))
        });
        if let Some(dir) = forms {
            let form = std::fs::read_dir(&dir)
                .ok()
                .and_then(|mut e| e.next())
                .and_then(|e| e.ok());
            if let Some(form) = form {
                return form.path();
            }
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!(
        "the editor's form never appeared in {}",
        setup.tmp.display()
    );
}

fn mode(path: &std::path::Path) -> u32 {
    std::fs::metadata(path)
        .expect("metadata")
        .permissions()
        .mode()
        & 0o777
}

#[test]
fn a_terminal_that_never_answers_gets_the_console_and_is_never_asked() {
    let setup = Setup::demo();
    let mut pty = setup.console("true");
    pty.wait_for(FIRST_FRAME);
    quit(&mut pty);
    assert!(
        !pty.output_text().contains(CURSOR_QUERY),
        "the console asked for the cursor position"
    );
    assert!(gave_the_terminal_back(&pty));
}

#[test]
fn a_command_typed_before_the_console_took_the_terminal_runs() {
    // Typed at once, `:q` and Enter reach the terminal while it is still in
    // line mode, which turns the Enter into a newline (Ctrl-J).
    let setup = Setup::demo();
    let mut pty = setup.console("true");
    pty.write(b":q\r");
    let status = pty.wait_exit();
    assert_eq!(status.code(), Some(0), "{:?}", pty.output_text());
    assert!(gave_the_terminal_back(&pty));
}

#[test]
fn keys_like_a_cursor_report_typed_after_the_editor_are_keys() {
    let setup = Setup::demo();
    let mut pty = setup.console("true");
    // Typed at once, before the first frame: `e` runs an editor that
    // returns at once, then the start of what a cursor report looks like.
    pty.write(b"e\x1b[1;e\x1b[1;5ejjk");
    pty.wait_for("changes");
    std::thread::sleep(Duration::from_millis(200));
    assert!(pty.running(), "the console ended: {:?}", pty.output_text());
    quit(&mut pty);
    let out = pty.output_text();
    assert!(!out.contains(CURSOR_QUERY));
    assert!(!out.contains("cursor position"), "{out:?}");
    assert!(setup.temporary_files().is_empty());
}

#[test]
fn sigterm_while_the_editor_runs_ends_both_and_leaves_no_form() {
    let setup = Setup::demo();
    let mut pty = setup.console(&setup.editor("exec sleep 60"));
    pty.wait_for(FIRST_FRAME);
    pty.write(b"e");
    let form = wait_for_the_form(&setup);
    let dir = form.parent().expect("the form's directory");
    assert_eq!(mode(dir), 0o700, "the form's directory is the user's alone");
    assert_eq!(mode(&form), 0o600);
    pty.signal(Signal::SIGTERM);
    let status = pty.wait_exit();
    assert_eq!(status.code(), Some(128 + 15), "{status:?}");
    assert!(status.signal().is_none());
    assert_eq!(setup.temporary_files(), Vec::<std::path::PathBuf>::new());
    assert!(gave_the_terminal_back(&pty));
    pty.wait_for("stopped by SIGTERM");
}

#[test]
fn sigint_while_the_editor_runs_is_the_editors_and_the_console_stays() {
    let setup = Setup::demo();
    // Ctrl-C in an editor reaches its whole process group, clusterdesk
    // too; the editor decides (this one goes on for half a second).
    let mut pty = setup.console(&setup.editor("sleep 0.5"));
    pty.wait_for(FIRST_FRAME);
    pty.write(b"e");
    wait_for_the_form(&setup);
    pty.signal(Signal::SIGINT);
    pty.wait_for("changes");
    assert!(pty.running());
    quit(&mut pty);
    assert!(setup.temporary_files().is_empty());
}

#[test]
fn sighup_closes_an_idle_console_cleanly() {
    let setup = Setup::demo();
    let mut pty = setup.console("true");
    pty.wait_for(FIRST_FRAME);
    pty.signal(Signal::SIGHUP);
    let status = pty.wait_exit();
    assert_eq!(status.code(), Some(128 + 1), "{status:?}");
    assert!(gave_the_terminal_back(&pty));
}

#[test]
fn sigterm_during_clusterdesk_edit_ends_the_editor_and_removes_the_form() {
    let setup = Setup::demo();
    let key = first_member_code(&setup);
    let mut cmd = setup.command(&["edit", "members", &key]);
    cmd.env("EDITOR", setup.editor("exec sleep 60"));
    let mut pty = Pty::spawn(cmd);
    wait_for_the_form(&setup);
    pty.signal(Signal::SIGTERM);
    let status = pty.wait_exit();
    assert_eq!(status.code(), Some(128 + 15), "{:?}", pty.output_text());
    assert!(setup.temporary_files().is_empty());
    pty.wait_for("stopped by SIGTERM");
}

fn first_member_code(setup: &Setup) -> String {
    let out = setup
        .command(&["list", "members", "--format", "json"])
        .stdin(std::process::Stdio::null())
        .output()
        .expect("list members");
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    list[0]["code"].as_str().expect("a member code").to_string()
}

/// Random bytes as keys, fed as fast as the pty takes them, with `e` and
/// `ESC [ 1 ;` mixed in. Left out: what quits (`:`, `Z`), and what the
/// terminal itself acts on while the editor has it (cooked, so Ctrl-S stops
/// all output until a Ctrl-Q, Ctrl-Z stops the process): a user's terminal
/// does the same, and the test must end the console itself.
#[test]
fn a_stream_of_random_keys_never_ends_the_console() {
    let setup = Setup::demo();
    let mut pty = setup.console("true");
    let mut rng = fastrand::Rng::with_seed(9);
    let mut keys = Vec::with_capacity(64 * 1024);
    while keys.len() < 64 * 1024 {
        match rng.u8(..) {
            b':' | b'Z' | 0x11 | 0x13 | 0x1a => {}
            b'e' => keys.extend_from_slice(b"e\x1b[1;"),
            byte => keys.push(byte),
        }
    }
    let mut writer = pty.writer();
    let fed = std::thread::spawn(move || std::io::Write::write_all(&mut writer, &keys));
    let start = Instant::now();
    while !fed.is_finished() && start.elapsed() < PATIENCE * 6 {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(fed.is_finished(), "the console stopped reading keys");
    assert!(
        matches!(fed.join(), Ok(Ok(()))),
        "the console ended while keys came: {:?}",
        pty.output_text()
    );
    assert!(pty.running());
    quit(&mut pty);
    assert!(!pty.output_text().contains(CURSOR_QUERY));
    assert!(setup.temporary_files().is_empty());
}
