//! A tmux server of a test's own, to drive the real console and read its
//! screen (included with `#[path]` by the end-to-end tests).
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long a screen may take to show what a step expects.
pub const TIMEOUT: Duration = Duration::from_secs(10);
const POLL: Duration = Duration::from_millis(50);
/// After an Escape: an Esc and a letter read together are an Alt+letter.
const AFTER_ESCAPE: Duration = Duration::from_millis(50);
pub const SESSION: &str = "cd";

/// A tmux server of this test's own (`tmux -L NAME`), killed when dropped,
/// also when the test fails.
pub struct Tmux {
    socket: String,
    /// The socket file, which tmux leaves behind after `kill-server`.
    socket_path: Option<PathBuf>,
}

impl Tmux {
    /// Starts the server with one session running `command` in a 100x30 pane.
    pub fn start(command: &str) -> Tmux {
        match Command::new("tmux").arg("-V").output() {
            Ok(out) if out.status.success() => {}
            Ok(out) => panic!(
                "`tmux -V` failed ({}): {}",
                out.status,
                String::from_utf8_lossy(&out.stderr)
            ),
            Err(e) => panic!(
                "tmux is needed for the console's end-to-end test and cannot be run ({e}); \
                 install it (e.g. `apt-get install tmux`; .ci/run does)"
            ),
        }
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let mut tmux = Tmux {
            socket: format!("clusterdesk-e2e-{}-{nanos}", std::process::id()),
            socket_path: None,
        };
        // -f /dev/null: no user tmux.conf; the server's shell is sh.
        tmux.run(&[
            "-f",
            "/dev/null",
            "new-session",
            "-d",
            "-s",
            SESSION,
            "-x",
            "100",
            "-y",
            "30",
            command,
        ]);
        let path = tmux.run(&["display-message", "-p", "#{socket_path}"]);
        tmux.socket_path = Some(PathBuf::from(path.trim_end()));
        tmux
    }

    fn command(&self) -> Command {
        let mut cmd = Command::new("tmux");
        cmd.arg("-u")
            .arg("-L")
            .arg(&self.socket)
            .env_remove("TMUX")
            .env("SHELL", "/bin/sh")
            .env("LANG", "C.UTF-8")
            .stdin(Stdio::null());
        cmd
    }

    pub fn run(&self, args: &[&str]) -> String {
        let out = self.command().args(args).output().expect("run tmux");
        assert!(
            out.status.success(),
            "tmux {args:?} failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Types keys, one `send-keys` each: tmux key names (`Escape`, `Enter`,
    /// `C-u`) as keys, anything else as literal text (`-l`).
    pub fn send(&self, keys: &[&str]) {
        for &key in keys {
            if is_key_name(key) {
                self.run(&["send-keys", "-t", SESSION, key]);
            } else {
                // tmux reads an argument ending in `;` as a command separator.
                let text = match key.strip_suffix(';') {
                    Some(head) => format!("{head}\\;"),
                    None => key.to_string(),
                };
                self.run(&["send-keys", "-t", SESSION, "-l", &text]);
            }
            if key == "Escape" {
                std::thread::sleep(AFTER_ESCAPE);
            }
        }
    }

    pub fn screen(&self) -> String {
        self.run(&["capture-pane", "-p", "-t", SESSION])
    }

    /// Polls the screen until `text` is on it; panics with the last screen.
    pub fn wait_for(&self, text: &str) -> String {
        self.wait_until(&format!("{text:?} on the screen"), |s| s.contains(text))
    }

    /// Polls the screen until `ok` holds; panics with `what` and the last screen.
    pub fn wait_until(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let screen = self.screen();
            if ok(&screen) {
                return screen;
            }
            if Instant::now() >= deadline {
                panic!(
                    "waited {TIMEOUT:?} for {what}; the screen:\n{}\n{screen}{}",
                    "-".repeat(100),
                    "-".repeat(100)
                );
            }
            std::thread::sleep(POLL);
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self
            .command()
            .arg("kill-server")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        if let Some(path) = &self.socket_path {
            let _ = std::fs::remove_file(path);
        }
    }
}

fn is_key_name(key: &str) -> bool {
    matches!(
        key,
        "Escape" | "Enter" | "BSpace" | "Tab" | "BTab" | "Up" | "Down" | "Left" | "Right"
    ) || (key.len() == 3 && (key.starts_with("C-") || key.starts_with("M-")))
}
