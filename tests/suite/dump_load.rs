//! `clusterdesk dump` and `clusterdesk load` as the real binary (issue 4):
//! a dump loaded into an empty store gives the same store, history and all;
//! a broken dump loads nothing and lists every bad line; a load killed at
//! any moment leaves an empty store.

use crate::fixtures::desk;
use crate::fixtures::store as shared;

use std::path::Path;

use shared::open_after_crash;
use std::process::{Command, Stdio};
use std::time::Instant;

use clusterdesk::model::{Member, Record};
use clusterdesk::store::Store;
use desk::{Desk, error_lines};
use serde_json::Value;

/// A desk whose store holds the demo cluster plus a later change and an
/// import, so its history has several batches of several kinds.
fn desk_with_history() -> Desk {
    let d = Desk::new();
    d.ok(&["demo"]);
    let code = first_member_code(&d);
    d.ok(&["set", "members", &code, "phone=+370 600 11111"]);
    let csv = d.file("new.csv", "code,name,sector\nLT900001,UAB Naujas,ict\n");
    d.ok(&["import", "members", csv.to_str().expect("UTF-8 path")]);
    d
}

fn first_member_code(d: &Desk) -> String {
    let out = d.ok(&["export", "members", "--format", "jsonl"]).0;
    let first: Value = serde_json::from_str(out.lines().next().expect("a member")).expect("JSON");
    first["code"].as_str().expect("a code").to_string()
}

/// The dump's lines without its header (which says when it was written).
fn body(dump: &str) -> Vec<String> {
    dump.lines()
        .filter(|l| !l.starts_with("{\"dump\":"))
        .map(str::to_string)
        .collect()
}

fn lines(dump: &str) -> Vec<Value> {
    dump.lines()
        .map(|l| serde_json::from_str(l).expect("every dump line is JSON"))
        .collect()
}

#[test]
fn a_dump_loaded_into_an_empty_store_gives_the_same_store_and_history() {
    let d = desk_with_history();
    let dump = d.ok(&["dump"]).0;
    let parsed = lines(&dump);
    assert_eq!(parsed[0]["dump"]["format"], "clusterdesk-dump");
    assert_eq!(parsed[0]["dump"]["version"], 1);
    let end = &parsed.last().expect("lines")["end"];
    let history_lines = parsed.iter().filter(|l| l.get("history").is_some()).count();
    assert_eq!(end["history"].as_u64(), Some(history_lines as u64));
    assert!(
        history_lines >= 3,
        "the history has the demo, the set and the import"
    );

    let file = d.file("backup.jsonl", &dump);
    let other = d.path("restored");
    let (_, err) = output(d.cmd_on(&other).args(["load", "backup.jsonl"]), 0);
    assert!(err.contains("loaded "), "{err}");

    let again = String::from_utf8(
        d.cmd_on(&other)
            .arg("dump")
            .assert()
            .success()
            .get_output()
            .stdout
            .clone(),
    )
    .expect("UTF-8");
    assert_eq!(
        body(&again),
        body(&dump),
        "dump, load, dump is the identity"
    );
    drop(file);

    // The history came back usable: the phone change undoes on the copy.
    let history = |store: &Path| -> Value {
        let out = d
            .cmd_on(store)
            .args(["history", "--format", "json", "--limit", "100"])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        serde_json::from_slice(&out).expect("history JSON")
    };
    assert_eq!(history(&other), history(&d.store));
    let set_batch = parsed
        .iter()
        .filter_map(|l| l.get("history"))
        .find(|h| h["after"]["phone"] == "+370 600 11111")
        .expect("the phone change is in the dump")["batch"]
        .as_str()
        .expect("a batch id")
        .to_string();
    d.cmd_on(&other)
        .args(["undo", &set_batch])
        .assert()
        .success();
}

fn output(cmd: &mut assert_cmd::Command, code: i32) -> (String, String) {
    let out = cmd.assert().code(code).get_output().clone();
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn load_reads_stdin_with_a_dash() {
    let d = desk_with_history();
    let dump = d.ok(&["dump"]).0;
    let other = d.path("restored");
    d.cmd_on(&other)
        .args(["load", "-"])
        .write_stdin(dump.clone())
        .assert()
        .success();
    let again = d.cmd_on(&other).arg("dump").assert().success();
    let again = String::from_utf8_lossy(&again.get_output().stdout).into_owned();
    assert_eq!(body(&again), body(&dump));
}

#[test]
fn dump_to_a_file_is_complete_and_the_same_as_stdout() {
    let d = desk_with_history();
    let stdout = d.ok(&["dump"]).0;
    let (_, err) = d.ok(&["dump", "-o", "backup.jsonl"]);
    assert!(err.contains("backup.jsonl"), "{err}");
    let file = std::fs::read_to_string(d.path("backup.jsonl")).expect("the dump file");
    assert_eq!(body(&file), body(&stdout));
}

#[test]
fn load_refuses_a_store_that_is_not_empty_and_changes_nothing() {
    let d = desk_with_history();
    d.ok(&["dump", "-o", "backup.jsonl"]);
    let before = d.ok(&["dump"]).0;
    let (_, err) = d.fails(1, &["load", "backup.jsonl"]);
    assert!(err.contains("only into an empty store"), "{err}");
    assert!(err.contains(&d.store.display().to_string()), "{err}");
    assert_eq!(body(&d.ok(&["dump"]).0), body(&before));
}

/// A good dump with its lines changed by `edit`, loaded into a new store:
/// must fail with 65, write nothing, and return the error lines.
fn load_broken(edit: impl FnOnce(&mut Vec<Value>)) -> (Desk, Vec<String>, String) {
    let d = desk_with_history();
    let mut parsed = lines(&d.ok(&["dump"]).0);
    edit(&mut parsed);
    let text: String = parsed.iter().map(|v| format!("{v}\n")).collect();
    d.file("broken.jsonl", text);
    let other = d.path("restored");
    let (_, err) = output(d.cmd_on(&other).args(["load", "broken.jsonl"]), 65);
    let store = Store::open(&other).expect("the store opens");
    assert!(store.is_empty().expect("reads"), "nothing was written");
    (d, error_lines(&err, "broken.jsonl"), err)
}

/// Index of the first line tagged `tag`.
fn first(parsed: &[Value], tag: &str) -> usize {
    parsed
        .iter()
        .position(|l| l.get(tag).is_some())
        .unwrap_or_else(|| panic!("no {tag} line"))
}

#[test]
fn a_broken_dump_loads_nothing_and_lists_every_bad_line() {
    let mut garbage_line = 0;
    let (_, errors, err) = load_broken(|p| {
        let m = first(p, "member");
        p[m]["member"]["email"] = Value::from("not an email");
        p[m + 1]["member"]["name"] = Value::from("Evil \u{1b}]0;owned\u{7} UAB");
        let code = p[m]["member"]["code"].clone();
        p[m + 2]["member"]["code"] = code;
        let i = first(p, "indicator");
        p[i]["indicator"]["member"] = Value::from("LT000000");
        p.insert(i + 1, Value::from("not a dump line"));
        garbage_line = i + 2;
    });
    // Lines are 1-based; the header is line 1.
    let m = 1;
    let expect = [
        format!("broken.jsonl:{}: email", m + 1),
        format!("broken.jsonl:{}: name", m + 2),
        format!("broken.jsonl:{}: code", m + 3),
    ];
    for (want, got) in expect.iter().zip(&errors) {
        assert!(got.starts_with(want.as_str()), "{got} should start {want}");
    }
    assert!(
        errors[2].contains(&format!("also on line {}", m + 1)),
        "{errors:?}"
    );
    assert!(
        errors
            .iter()
            .any(|e| e.contains("member: no member with code LT000000")),
        "{errors:?}"
    );
    let garbage = format!("broken.jsonl:{garbage_line}: ");
    assert!(
        errors.iter().any(|e| e.starts_with(&garbage)),
        "{garbage} in {errors:?}"
    );
    assert!(
        !err.contains('\u{1b}'),
        "no escape byte reaches the terminal"
    );
    assert!(err.contains("nothing loaded"), "{err}");
}

#[test]
fn history_entries_keep_the_text_rules_of_records() {
    // Each history line broken on its own: the author, the key, a string
    // deep inside an after image, a before image's field name, an
    // invisible character in a before image.
    let mut broken = Vec::new();
    let (_, errors, err) = load_broken(|p| {
        let history: Vec<usize> = (0..p.len())
            .filter(|&i| p[i].get("history").is_some())
            .collect();
        let (first, second) = (history[0], history[1]);
        broken.extend([first + 1, second + 1]);
        p[first]["history"]["who"] = Value::from("\u{1b}]0;pwn\u{7}");
        p[second]["history"]["key"] = Value::from("LT1\u{9b}2J");
        let with_after = (0..p.len())
            .find(|&j| !broken.contains(&(j + 1)) && p[j]["history"]["after"]["name"].is_string())
            .expect("a history line with an after image");
        broken.push(with_after + 1);
        p[with_after]["history"]["after"]["name"] = Value::from("UAB \u{1b}[2J Šviesa");
        let with_before = (0..p.len())
            .find(|&j| !broken.contains(&(j + 1)) && p[j]["history"]["before"]["city"].is_string())
            .expect("a history line with a before image");
        broken.push(with_before + 1);
        p[with_before]["history"]["before"]["city"] = Value::from("Kau\u{200F}nas");
    });
    for (n, field) in broken.iter().zip([
        "history who: contains an escape character",
        "history key: contains a control character (U+009B)",
        "history after.name: contains an escape character",
        "history before.city: contains a bidi control character (U+200F)",
    ]) {
        let want = format!("broken.jsonl:{n}: {field}");
        assert!(
            errors.iter().any(|e| e.starts_with(&want)),
            "{want} in {errors:?}"
        );
    }
    assert!(
        !err.contains('\u{1b}') && !err.contains('\u{9b}'),
        "{err:?}"
    );
    assert!(err.contains("nothing loaded"), "{err}");
}

#[test]
fn a_dump_cut_short_is_refused() {
    let (_, errors, _) = load_broken(|p| {
        p.pop();
    });
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].contains("cut short"), "{errors:?}");
}

#[test]
fn an_end_line_that_disagrees_with_the_file_is_refused() {
    let (_, errors, _) = load_broken(|p| {
        let h = first(p, "history");
        p.remove(h);
    });
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].contains("end line counts"), "{errors:?}");
}

#[test]
fn a_dump_from_a_newer_clusterdesk_is_refused_by_name() {
    let (_, _, err) = load_broken(|p| {
        p[0]["dump"]["version"] = Value::from(2);
    });
    assert!(
        err.contains("broken.jsonl:1: dump version 2 is newer"),
        "{err}"
    );
}

#[test]
fn a_file_that_is_not_a_dump_is_refused() {
    let d = Desk::new();
    d.file("members.csv", "code,name\nLT1,UAB A\n");
    let (_, err) = d.fails(65, &["load", "members.csv"]);
    assert!(
        err.contains("members.csv:1: the first line is not a clusterdesk-dump header"),
        "{err}"
    );
    d.file("empty.jsonl", "");
    let (_, err) = d.fails(65, &["load", "empty.jsonl"]);
    assert!(err.contains("empty.jsonl: empty"), "{err}");
    let (_, err) = d.fails(66, &["load", "missing.jsonl"]);
    assert!(err.contains("missing.jsonl"), "{err}");
}

// ---- crashes -----------------------------------------------------------------

#[test]
fn a_load_that_stops_half_way_leaves_an_empty_store_on_the_next_open() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("s");
    {
        let store = Store::open(&path).expect("opens");
        let mut loader = store.loader().expect("an empty store loads");
        let mut member = Member::empty(uuid::Uuid::now_v7());
        member.set_text("code", "LT1").expect("code");
        member.set_text("name", "UAB A").expect("name");
        member.set_text("sector", "ict").expect("sector");
        loader.record(member).expect("written");
        // The process dies here: no finish, no drop.
        std::mem::forget(loader);
    }
    let store = Store::open(&path).expect("opens again");
    assert!(store.is_empty().expect("reads"), "the half load is gone");
    assert!(store.loader().is_ok(), "and the store takes a load again");
}

const ROWS: usize = 3_000;

#[test]
fn a_load_killed_at_any_moment_is_all_or_nothing() {
    let d = Desk::new();
    let mut csv = String::from("code,name,sector,city\n");
    for i in 0..ROWS {
        csv.push_str(&format!("LT{i:06},UAB Įmonė {i},ict,Kaunas\n"));
    }
    d.file("m.csv", csv);
    d.ok(&["import", "members", "m.csv"]);
    d.ok(&["dump", "-o", "dump.jsonl"]);
    let dump = d.path("dump.jsonl");

    let load = |store: &Path| {
        Command::new(env!("CARGO_BIN_EXE_clusterdesk"))
            .env("CLUSTERDESK_IDLE_EXIT", "1")
            .arg("--store")
            .arg(store)
            .arg("load")
            .arg(&dump)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start a load")
    };
    let probe = d.path("probe");
    let started = Instant::now();
    assert!(load(&probe).wait().expect("runs").success());
    let whole = started.elapsed();
    assert_eq!(open_after_crash(&probe).count::<Member>(), ROWS);

    for run in 0..10u32 {
        let store = d.path(&format!("s{run}"));
        let mut child = load(&store);
        std::thread::sleep(whole.mul_f64(f64::from(run) / 9.0));
        let _ = child.kill();
        let _ = child.wait();
        let opened = open_after_crash(&store);
        let members = opened.count::<Member>();
        assert!(
            members == 0 || members == ROWS,
            "run {run}: {members} of {ROWS} members after a kill"
        );
        assert_eq!(opened.all::<Member>().count(), members, "run {run}");
        let history = opened.history().expect("history reads").len();
        assert_eq!(history, if members == 0 { 0 } else { ROWS }, "run {run}");
    }
}

// ---- pipes -------------------------------------------------------------------

#[test]
fn output_cut_short_by_a_closed_pipe_ends_quietly() {
    let d = Desk::new();
    // Well over a pipe's 64 KiB buffer, so the writer meets the closed pipe.
    let mut csv = String::from("code,name,sector,city,notes\n");
    for i in 0..2_000 {
        csv.push_str(&format!(
            "LT{i:06},UAB Įmonė {i},ict,Kaunas,\"Pastabos, su kableliais\"\n"
        ));
    }
    d.file("m.csv", csv);
    d.ok(&["import", "members", "m.csv"]);
    for args in [
        &["export", "members"][..],
        &["export", "members", "--format", "json"],
        &["list", "members", "--format", "csv"],
        &["dump"],
    ] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_clusterdesk"))
            .env("CLUSTERDESK_IDLE_EXIT", "1")
            .arg("--store")
            .arg(&d.store)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("starts");
        let mut head = [0u8; 100];
        std::io::Read::read_exact(child.stdout.as_mut().expect("piped"), &mut head)
            .expect("the first bytes arrive");
        drop(child.stdout.take());
        let out = child.wait_with_output().expect("ends");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{args:?}: {:?} {err}", out.status);
        assert!(!err.contains("Broken pipe"), "{args:?}: {err}");
    }
}
