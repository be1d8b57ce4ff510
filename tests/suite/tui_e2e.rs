//! The console end to end: the real binary in tmux (a private server), on the
//! demo store, driven by the keys a coordinator who knows vim types, read
//! back from the screen with `tmux capture-pane`; afterwards the store is
//! checked with the command line.
//!
//! Needs `tmux` (`.ci/run` installs it). Without it the test fails: it does
//! not skip.

use crate::fixtures::tmux;

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Instant;

use clusterdesk::model::{Meeting, Member, Record};
use serde_json::Value;
use tmux::Tmux;

use crate::fixtures::BIN;
const NEW_PHONE: &str = "+370 600 12345";
const MEETING_TITLE: &str = "Valdybos posėdis e2e";
const MEETING_DATE: &str = "2025-10-01";

/// Where a test's files live; the binary sees only these directories.
struct Dirs {
    _tmp: tempfile::TempDir,
    home: PathBuf,
    store: PathBuf,
}

impl Dirs {
    fn new() -> Dirs {
        let tmp = tempfile::tempdir().expect("a temporary directory");
        let home = tmp.path().join("home");
        std::fs::create_dir_all(&home).expect("the test's home directory");
        let store = tmp.path().join("store");
        Dirs {
            _tmp: tmp,
            home,
            store,
        }
    }

    fn state_home(&self) -> PathBuf {
        self.home.join("state")
    }

    fn config_home(&self) -> PathBuf {
        self.home.join("config")
    }

    fn data_home(&self) -> PathBuf {
        self.home.join("data")
    }

    /// The binary on this test's store, with stdin from /dev/null and
    /// nothing of the user's environment that it reads.
    fn cli(&self, args: &[&str]) -> String {
        let out = Command::new(BIN)
            .arg("--store")
            .arg(&self.store)
            .args(args)
            .env_remove("CLUSTERDESK_STORE")
            .env("CLUSTERDESK_IDLE_EXIT", "1")
            .env_remove("CLUSTERDESK_KEYMAP")
            .env("HOME", &self.home)
            .env("XDG_STATE_HOME", self.state_home())
            .env("XDG_CONFIG_HOME", self.config_home())
            .env("XDG_DATA_HOME", self.data_home())
            .stdin(Stdio::null())
            .output()
            .expect("run clusterdesk");
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(
            out.status.success(),
            "clusterdesk {args:?} failed ({}):\nstdout:\n{stdout}\nstderr:\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        stdout
    }

    fn json(&self, args: &[&str]) -> Value {
        let out = self.cli(args);
        serde_json::from_str(&out)
            .unwrap_or_else(|e| panic!("clusterdesk {args:?}: not JSON ({e}):\n{out}"))
    }

    /// The console's command line for the pane: a clean environment (no
    /// user keymap, the log under the temporary state directory).
    fn console_command(&self) -> String {
        let env = [
            ("HOME", self.home.clone()),
            ("XDG_STATE_HOME", self.state_home()),
            ("XDG_CONFIG_HOME", self.config_home()),
            ("XDG_DATA_HOME", self.data_home()),
        ];
        let mut cmd = String::from("env -i PATH=/usr/bin:/bin LANG=C.UTF-8 TERM=xterm-256color");
        for (name, value) in env {
            cmd.push_str(&format!(" {name}={}", quote(&value.to_string_lossy())));
        }
        cmd.push_str(&format!(
            " {} --store {}; echo EXITED=$?; sleep 30",
            quote(BIN),
            quote(&self.store.to_string_lossy())
        ));
        cmd
    }
}

/// Single-quotes a word for sh.
fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// The screen's lines, top to bottom.
fn lines(screen: &str) -> Vec<&str> {
    screen.lines().collect()
}

/// The status line: the second line from the bottom of the 30-line pane
/// (tab bar, 27 lines of windows, status, command line).
fn status_line(screen: &str) -> &str {
    lines(screen).get(28).copied().unwrap_or("")
}

/// The left part of a line (the list pane of a full-width window).
fn left(line: &str) -> &str {
    line.split('│').next().unwrap_or("").trim_end()
}

/// The list pane's title (line 2, left of the detail).
fn list_title(screen: &str) -> String {
    left(lines(screen).get(1).copied().unwrap_or(""))
        .trim()
        .to_string()
}

/// The list rows shown (left pane), from the line under the title.
fn list_rows(screen: &str) -> Vec<&str> {
    lines(screen)
        .iter()
        .skip(2)
        .take(25)
        .map(|l| left(l))
        .take_while(|l| !l.trim().is_empty())
        .collect()
}

fn status_shows(screen: &str, mode: &str, position: &str) -> bool {
    let s = status_line(screen);
    // capture-pane drops trailing blanks; the position may end the line.
    let s = format!("{s} ");
    s.starts_with(&format!(" {mode} ")) && s.contains(&format!(" {position} "))
}

/// The detail pane's line for `field`: `│field   value`.
fn detail_value<'s>(screen: &'s str, field: &str) -> Option<&'s str> {
    lines(screen).into_iter().find_map(|l| {
        let (_, right) = l.split_once('│')?;
        let rest = right.strip_prefix(field)?;
        rest.starts_with(' ').then(|| rest.trim())
    })
}

fn field_index<R: Record>(name: &str) -> usize {
    R::fields()
        .iter()
        .position(|f| f.name == name)
        .unwrap_or_else(|| panic!("no field {name}"))
}

fn text<'v>(v: &'v Value, field: &str) -> &'v str {
    v[field].as_str().unwrap_or_default()
}

/// Records of a JSON array by a key field.
fn by_key(list: &Value, key: &str) -> HashMap<String, Value> {
    list.as_array()
        .expect("a JSON array")
        .iter()
        .map(|r| (text(r, key).to_string(), r.clone()))
        .collect()
}

#[test]
fn coordinator_session_in_tmux() {
    let started = Instant::now();
    let dirs = Dirs::new();

    // The demo store, built without a terminal.
    let demo = Command::new(BIN)
        .args(["demo", "--store"])
        .arg(&dirs.store)
        .env_remove("CLUSTERDESK_STORE")
        .env("CLUSTERDESK_IDLE_EXIT", "1")
        .env_remove("CLUSTERDESK_KEYMAP")
        .env("HOME", &dirs.home)
        .env("XDG_STATE_HOME", dirs.state_home())
        .env("XDG_CONFIG_HOME", dirs.config_home())
        .env("XDG_DATA_HOME", dirs.data_home())
        .stdin(Stdio::null())
        .output()
        .expect("run clusterdesk demo");
    assert!(
        demo.status.success(),
        "clusterdesk demo failed ({}): {}",
        demo.status,
        String::from_utf8_lossy(&demo.stderr)
    );

    // What the store holds before the console opens (it is locked while
    // the console runs).
    let members_by_name = dirs.json(&["list", "members", "--sort", "name", "--format", "json"]);
    let members_by_name = members_by_name.as_array().expect("members").clone();
    let total = members_by_name.len();
    let members_before = by_key(&Value::Array(members_by_name.clone()), "code");
    let first_three: Vec<String> = members_by_name
        .iter()
        .take(3)
        .map(|m| text(m, "code").to_string())
        .collect();
    assert_eq!(first_three.len(), 3, "the demo has at least 3 members");
    let meetings_before = dirs.json(&["list", "meetings", "--format", "json"]);
    let meeting_count = meetings_before.as_array().expect("meetings").len();
    let news = dirs.json(&["list", "news", "--format", "json"]);
    let news_count = news.as_array().expect("news").len();
    let siaul_names: Vec<&Value> = members_by_name
        .iter()
        .filter(|m| text(m, "name").contains("Šiaul"))
        .collect();
    assert!(
        !siaul_names.is_empty(),
        "the demo has members named Šiaulių …"
    );

    let tmux = Tmux::start(&dirs.console_command());

    // The console opens on the Members tab, sorted by name.
    let first_name = text(&members_by_name[0], "name");
    let screen = tmux.wait_until("the Members tab with its first member", |s| {
        s.contains("Members") && list_title(s) == format!("members {total}")
    });
    assert!(
        lines(&screen)[0].contains("Members") && lines(&screen)[0].contains("Meetings"),
        "the tab bar:\n{screen}"
    );
    let first_prefix: String = first_name.chars().take(12).collect();
    assert!(
        list_rows(&screen)
            .first()
            .is_some_and(|r| r.contains(&first_prefix)),
        "first row is {first_name:?}:\n{screen}"
    );
    assert!(
        status_shows(&screen, "NORMAL", &format!("1/{total}")),
        "{screen}"
    );

    // `/siaul`: the list narrows as it is typed (letters folded: Š is s).
    tmux.send(&["/", "siaul"]);
    let screen = tmux.wait_until("the list narrowed to /siaul", |s| {
        list_title(s).ends_with("/siaul") && status_line(s).starts_with(" SEARCH ")
    });
    let title = list_title(&screen);
    let rows = list_rows(&screen);
    assert_eq!(
        title,
        format!("members {}/{total} /siaul", rows.len()),
        "the title counts the rows shown:\n{screen}"
    );
    assert!(rows.len() < total, "the search narrows the list:\n{screen}");
    for m in &siaul_names {
        let code = text(m, "code");
        assert!(
            rows.iter().any(|r| r.starts_with(&format!("{code} "))),
            "{code} ({}) is among the matches:\n{screen}",
            text(m, "name")
        );
    }
    tmux.send(&["Enter"]);
    let screen = tmux.wait_for(&format!("{} matching /siaul", rows.len()));
    assert!(status_line(&screen).starts_with(" NORMAL "), "{screen}");

    // `l` opens the record under the cursor.
    tmux.send(&["l"]);
    let member_fields = Member::fields().len();
    let screen = tmux.wait_until("the member's detail focused", |s| {
        status_shows(s, "NORMAL", &format!("field 1/{member_fields}"))
    });
    let code = lines(&screen)[1]
        .split_once("│ member ")
        .map(|(_, c)| c.trim().to_string())
        .unwrap_or_else(|| panic!("the detail's title names the member:\n{screen}"));
    let before = members_before
        .get(&code)
        .unwrap_or_else(|| panic!("member {code:?} (from the screen) is in the store"));
    let folded = |s: &str| s.to_lowercase().replace('š', "s");
    assert!(
        folded(text(before, "name")).contains("siaul")
            || folded(text(before, "city")).contains("siaul"),
        "the member found matches the search: {before}"
    );
    assert_ne!(text(before, "phone"), NEW_PHONE);
    assert_eq!(
        detail_value(&screen, "phone"),
        Some(text(before, "phone")),
        "{screen}"
    );

    // A count moves to the phone field; `i`, clear, type, Esc saves it.
    let phone_at = field_index::<Member>("phone");
    tmux.send(&[&format!("{phone_at}j")]);
    tmux.wait_until("the cursor on the phone field", |s| {
        status_shows(
            s,
            "NORMAL",
            &format!("field {}/{member_fields}", phone_at + 1),
        )
    });
    tmux.send(&["i"]);
    tmux.wait_until("insert mode", |s| status_line(s).starts_with(" INSERT "));
    tmux.send(&["C-u", NEW_PHONE, "Escape"]);
    let screen = tmux.wait_for(&format!("saved phone of {code}"));
    assert!(status_line(&screen).starts_with(" NORMAL "), "{screen}");
    assert_eq!(detail_value(&screen, "phone"), Some(NEW_PHONE), "{screen}");

    // `:nohl` clears the search: the whole list again.
    // (That the cursor stays on its record is checked in tui_replay.rs.)
    tmux.send(&[":", "nohl", "Enter"]);
    tmux.wait_until("the search cleared", |s| {
        list_title(s) == format!("members {total}") && status_line(s).starts_with(" NORMAL ")
    });

    // A new meeting on the Meetings tab, filled in field by field.
    tmux.send(&["g", "t", "g", "t"]);
    tmux.wait_until("the Meetings tab", |s| {
        list_title(s) == format!("meetings {meeting_count}")
    });
    let meeting_fields = Meeting::fields().len();
    let at = |field: &str| field_index::<Meeting>(field);
    tmux.send(&["o"]);
    let screen = tmux.wait_until("a new meeting in insert mode", |s| {
        s.contains("new meeting (not saved") && status_line(s).starts_with(" INSERT ")
    });
    assert!(
        status_shows(
            &screen,
            "INSERT",
            &format!("field {}/{meeting_fields}", at("title") + 1)
        ),
        "the form starts at the title:\n{screen}"
    );
    // After each field is kept with Enter, the form moves to the next one
    // (Esc keeps it and stays, as tui_replay checks).
    let mut cursor = at("title");
    let mut fill = |tmux: &Tmux, field: &str, value: &str, opened: bool| {
        let target = at(field);
        if !opened {
            if target != cursor {
                let (n, key) = if target > cursor {
                    (target - cursor, "j")
                } else {
                    (cursor - target, "k")
                };
                tmux.send(&[&format!("{n}{key}")]);
                tmux.wait_until(&format!("the cursor on {field}"), |s| {
                    status_shows(
                        s,
                        "NORMAL",
                        &format!("field {}/{meeting_fields}", target + 1),
                    )
                });
            }
            tmux.send(&["i"]);
            tmux.wait_until(&format!("{field} open"), |s| {
                status_line(s).starts_with(" INSERT ")
            });
        }
        tmux.send(&[value, "Enter"]);
        let screen = tmux.wait_until(&format!("{field} kept"), |s| {
            status_shows(
                s,
                "NORMAL",
                &format!("field {}/{meeting_fields}", target + 2),
            )
        });
        assert_eq!(detail_value(&screen, field), Some(value), "{screen}");
        cursor = target + 1;
    };
    let attendees = format!("{code};{}", first_three[0]);
    fill(&tmux, "title", MEETING_TITLE, true);
    fill(&tmux, "date", MEETING_DATE, false);
    fill(&tmux, "kind", "board", false);
    fill(&tmux, "attendees", &attendees, false);
    tmux.send(&[":", "w", "Enter"]);
    let screen = tmux.wait_for(&format!("added meeting {MEETING_DATE}-"));
    let slug = status_line(&screen)
        .split_once("added meeting ")
        .and_then(|(_, rest)| rest.split_whitespace().next())
        .unwrap_or_default()
        .to_string();
    assert_eq!(
        list_title(&screen),
        format!("meetings {}", meeting_count + 1),
        "{screen}"
    );

    // Back to Members, to the list (`h`: the detail still has the focus),
    // select the first three and set their status, then undo it.
    tmux.send(&["g", "T", "g", "T"]);
    tmux.wait_until("the Members tab", |s| {
        list_title(s) == format!("members {total}")
    });
    tmux.send(&["h", "g", "g"]);
    let screen = tmux.wait_until("the members list, first row", |s| {
        status_shows(s, "NORMAL", &format!("1/{total}"))
    });
    let shown: Vec<String> = list_rows(&screen)
        .iter()
        .take(3)
        .map(|r| r.split_whitespace().next().unwrap_or_default().to_string())
        .collect();
    assert_eq!(
        shown, first_three,
        "the console and `list --sort name` agree on the first three:\n{screen}"
    );
    let status_of = |screen: &str, code: &str| -> Option<String> {
        list_rows(screen)
            .into_iter()
            .find(|r| r.starts_with(&format!("{code} ")))
            .and_then(|r| r.split_whitespace().last().map(str::to_string))
    };
    tmux.send(&["V", "j", "j"]);
    tmux.wait_until("three rows selected", |s| {
        status_shows(s, "VISUAL", &format!("3/{total}"))
    });
    tmux.send(&[":", "set status=suspended", "Enter"]);
    let screen = tmux.wait_for("set status on 3 members");
    for c in &first_three {
        assert_eq!(
            status_of(&screen, c).as_deref(),
            Some("suspended"),
            "{c}:\n{screen}"
        );
    }
    tmux.send(&["u"]);
    let screen = tmux.wait_for("undone");
    for c in &first_three {
        assert_eq!(
            status_of(&screen, c).as_deref(),
            Some(text(&members_before[c], "status")),
            "{c} is back as it was:\n{screen}"
        );
    }

    // `:vsplit news`: the news list beside the members.
    tmux.send(&[":", "vsplit news", "Enter"]);
    let screen = tmux.wait_until("the news list beside the members", |s| {
        let top = lines(s).get(1).copied().unwrap_or("");
        top.contains(&format!(" members {total}"))
            && top.contains(&format!(" news {news_count}"))
            && status_shows(s, "NORMAL", &format!("1/{news_count}"))
    });
    let some_slug = news.as_array().into_iter().flatten().any(|n| {
        let head: String = text(n, "slug").chars().take(10).collect();
        screen.contains(&head)
    });
    assert!(some_slug, "news rows are shown:\n{screen}");

    // `:q` leaves the console; the shell after it reports the exit code.
    tmux.send(&[":", "q", "Enter"]);
    tmux.wait_for("EXITED=0");
    drop(tmux);

    // The store, read with the command line.
    let after = dirs.json(&["show", "members", &code, "--format", "json"]);
    let mut expected = before.clone();
    expected["phone"] = Value::from(NEW_PHONE);
    assert_eq!(after, expected, "only the phone of {code} changed");

    let meetings = dirs.json(&["list", "meetings", "--format", "json"]);
    assert_eq!(meetings.as_array().map(Vec::len), Some(meeting_count + 1));
    let meeting = by_key(&meetings, "slug")
        .remove(&slug)
        .unwrap_or_else(|| panic!("meeting {slug:?} is stored"));
    assert_eq!(text(&meeting, "title"), MEETING_TITLE);
    assert_eq!(text(&meeting, "date"), MEETING_DATE);
    assert_eq!(text(&meeting, "kind"), "board");
    assert_eq!(
        meeting["attendees"],
        serde_json::json!([code, first_three[0]]),
        "{meeting}"
    );

    for c in &first_three {
        let now = dirs.json(&["show", "members", c, "--format", "json"]);
        assert_eq!(
            text(&now, "status"),
            text(&members_before[c], "status"),
            "{c}: the undone status"
        );
        assert_eq!(
            now, members_before[c],
            "{c} is as it was before the console"
        );
    }

    // The console logged to the test's state directory, not the screen.
    let log = std::fs::read_to_string(dirs.state_home().join("clusterdesk/console.log"))
        .expect("the console's log under XDG_STATE_HOME");
    assert!(
        log.contains("console started") && log.contains("console closed"),
        "{log}"
    );

    eprintln!("tui_e2e: the session took {:?}", started.elapsed());
}
