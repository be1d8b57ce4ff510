//! Hostile files for `import` and `load` (issue 9, finding 5): headers and
//! objects of hundreds of thousands of unknown names read in linear time
//! with a report of the first ten, and a JSON key repeated in one object, at
//! any depth, refused with its file, line and key, nothing written. No timing
//! is asserted: `benches/hostile.rs` measures.

use crate::fixtures::desk;

use clusterdesk::io::read::{ReadOptions, listed, read};
use clusterdesk::model::{Member, Record};

use desk::{Desk, error_lines};

const NESTED: &[&str] = &["contacts", "status_history"];

/// A header of `n` unknown columns after code, name and sector, one row.
fn wide_csv(n: usize) -> String {
    let mut header = String::from("code,name,sector");
    let mut row = String::from("LT900001,UAB Platus,ict");
    for i in 0..n {
        header.push_str(&format!(",x{i}"));
        row.push_str(",v");
    }
    format!("{header}\n{row}\n")
}

/// One object of `n` unknown keys after code, name and sector.
fn wide_jsonl(n: usize) -> String {
    let mut line = String::from(r#"{"code":"LT900002","name":"UAB Raktai","sector":"ict""#);
    for i in 0..n {
        line.push_str(&format!(",\"k{i}\":{i}"));
    }
    line.push_str("}\n");
    line
}

/// The note `import` prints about ignored names, for `shown` first names
/// `prefix0`..`prefix9` of `total`.
fn ignored_note(file: &str, prefix: &str, total: usize) -> String {
    let first: Vec<String> = (0..10).map(|i| format!("{prefix}{i}")).collect();
    format!(
        "{file}: ignored columns (not fields of members): {}, … and {} more ({total} in all)",
        first.join(", "),
        total - 10
    )
}

fn stderr_has_line(stderr: &str, line: &str) -> bool {
    stderr
        .lines()
        .any(|l| l.strip_prefix("clusterdesk: ").unwrap_or(l) == line)
}

#[test]
fn the_list_of_names_stops_at_ten_and_counts_the_rest() {
    let names: Vec<String> = (0..12).map(|i| format!("n{i}")).collect();
    let shown = |s: &str| s.to_string();
    assert_eq!(listed(&names[..3], shown), "n0, n1, n2");
    assert_eq!(
        listed(&names[..10], shown),
        "n0, n1, n2, n3, n4, n5, n6, n7, n8, n9"
    );
    assert_eq!(
        listed(&names, shown),
        "n0, n1, n2, n3, n4, n5, n6, n7, n8, n9, … and 2 more (12 in all)"
    );
}

#[test]
fn a_header_of_100k_unknown_columns_reads_and_dry_runs() {
    let csv = wide_csv(100_000);
    let input = read(
        "wide.csv",
        csv.as_bytes(),
        &ReadOptions::default(),
        Member::fields(),
        NESTED,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(input.rows.len(), 1);
    assert_eq!(input.rows[0].fields.len(), 3);
    assert_eq!(input.ignored.len(), 100_000);
    assert_eq!(input.ignored[99_999], "x99999");
    assert_eq!(input.columns_seen, ["code", "name", "sector"]);

    let d = Desk::new();
    d.file("wide.csv", &csv);
    let (out, err) = d.ok(&["import", "members", "wide.csv", "--dry-run"]);
    assert_eq!(out, "create    LT900001 (line 2)\n");
    assert!(
        stderr_has_line(&err, &ignored_note("wide.csv", "x", 100_000)),
        "{err}"
    );
    // The same file imported for real.
    d.ok(&["import", "members", "wide.csv"]);
    assert_eq!(d.count("members"), 1);
}

#[test]
fn an_object_of_300k_unknown_keys_reads_and_dry_runs() {
    let jsonl = wide_jsonl(300_000);
    let input = read(
        "wide.jsonl",
        jsonl.as_bytes(),
        &ReadOptions::default(),
        Member::fields(),
        NESTED,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(input.rows.len(), 1);
    assert_eq!(input.ignored.len(), 300_000);
    assert_eq!(input.columns_seen, ["code", "name", "sector"]);

    let d = Desk::new();
    d.file("wide.jsonl", &jsonl);
    let (out, err) = d.ok(&["import", "members", "wide.jsonl", "--dry-run"]);
    assert_eq!(out, "create    LT900002 (line 1)\n");
    assert!(
        stderr_has_line(&err, &ignored_note("wide.jsonl", "k", 300_000)),
        "{err}"
    );
}

#[test]
fn a_map_to_a_missing_column_lists_ten_of_a_wide_header() {
    let d = Desk::new();
    d.file("wide.csv", wide_csv(50));
    let (_, err) = d.fails(
        65,
        &["import", "members", "wide.csv", "--map", "city=Miestas"],
    );
    assert!(
        err.contains(
            "(columns split at ',': \"code\", \"name\", \"sector\", \"x0\", \"x1\", \"x2\", \"x3\", \"x4\", \"x5\", \"x6\", … and 43 more (53 in all))"
        ),
        "{err}"
    );
}

/// A store with one member, and its export to compare with after a refusal.
fn desk_with_a_member() -> (Desk, String) {
    let d = Desk::new();
    d.file("one.csv", "code,name,sector\nLT1,UAB Vienas,ict\n");
    d.ok(&["import", "members", "one.csv"]);
    let before = d.snapshot();
    (d, before)
}

#[test]
fn a_key_twice_in_an_object_is_refused_at_depth_1_and_3_in_import() {
    let (d, before) = desk_with_a_member();
    let history = d.history_len();
    let cases = [
        // depth 1, JSON Lines: the row's own object.
        (
            "d1.jsonl",
            "{\"code\":\"LT2\",\"name\":\"UAB Du\",\"sector\":\"ict\"}\n\
             {\"code\":\"LT3\",\"name\":\"UAB Trys\",\"name\":\"UAB Kitas\"}\n",
            "d1.jsonl:2: the key \"name\" appears twice in one object (column 38)",
        ),
        // depth 3: an object in a contact, in the row; the key escaped.
        (
            "d3.jsonl",
            "{\"code\":\"LT4\",\"name\":\"UAB K\",\"contacts\":[{\"name\":\"Ona\",\"x\":{\"a\\u001b\":1,\"a\\u001b\":2}}]}\n",
            "d3.jsonl:1: the key \"a\\u{1b}\" appears twice in one object (column 81)",
        ),
        // depth 3 in a JSON array: the line is the key's own line.
        (
            "d3.json",
            "[\n  {\"code\": \"LT5\", \"name\": \"UAB P\",\n   \"contacts\": [{\"name\": \"Ona\",\n     \"role\": {\"x\": 1,\n       \"x\": 2}}]}\n]\n",
            "d3.json:5: the key \"x\" appears twice in one object (column 10)",
        ),
    ];
    for (file, text, want) in cases {
        d.file(file, text);
        for dry in [true, false] {
            let mut args = vec!["import", "members", file];
            if dry {
                args.push("--dry-run");
            }
            let (out, err) = d.fails(65, &args);
            assert_eq!(out, "", "{file}");
            assert_eq!(error_lines(&err, file), [want], "{file}: {err}");
        }
    }
    assert_eq!(d.snapshot(), before, "nothing written");
    assert_eq!(d.history_len(), history, "no batch");
}

#[test]
fn a_key_twice_in_an_object_is_refused_at_depth_1_and_3_in_load() {
    let (d, _) = desk_with_a_member();
    let dump = d.ok(&["dump"]).0;
    let lines: Vec<&str> = dump.lines().collect();
    let member = lines
        .iter()
        .position(|l| l.starts_with("{\"member\":"))
        .expect("a member line");
    let history = lines
        .iter()
        .position(|l| l.starts_with("{\"history\":") && l.contains("\"after\":{"))
        .expect("a history line with an after image");
    let with = |at: usize, edit: &dyn Fn(&str) -> String| -> String {
        let mut out: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
        out[at] = edit(lines[at]);
        out.join("\n") + "\n"
    };
    let cases = [
        // depth 1: the line's tag twice.
        (
            "d1.jsonl",
            with(member, &|l: &str| {
                format!("{},{}", &l[..l.len() - 1], &l[1..])
            }),
            member + 1,
            "member",
        ),
        // depth 3: in a history entry's after image, a key a typed parse
        // would otherwise ignore.
        (
            "d3.jsonl",
            with(history, &|l: &str| {
                l.replacen("\"after\":{", "\"after\":{\"x\":1,\"x\":2,", 1)
            }),
            history + 1,
            "x",
        ),
    ];
    for (file, text, line, key) in cases {
        d.file(file, &text);
        let fresh = d.path(&format!("{file}.store"));
        let out = d
            .cmd_on(&fresh)
            .args(["load", file])
            .assert()
            .code(65)
            .get_output()
            .clone();
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        // Then the end line's counts, which miss the refused line.
        let errors = error_lines(&err, file);
        assert_eq!(
            errors[0],
            format!(
                "{file}:{line}: not a dump line: the key \"{key}\" appears twice in one object"
            ),
            "{err}"
        );
        assert!(err.contains(&format!("{file}: nothing loaded")), "{err}");
        let count = d
            .cmd_on(&fresh)
            .args(["export", "members", "--format", "jsonl"])
            .assert()
            .success()
            .get_output()
            .stdout
            .len();
        assert_eq!(count, 0, "{file}: nothing loaded");
    }
}

#[test]
fn a_long_repeated_key_is_named_whole_enough_and_said_twice() {
    let (d, _) = desk_with_a_member();
    let key = "k".repeat(500);
    d.file(
        "long.jsonl",
        format!("{{\"code\":\"LT7\",\"{key}\":1,\"{key}\":2}}\n"),
    );
    let (_, err) = d.fails(65, &["import", "members", "long.jsonl"]);
    let lines = error_lines(&err, "long.jsonl");
    assert_eq!(lines.len(), 1, "{err}");
    // The key is cut for the message, the reason is not.
    assert!(
        lines[0].starts_with(&format!(
            "long.jsonl:1: the key \"{}…\" appears twice",
            "k".repeat(80)
        )),
        "{err}"
    );
}
