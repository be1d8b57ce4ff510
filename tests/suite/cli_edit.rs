//! `clusterdesk edit`: the record as TOML in `$VISUAL`/`$EDITOR`, driven by
//! small shell scripts standing in for the editor. Each script counts its
//! calls and keeps a copy of every file it was given, so a test can see what
//! the coordinator would have seen.

use crate::fixtures::desk::Desk;
use crate::fixtures::store as shared;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use assert_cmd::assert::Assert;
use predicates::prelude::*;
use serde_json::Value;

/// A desk holding member LT1, with what the edit tests look at besides.
struct EditDesk(Desk);

impl std::ops::Deref for EditDesk {
    type Target = Desk;
    fn deref(&self) -> &Desk {
        &self.0
    }
}

impl EditDesk {
    /// A store holding member LT1 with a few fields and a contact.
    fn with_member() -> EditDesk {
        let d = Desk::new();
        d.add_member(&[
            "code=LT1",
            "name=UAB Šviesa",
            "sector=ict",
            "areas=smart-city,iot",
            "status=active",
            "joined=2020-01-02",
            "phone=+370 600 12345",
            "city=Vilnius",
            "contact_name=Jonas Jonaitis",
            "contact_email=jonas@sviesa.lt",
        ]);
        EditDesk(d)
    }

    /// Where the edit forms go (the binary's TMPDIR).
    fn forms(&self) -> PathBuf {
        self.tmp()
    }

    /// The form files left in `$TMPDIR`, each in its own private directory
    /// (a directory left empty counts as left over too).
    fn leftover_forms(&self) -> Vec<PathBuf> {
        let mut left = Vec::new();
        for entry in std::fs::read_dir(self.forms()).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                let inside: Vec<PathBuf> = std::fs::read_dir(&path)
                    .unwrap()
                    .map(|e| e.unwrap().path())
                    .collect();
                if inside.is_empty() {
                    left.push(path);
                }
                left.extend(inside);
            } else {
                left.push(path);
            }
        }
        left
    }

    /// `edit members LT1` with `$EDITOR` set to `editor`.
    fn edit(&self, editor: &Path) -> Assert {
        self.cmd()
            .env("EDITOR", editor)
            .args(["edit", "members", "LT1"])
            .assert()
    }

    fn member(&self, code: &str) -> Value {
        self.show("members", code)
    }

    /// Writes an editor script. Every call bumps `NAME.count` and copies the
    /// file it got to `NAME.N.toml`; `$n` is the call number in `body`.
    fn editor(&self, name: &str, body: &str) -> PathBuf {
        let script = self.path(&format!("{name}.sh"));
        let count = self.path(&format!("{name}.count"));
        let seen = self.path(name);
        let text = format!(
            "#!/bin/sh\n\
             set -e\n\
             n=$(cat '{count}' 2>/dev/null || echo 0)\n\
             n=$((n + 1))\n\
             echo \"$n\" > '{count}'\n\
             cp \"$1\" '{seen}'.\"$n\".toml\n\
             {body}\n",
            count = count.display(),
            seen = seen.display(),
        );
        std::fs::write(&script, text).unwrap();
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
        script
    }

    /// How many times the editor script `name` ran.
    fn calls(&self, name: &str) -> usize {
        std::fs::read_to_string(self.path(&format!("{name}.count")))
            .map(|s| s.trim().parse().unwrap())
            .unwrap_or(0)
    }

    /// The file the editor script `name` got on call `n`.
    fn seen(&self, name: &str, n: usize) -> String {
        std::fs::read_to_string(self.path(&format!("{name}.{n}.toml"))).unwrap()
    }
}

/// The record's own phone (the first `phone =`; contacts have one too).
const SET_PHONE: &str = r#"sed -i '0,/^phone = .*/s//phone = "+370 611 22222"/' "$1""#;
const BAD_JOINED: &str = r#"sed -i 's/^joined = .*/joined = "2014-13-01"/' "$1""#;
const GOOD_JOINED: &str = r#"sed -i 's/^joined = .*/joined = "2014-12-01"/' "$1""#;

#[test]
fn a_changed_field_is_saved_and_nothing_else() {
    let d = EditDesk::with_member();
    let before = d.member("LT1");
    let history = d.history_len();
    let editor = d.editor("ed", SET_PHONE);
    d.edit(&editor)
        .success()
        .stderr(predicate::str::contains("changed member LT1"));
    assert_eq!(d.calls("ed"), 1);

    // The form showed the record.
    let form = d.seen("ed", 1);
    for line in [
        "code = \"LT1\"",
        "name = \"UAB Šviesa\"",
        "phone = \"+370 600 12345\"",
        "[[contacts]]",
    ] {
        assert!(form.contains(line), "form has {line}:\n{form}");
    }

    let after = d.member("LT1");
    assert_eq!(shared::changed_fields(&before, &after), ["phone"]);
    assert_eq!(after["phone"], "+370 611 22222");
    assert_eq!(d.history_len(), history + 1);
    assert!(d.leftover_forms().is_empty(), "the form file is removed");
}

#[test]
fn saving_without_changes_writes_nothing() {
    let d = EditDesk::with_member();
    let before = d.snapshot();
    let history = d.history_len();
    let editor = d.editor("ed", "true");
    d.edit(&editor)
        .success()
        .stderr(predicate::str::contains("no changes"));
    assert_eq!(d.calls("ed"), 1);
    assert_eq!(d.snapshot(), before);
    assert_eq!(d.history_len(), history);
    assert!(d.leftover_forms().is_empty());
}

#[test]
fn invalid_then_unchanged_abandons_the_edit() {
    let d = EditDesk::with_member();
    let before = d.snapshot();
    let history = d.history_len();
    let editor = d.editor("ed", &format!("if [ \"$n\" = 1 ]; then {BAD_JOINED}; fi"));
    let out = d.edit(&editor).code(65).get_output().stderr.clone();
    let stderr = String::from_utf8_lossy(&out);
    assert!(stderr.contains("joined"), "{stderr}");
    assert!(stderr.contains("nothing written"), "{stderr}");
    assert_eq!(d.calls("ed"), 2, "the form was reopened once");

    // The second time, the reasons are on top, each line marked `#! `.
    let second = d.seen("ed", 2);
    let marked: Vec<&str> = second
        .lines()
        .take_while(|l| l.starts_with("#! "))
        .collect();
    assert!(!marked.is_empty(), "reasons on top:\n{second}");
    assert!(
        marked
            .iter()
            .any(|l| l.contains("joined") && l.contains("2014-13-01")),
        "a reason names joined:\n{second}"
    );
    // ... above the user's own (invalid) version, not the stored one.
    assert!(second.contains("joined = \"2014-13-01\""), "{second}");

    assert_eq!(d.snapshot(), before, "nothing written");
    assert_eq!(d.history_len(), history);
}

#[test]
fn invalid_then_fixed_is_saved() {
    let d = EditDesk::with_member();
    let before = d.member("LT1");
    let editor = d.editor(
        "ed",
        &format!("if [ \"$n\" = 1 ]; then {BAD_JOINED}; else {GOOD_JOINED}; fi"),
    );
    d.edit(&editor)
        .success()
        .stderr(predicate::str::contains("changed member LT1"));
    assert_eq!(d.calls("ed"), 2);
    assert!(d.seen("ed", 2).starts_with("#! "));
    let after = d.member("LT1");
    assert_eq!(after["joined"], "2014-12-01");
    assert_eq!(shared::changed_fields(&before, &after), ["joined"]);
    assert!(d.leftover_forms().is_empty());
}

#[test]
fn a_failing_editor_writes_nothing() {
    let d = EditDesk::with_member();
    let before = d.snapshot();
    let history = d.history_len();
    // It changes the file, then fails: the change must not be kept.
    let editor = d.editor("ed", &format!("{SET_PHONE}\nexit 3"));
    d.edit(&editor)
        .code(1)
        .stderr(predicate::str::contains("nothing was changed"));
    assert_eq!(d.calls("ed"), 1);
    assert_eq!(d.snapshot(), before);
    assert_eq!(d.history_len(), history);
}

#[test]
fn visual_wins_over_editor() {
    let d = EditDesk::with_member();
    let visual = d.editor("visual", SET_PHONE);
    let editor = d.editor("editor", r#"sed -i 's/^city = .*/city = "Kaunas"/' "$1""#);
    d.cmd()
        .env("VISUAL", &visual)
        .env("EDITOR", &editor)
        .args(["edit", "members", "LT1"])
        .assert()
        .success();
    assert_eq!(d.calls("visual"), 1);
    assert_eq!(d.calls("editor"), 0);
    let after = d.member("LT1");
    assert_eq!(after["phone"], "+370 611 22222");
    assert_eq!(after["city"], "Vilnius");

    // An empty VISUAL does not count.
    d.cmd()
        .env("VISUAL", "")
        .env("EDITOR", &editor)
        .args(["edit", "members", "LT1"])
        .assert()
        .success();
    assert_eq!(d.calls("editor"), 1);
    assert_eq!(d.member("LT1")["city"], "Kaunas");
}

const ADD_CONTACT: &str = r#"if [ "$n" = 1 ]; then printf '\n[[contacts]]\nname = "Ona Onaitė"\nemail = "ona@sviesa.lt"\n' >> "$1"; fi"#;

#[test]
fn a_nested_contact_can_be_added() {
    let d = EditDesk::with_member();
    let editor = d.editor("ed", ADD_CONTACT);
    d.edit(&editor).success();
    assert_eq!(d.calls("ed"), 1);
    let contacts = d.member("LT1")["contacts"].clone();
    assert_eq!(
        contacts,
        serde_json::json!([
            {"name": "Jonas Jonaitis", "role": "", "email": "jonas@sviesa.lt", "phone": ""},
            {"name": "Ona Onaitė", "role": "", "email": "ona@sviesa.lt", "phone": ""},
        ])
    );

    // A nested part is checked like any field.
    let bad = d.editor(
        "bad",
        r#"if [ "$n" = 1 ]; then printf '\n[[contacts]]\nname = "X"\nemail = "x.example.com"\n' >> "$1"; fi"#,
    );
    let before = d.snapshot();
    let out = d.edit(&bad).code(65).get_output().stderr.clone();
    assert!(
        String::from_utf8_lossy(&out).contains("email"),
        "{}",
        String::from_utf8_lossy(&out)
    );
    assert_eq!(d.snapshot(), before);
}

/// A member without contacts gets `contacts = []` in the form, so appending a
/// `[[contacts]]` table is a TOML "duplicate key" error and the edit cannot
/// be saved. See the report: src/cli/edit/form.rs renders empty nested arrays
/// inline.
#[test]
fn a_first_contact_can_be_added() {
    let d = EditDesk::with_member();
    d.run(&[
        "add",
        "members",
        "code=LT2",
        "name=Be kontaktų",
        "sector=ict",
    ])
    .success();
    let editor = d.editor("ed", ADD_CONTACT);
    d.cmd()
        .env("EDITOR", &editor)
        .args(["edit", "members", "LT2"])
        .assert()
        .success();
    assert_eq!(
        d.member("LT2")["contacts"],
        serde_json::json!([{"name": "Ona Onaitė", "role": "", "email": "ona@sviesa.lt", "phone": ""}])
    );
}

#[test]
fn a_record_changed_during_the_edit_is_not_overwritten() {
    let d = EditDesk::with_member();
    let started = d.path("started");
    let go = d.path("go");
    // The editor says it has started, waits for the test's go, then saves.
    let editor = d.editor(
        "ed",
        &format!(
            "touch '{started}'\n\
             i=0\n\
             while [ ! -e '{go}' ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done\n\
             {SET_PHONE}",
            started = started.display(),
            go = go.display(),
        ),
    );
    let edit = std::process::Command::new(env!("CARGO_BIN_EXE_clusterdesk"))
        .arg("--store")
        .arg(&d.store)
        .args(["edit", "members", "LT1"])
        .env_remove("CLUSTERDESK_STORE")
        .env("CLUSTERDESK_IDLE_EXIT", "1")
        .env_remove("VISUAL")
        .env("EDITOR", &editor)
        .env("USER", "tester")
        .env("TMPDIR", d.forms())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("edit starts");

    let deadline = Instant::now() + Duration::from_secs(60);
    while !started.exists() {
        assert!(Instant::now() < deadline, "the editor never started");
        std::thread::sleep(Duration::from_millis(20));
    }
    // While the editor is open, the store is free for another command.
    d.run(&["set", "members", "LT1", "city=Kaunas"]).success();
    std::fs::write(&go, "").unwrap();

    let out = edit.wait_with_output().expect("edit ends");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("was changed by someone else since it was read"),
        "{stderr}"
    );
    assert!(stderr.contains("nothing saved"), "{stderr}");
    assert!(
        stderr.contains("--force"),
        "says how to save anyway: {stderr}"
    );

    let after = d.member("LT1");
    assert_eq!(after["city"], "Kaunas", "the other change stays");
    assert_eq!(after["phone"], "+370 600 12345", "the edit was not written");

    // The coordinator's version is kept, in a file the message names.
    let kept = d.leftover_forms();
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert!(stderr.contains(&kept[0].display().to_string()), "{stderr}");
    let text = std::fs::read_to_string(&kept[0]).unwrap();
    assert!(text.contains("phone = \"+370 611 22222\""), "{text}");
}

#[test]
fn a_form_removed_by_the_editor_is_input_missing_66() {
    let d = EditDesk::with_member();
    let before = d.snapshot();
    let history = d.history_len();
    let editor = d.editor("ed", r#"rm "$1""#);
    let out = d.edit(&editor).code(66).get_output().stderr.clone();
    let stderr = String::from_utf8_lossy(&out);
    assert!(stderr.contains(".toml"), "names the form file: {stderr}");
    assert_eq!(d.snapshot(), before);
    assert_eq!(d.history_len(), history);
}

#[test]
fn a_form_that_is_not_utf8_is_unreadable_66() {
    let d = EditDesk::with_member();
    let before = d.snapshot();
    let editor = d.editor("ed", r#"printf 'name = "\377"\n' >> "$1""#);
    d.edit(&editor).code(66);
    assert_eq!(d.snapshot(), before);
}

#[test]
fn edit_of_a_missing_record_fails_without_an_editor() {
    let d = EditDesk::with_member();
    let editor = d.editor("ed", "true");
    d.cmd()
        .env("EDITOR", &editor)
        .args(["edit", "members", "NOPE"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no member with code NOPE"));
    assert_eq!(d.calls("ed"), 0);
}

#[test]
fn edit_of_other_collections() {
    let d = EditDesk::with_member();
    d.run(&[
        "add",
        "meetings",
        "title=Patirties renginys",
        "date=2024-03-14",
        "kind=experience-sharing",
        "attendees=LT1",
    ])
    .success();
    let editor = d.editor(
        "ed",
        r#"if [ "$n" = 1 ]; then
sed -i 's/^location = .*/location = "Šiauliai"/' "$1"
printf '\n[[actions]]\ntext = "Parengti ataskaitą"\nowner = "LT1"\ndue = "2024-04-01"\n' >> "$1"
fi"#,
    );
    d.cmd()
        .env("EDITOR", &editor)
        .args(["edit", "meetings", "2024-03-14-patirties-renginys"])
        .assert()
        .success();
    let out = d
        .run(&[
            "show",
            "meetings",
            "2024-03-14-patirties-renginys",
            "--format",
            "json",
        ])
        .success()
        .get_output()
        .stdout
        .clone();
    let meeting: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(meeting["location"], "Šiauliai");
    assert_eq!(meeting["actions"][0]["text"], "Parengti ataskaitą");
    assert_eq!(meeting["actions"][0]["due"], "2024-04-01");
    assert_eq!(meeting["actions"][0]["done"], false);
}
