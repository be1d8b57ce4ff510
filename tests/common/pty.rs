//! The real console on a pseudo-terminal of the test's own, which, unlike
//! tmux, answers no terminal query: as a user's terminal that does not
//! (some serial consoles and SSH clients). The test writes keys at once,
//! without waiting for a frame, as a user types while the store loads.
#![allow(dead_code)]

use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::OwnedFd;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use nix::pty::{Winsize, openpty};

pub const BIN: &str = env!("CARGO_BIN_EXE_clusterdesk");
/// How long a step may take before the test gives up (a failure bound,
/// not a measurement: the steps take milliseconds).
pub const PATIENCE: Duration = Duration::from_secs(20);

pub struct Pty {
    master: File,
    pub child: Child,
    output: Arc<Mutex<Vec<u8>>>,
}

impl Pty {
    /// Runs `cmd` with its stdin, stdout and stderr on a new 100x30 pty.
    pub fn spawn(mut cmd: Command) -> Pty {
        let size = Winsize {
            ws_row: 30,
            ws_col: 100,
            ws_xpixel: 0,
            ws_ypixel: 0,
        };
        let pty = openpty(Some(&size), None).expect("a pseudo-terminal");
        let slave = |fd: &OwnedFd| Stdio::from(fd.try_clone().expect("the pty's slave side"));
        cmd.stdin(slave(&pty.slave))
            .stdout(slave(&pty.slave))
            .stderr(slave(&pty.slave));
        // openpty(3) leaves both sides inheritable: the console (and the
        // server and editor it starts) must not hold the keyboard side.
        nix::fcntl::fcntl(
            &pty.master,
            nix::fcntl::FcntlArg::F_SETFD(nix::fcntl::FdFlag::FD_CLOEXEC),
        )
        .expect("the pty's master side is close-on-exec");
        let child = cmd.spawn().expect("the console starts");
        drop(pty.slave);
        let master = File::from(pty.master);
        let output = Arc::new(Mutex::new(Vec::new()));
        let mut reader = master.try_clone().expect("the pty's master side");
        let sink = output.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 16 * 1024];
            // Ends with EIO once every slave side is closed.
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });
        Pty {
            master,
            child,
            output,
        }
    }

    pub fn write(&mut self, bytes: &[u8]) {
        self.master
            .write_all(bytes)
            .expect("keys written to the pty");
    }

    /// Another handle on the keyboard side, for a thread that types.
    pub fn writer(&self) -> File {
        self.master.try_clone().expect("the pty's master side")
    }

    /// Everything the program wrote, as a terminal would have received it.
    pub fn output(&self) -> Vec<u8> {
        self.output.lock().unwrap().clone()
    }

    pub fn output_text(&self) -> String {
        String::from_utf8_lossy(&self.output()).into_owned()
    }

    /// Waits until the output holds `text`; panics with the output if not.
    pub fn wait_for(&self, text: &str) {
        let start = Instant::now();
        while start.elapsed() < PATIENCE {
            if self.output_text().contains(text) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("{text:?} never came; the output:\n{:?}", self.output_text());
    }

    /// Waits for the program to end; panics (and kills it) if it does not.
    pub fn wait_exit(&mut self) -> ExitStatus {
        let start = Instant::now();
        while start.elapsed() < PATIENCE {
            if let Some(status) = self.child.try_wait().expect("the child's status") {
                return status;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        panic!(
            "the console did not end; its output:\n{:?}",
            self.output_text()
        );
    }

    /// Whether the program is still running.
    pub fn running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    pub fn signal(&self, signal: nix::sys::signal::Signal) {
        let pid = nix::unistd::Pid::from_raw(self.child.id() as i32);
        nix::sys::signal::kill(pid, signal).expect("the signal is sent");
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A demo store in `dir`, and the environment the console runs in: no
/// user keymap, the log and the editor's forms inside `dir`.
pub struct Setup {
    pub dir: tempfile::TempDir,
    pub store: PathBuf,
    pub tmp: PathBuf,
}

impl Setup {
    pub fn demo() -> Setup {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let store = dir.path().join("store");
        let tmp = dir.path().join("tmp");
        std::fs::create_dir(&tmp).expect("the test's TMPDIR");
        let setup = Setup { dir, store, tmp };
        let out = setup
            .command(&["demo"])
            .stdin(Stdio::null())
            .output()
            .expect("the demo store is built");
        assert!(out.status.success(), "demo: {out:?}");
        setup
    }

    /// The binary with `args` on the store, in a clean environment.
    pub fn command(&self, args: &[&str]) -> Command {
        let home = self.dir.path().join("home");
        let mut cmd = Command::new(BIN);
        cmd.env_clear()
            .env("PATH", "/usr/bin:/bin")
            .env("LANG", "C.UTF-8")
            .env("TERM", "xterm-256color")
            .env("HOME", &home)
            .env("XDG_STATE_HOME", home.join("state"))
            .env("XDG_CONFIG_HOME", home.join("config"))
            .env("XDG_DATA_HOME", home.join("data"))
            .env("TMPDIR", &self.tmp)
            .env("CLUSTERDESK_IDLE_EXIT", "1")
            .arg("--store")
            .arg(&self.store)
            .args(args);
        cmd
    }

    /// The console with `$EDITOR` set to `editor` (a shell command).
    pub fn console(&self, editor: &str) -> Pty {
        let mut cmd = self.command(&[]);
        cmd.env("EDITOR", editor);
        Pty::spawn(cmd)
    }

    /// An editor: a shell script with `body`, for `$EDITOR`.
    pub fn editor(&self, body: &str) -> String {
        use std::os::unix::fs::PermissionsExt;
        let path = self.dir.path().join("editor.sh");
        std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).expect("the editor script");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755))
            .expect("the editor script is executable");
        path.to_string_lossy().into_owned()
    }

    /// What is left in the console's TMPDIR.
    pub fn temporary_files(&self) -> Vec<PathBuf> {
        list(&self.tmp)
    }
}

fn list(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default()
}

/// Leaving the alternate screen: the console gave the terminal back.
pub const LEFT_ALTERNATE_SCREEN: &str = "\x1b[?1049l";
