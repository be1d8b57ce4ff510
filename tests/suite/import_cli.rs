//! `clusterdesk import` and `clusterdesk export` as the real binary (issue 4):
//! the sample of 1000 members, round trips for every collection and format,
//! all-or-nothing with every error listed, upserts, dry runs, reports, foreign
//! files, one batch per import, and atomic `export -o`.

use crate::fixtures::desk;

use std::path::{Path, PathBuf};

use desk::{COLLECTIONS, Desk, error_lines};
use serde_json::Value;

/// The shared sample, or `None` (with a note) when this checkout lacks it.
fn sample() -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/members-1k.csv");
    if path.exists() {
        Some(path)
    } else {
        eprintln!("note: {} is absent; test skipped", path.display());
        None
    }
}

fn sample_str(path: &Path) -> &str {
    path.to_str().expect("the sample path is UTF-8")
}

/// The summary line of an import's stderr.
fn summary_line<'a>(stderr: &'a str, collection: &str) -> &'a str {
    stderr
        .lines()
        .find(|l| l.starts_with(&format!("{collection}: ")) && l.contains(" read, "))
        .unwrap_or_else(|| panic!("no summary line in:\n{stderr}"))
}

// ---- the sample ------------------------------------------------------------

#[test]
fn the_sample_loads_and_loading_it_again_changes_nothing() {
    let Some(sample) = sample() else { return };
    let desk = Desk::new();
    let (_, err) = desk.ok(&["import", "members", sample_str(&sample)]);
    assert!(
        summary_line(&err, "members")
            .starts_with("members: 1000 read, 1000 created, 0 updated, 0 unchanged, 0 rejected ("),
        "{err}"
    );
    assert_eq!(desk.count("members"), 1000);
    let history = desk.history_len();
    let batches = desk.batches().len();

    let (_, err) = desk.ok(&["import", "members", sample_str(&sample)]);
    assert!(
        summary_line(&err, "members")
            .starts_with("members: 1000 read, 0 created, 0 updated, 1000 unchanged, 0 rejected ("),
        "{err}"
    );
    assert!(err.contains("nothing to change"), "{err}");
    assert_eq!(desk.history_len(), history, "a re-run writes no history");
    assert_eq!(desk.batches().len(), batches, "a re-run adds no batch");
}

#[test]
fn an_import_is_one_batch_that_undo_removes() {
    let Some(sample) = sample() else { return };
    let desk = Desk::new();
    desk.ok(&["add", "members", "code=LT1", "name=Before", "sector=ict"]);
    let before = desk.batches().len();
    let (_, err) = desk.ok(&["import", "members", sample_str(&sample)]);

    let batches = desk.batches();
    assert_eq!(batches.len(), before + 1, "one new batch");
    let newest = &batches[0];
    let id = newest["batch"].as_str().expect("a batch id").to_string();
    assert_eq!(newest["changes"].as_array().expect("changes").len(), 1000);
    assert!(
        err.contains(&format!("clusterdesk undo {id}")),
        "the import names its batch: {err}"
    );

    desk.ok(&["undo", &id]);
    assert_eq!(desk.count("members"), 1, "undo removes all 1000, keeps LT1");
    assert_eq!(desk.show("members", "LT1")["name"], "Before");
}

// ---- round trips -------------------------------------------------------------

#[test]
fn export_then_import_is_identical_for_every_collection_and_format() {
    let desk = Desk::new();
    let a = desk.path("A");
    desk.cmd_on(&a).arg("demo").assert().success();

    for format in ["csv", "jsonl", "json"] {
        let b = desk.path(&format!("B-{format}"));
        // Members first: the others name members.
        for c in COLLECTIONS {
            let from_a = format!("{c}-a.{format}");
            let from_b = format!("{c}-b.{format}");
            desk.cmd_on(&a)
                .args(["export", c, "--format", format, "-o", &from_a])
                .assert()
                .success();
            let bytes = std::fs::read(desk.path(&from_a)).expect("the export exists");
            assert!(
                bytes.len() > 100,
                "the demo has {c} to export ({format}): {} bytes",
                bytes.len()
            );
            desk.cmd_on(&b)
                .args(["import", c, &from_a])
                .assert()
                .success();
            desk.cmd_on(&b)
                .args(["export", c, "--format", format, "-o", &from_b])
                .assert()
                .success();
            let again = std::fs::read(desk.path(&from_b)).expect("the second export exists");
            assert!(
                bytes == again,
                "{c} as {format} differs after export -> import -> export"
            );
            // The nested parts really travel in JSON.
            if format != "csv" {
                let text = String::from_utf8(again).expect("UTF-8");
                match c {
                    "members" => {
                        assert!(text.contains("\"status_history\":[{"), "{c} {format}");
                        assert!(text.contains("\"contacts\":[{"), "{c} {format}");
                    }
                    "meetings" => assert!(text.contains("\"actions\":[{"), "{c} {format}"),
                    _ => {}
                }
            }
        }
    }
}

#[test]
fn importing_a_stores_own_export_changes_nothing() {
    let desk = Desk::new();
    desk.ok(&["demo"]);
    let before = desk.snapshot();
    let history = desk.history_len();
    for format in ["csv", "json"] {
        for c in COLLECTIONS {
            let file = format!("{c}.{format}");
            desk.ok(&["export", c, "-o", &file]);
            let (_, err) = desk.ok(&["import", c, &file]);
            let line = summary_line(&err, c);
            assert!(
                line.contains(" 0 created, 0 updated, ") && line.contains(" 0 rejected"),
                "{c} {format}: {line}"
            );
            assert!(err.contains("nothing to change"), "{err}");
        }
    }
    assert_eq!(desk.snapshot(), before);
    assert_eq!(desk.history_len(), history);
}

// ---- all or nothing ----------------------------------------------------------

/// A members CSV whose first row (line 2) has a quoted three-line cell, so
/// the rows after it start on lines 5 to 11.
const BAD_MEMBERS: &str = "code,name,sector,joined,email,notes\n\
LT1,\"Šviesa, UAB\",ict,2020-01-01,info@sviesa.lt,\"first line\nsecond, with comma\nthird \"\"quoted\"\"\"\n\
,No code,ict,,,\n\
LT2,Bad sector,spaceships,,,\n\
LT3,Bad date,ict,2020-13-45,,\n\
LT4,Bad email,ict,,not-an-email,\n\
LT1,Duplicate,ict,,,\n\
LT5,Esc \x1b[31mred,ict,,,\n\
LT6,Fine,ict,,,\n";

#[test]
fn a_file_with_bad_rows_writes_nothing_and_lists_every_error_with_its_line() {
    let desk = Desk::new();
    desk.ok(&["add", "members", "code=LT9", "name=Kept", "sector=ict"]);
    let before = desk.snapshot();
    let history = desk.history_len();
    desk.file("bad.csv", BAD_MEMBERS);

    let (_, err) = desk.fails(65, &["import", "members", "bad.csv"]);
    let errors = error_lines(&err, "bad.csv");
    let expect = [
        ("bad.csv:5: code: ", "required"),
        ("bad.csv:6: sector: ", "spaceships"),
        ("bad.csv:7: joined: ", "2020-13-45"),
        ("bad.csv:8: email: ", "not-an-email"),
        ("bad.csv:9: code: ", "line 2"),
        ("bad.csv:10: name: ", "escape"),
    ];
    for (prefix, says) in expect {
        assert!(
            errors
                .iter()
                .any(|l| l.starts_with(prefix) && l.contains(says)),
            "no `{prefix}…{says}…` among:\n{err}"
        );
    }
    // The duplicate names both lines, and the good rows have no error.
    assert!(
        errors
            .iter()
            .any(|l| l.starts_with("bad.csv:9: code: LT1") && l.contains("line 2")),
        "{err}"
    );
    for clean in ["bad.csv:2:", "bad.csv:11:"] {
        assert!(
            !errors.iter().any(|l| l.starts_with(clean)),
            "{clean} is fine:\n{err}"
        );
    }
    assert!(!err.contains('\x1b'), "the escape is not echoed raw");
    let last = err.trim_end().lines().last().expect("stderr has lines");
    assert!(last.contains("nothing written"), "last line: {last}");
    assert!(last.contains("6 of 8 rows rejected"), "last line: {last}");
    assert!(
        summary_line(&err, "members").contains("8 read, 0 created"),
        "{err}"
    );

    assert_eq!(desk.snapshot(), before, "the store is unchanged");
    assert_eq!(desk.history_len(), history, "no history written");
}

#[test]
fn an_empty_key_is_reported_once() {
    let desk = Desk::new();
    desk.file("bad.csv", BAD_MEMBERS);
    let (_, err) = desk.fails(65, &["import", "members", "bad.csv"]);
    let on_line_5: Vec<String> = error_lines(&err, "bad.csv")
        .into_iter()
        .filter(|l| l.starts_with("bad.csv:5: code:"))
        .collect();
    assert_eq!(on_line_5.len(), 1, "{on_line_5:#?}");
}

#[test]
fn an_indicator_for_a_member_that_does_not_exist_is_refused() {
    let desk = Desk::new();
    desk.ok(&["add", "members", "code=LT1", "name=One", "sector=ict"]);
    let before = desk.snapshot();
    let history = desk.history_len();
    desk.file(
        "ind.csv",
        "member,year,turnover_eur,employees\nLT1,2023,1000,5\nNOPE,2023,100,1\nLT1,2024,2000,6\n",
    );
    let (_, err) = desk.fails(65, &["import", "indicators", "ind.csv"]);
    let errors = error_lines(&err, "ind.csv");
    assert_eq!(errors.len(), 1, "{err}");
    assert!(
        errors[0].starts_with("ind.csv:3: member: ") && errors[0].contains("NOPE"),
        "{err}"
    );
    assert!(err.trim_end().ends_with("nothing written"), "{err}");
    assert_eq!(desk.snapshot(), before);
    assert_eq!(desk.history_len(), history);

    // Without the bad row the same file imports.
    desk.file(
        "ok.csv",
        "member,year,turnover_eur,employees\nLT1,2023,1000,5\nLT1,2024,2000,6\n",
    );
    desk.ok(&["import", "indicators", "ok.csv"]);
    assert_eq!(desk.count("indicators"), 2);
}

#[test]
fn a_missing_slug_is_made_as_add_makes_it() {
    let desk = Desk::new();
    desk.ok(&[
        "add",
        "news",
        "title=Klasterio renginys Šiauliuose",
        "lang=lt",
    ]);
    desk.ok(&[
        "add",
        "meetings",
        "date=2024-05-14",
        "kind=board",
        "title=Board meeting",
    ]);
    let added_news = desk.records("news");
    let added_meeting = desk.records("meetings");
    assert_eq!(added_news[0]["slug"], "klasterio-renginys-siauliuose");
    assert_eq!(added_meeting[0]["slug"], "2024-05-14-board-meeting");

    // The same rows imported into another store, without a slug column.
    let other = Desk::new();
    other.file(
        "news.csv",
        "title,lang,status\nKlasterio renginys Šiauliuose,lt,draft\n",
    );
    other.file(
        "meetings.csv",
        "date,kind,title\n2024-05-14,board,Board meeting\n",
    );
    other.ok(&["import", "news", "news.csv"]);
    other.ok(&["import", "meetings", "meetings.csv"]);
    assert_eq!(other.records("news")[0]["slug"], added_news[0]["slug"]);
    assert_eq!(
        other.records("meetings")[0]["slug"],
        added_meeting[0]["slug"]
    );

    // Imported again, the rows match the records they made.
    let (_, err) = other.ok(&["import", "news", "news.csv"]);
    assert!(
        summary_line(&err, "news").starts_with("news: 1 read, 0 created, 0 updated, 1 unchanged"),
        "{err}"
    );
    assert_eq!(other.count("news"), 1);

    // With neither slug nor title, the key is what is missing.
    other.file("untitled.csv", "lang,status\nlt,draft\n");
    let (_, err) = other.fails(65, &["import", "news", "untitled.csv"]);
    let errors = error_lines(&err, "untitled.csv");
    assert_eq!(errors.len(), 1, "{err}");
    assert!(
        errors[0].starts_with("untitled.csv:2: slug: is required"),
        "{err}"
    );
}

#[test]
fn an_indicator_key_is_named_member_year() {
    let desk = Desk::new();
    desk.ok(&["add", "members", "code=LT1", "name=One", "sector=ict"]);
    desk.file(
        "twice.csv",
        "member,year,turnover_eur\nLT1,2023,1000\nLT1,2023,2000\n",
    );
    let (_, err) = desk.fails(65, &["import", "indicators", "twice.csv"]);
    let errors = error_lines(&err, "twice.csv");
    assert_eq!(
        errors,
        ["twice.csv:3: member/year: LT1/2023 is also on line 2: a file holds each indicator once"],
        "{err}"
    );
    desk.file("nomember.csv", "year,turnover_eur\n2023,1000\n");
    let (_, err) = desk.fails(65, &["import", "indicators", "nomember.csv"]);
    let errors = error_lines(&err, "nomember.csv");
    assert_eq!(errors.len(), 1, "{err}");
    assert!(
        errors[0].starts_with("nomember.csv:2: member: is required"),
        "{err}"
    );
}

#[test]
fn more_than_fifty_errors_lists_fifty_and_counts_the_rest() {
    let desk = Desk::new();
    let mut csv = String::from("code,name,sector\n");
    for i in 0..73 {
        csv.push_str(&format!("LT{i},Name {i},nosuchsector\n"));
    }
    desk.file("many.csv", csv);
    let (_, err) = desk.fails(65, &["import", "members", "many.csv"]);
    let errors = error_lines(&err, "many.csv");
    assert_eq!(errors.len(), 50, "{err}");
    assert!(errors[0].starts_with("many.csv:2: sector: "), "{err}");
    assert!(errors[49].starts_with("many.csv:51: sector: "), "{err}");
    assert!(err.contains("… and 23 more errors"), "{err}");
    let last = err.trim_end().lines().last().unwrap_or_default();
    assert!(
        last.contains("73 of 73 rows rejected; nothing written"),
        "{last}"
    );
    assert_eq!(desk.count("members"), 0);
}

// ---- upsert --------------------------------------------------------------------

fn desk_with_two_members() -> Desk {
    let desk = Desk::new();
    desk.file(
        "two.csv",
        "code,name,sector,phone\nLT1,One,ict,+370 600 00001\nLT2,Two,machinery,+370 600 00002\n",
    );
    desk.ok(&["import", "members", "two.csv"]);
    desk
}

#[test]
fn on_existing_update_changes_only_the_columns_the_file_has() {
    let desk = desk_with_two_members();
    desk.file(
        "phones.csv",
        "code,phone\nLT1,+370 600 99999\nLT2,+370 600 00002\n",
    );
    let (_, err) = desk.ok(&["import", "members", "phones.csv"]);
    assert!(
        summary_line(&err, "members").contains("2 read, 0 created, 1 updated, 1 unchanged"),
        "{err}"
    );
    let one = desk.show("members", "LT1");
    assert_eq!(one["phone"], "+370 600 99999");
    assert_eq!(one["name"], "One");
    assert_eq!(one["sector"], "ict");
    assert_eq!(desk.show("members", "LT2")["name"], "Two");
}

#[test]
fn on_existing_skip_leaves_existing_records_alone() {
    let desk = desk_with_two_members();
    desk.file(
        "more.csv",
        "code,name,sector\nLT1,Renamed,ict\nLT3,Three,research\n",
    );
    let (_, err) = desk.ok(&["import", "members", "more.csv", "--on-existing", "skip"]);
    let line = summary_line(&err, "members");
    assert!(
        line.contains("2 read, 1 created, 0 updated, 0 unchanged, 0 rejected, 1 skipped"),
        "{line}"
    );
    assert_eq!(desk.show("members", "LT1")["name"], "One");
    assert_eq!(desk.show("members", "LT3")["name"], "Three");
}

#[test]
fn on_existing_fail_refuses_the_whole_import_naming_the_key() {
    let desk = desk_with_two_members();
    let before = desk.snapshot();
    let history = desk.history_len();
    desk.file(
        "more.csv",
        "code,name,sector\nLT3,Three,research\nLT2,Renamed,ict\n",
    );
    let (_, err) = desk.fails(
        65,
        &["import", "members", "more.csv", "--on-existing", "fail"],
    );
    let errors = error_lines(&err, "more.csv");
    assert_eq!(errors.len(), 1, "{err}");
    assert!(
        errors[0].starts_with("more.csv:3: code: ") && errors[0].contains("LT2"),
        "{err}"
    );
    assert!(err.contains("nothing written"), "{err}");
    assert_eq!(desk.snapshot(), before, "LT3 was not created either");
    assert_eq!(desk.history_len(), history);
}

#[test]
fn dry_run_prints_the_plan_and_writes_nothing() {
    let desk = desk_with_two_members();
    let before = desk.snapshot();
    let history = desk.history_len();
    desk.file(
        "plan.csv",
        "code,phone,name,sector\nLT1,+370 600 99999,One,ict\nLT2,+370 600 00002,Two,machinery\nLT3,,Three,research\n",
    );
    let (out, err) = desk.ok(&["import", "members", "plan.csv", "--dry-run"]);
    let plan: Vec<&str> = out.lines().collect();
    assert_eq!(plan.len(), 3, "{out}");
    assert!(
        plan.iter()
            .any(|l| l.starts_with("update") && l.contains("LT1") && l.ends_with(": phone")),
        "{out}"
    );
    assert!(
        plan.iter()
            .any(|l| l.starts_with("unchanged") && l.contains("LT2")),
        "{out}"
    );
    assert!(
        plan.iter()
            .any(|l| l.starts_with("create") && l.contains("LT3")),
        "{out}"
    );
    let line = summary_line(&err, "members");
    assert!(
        line.contains("3 read, 1 created, 1 updated, 1 unchanged, 0 rejected"),
        "{line}"
    );
    assert!(line.contains("dry run"), "{line}");
    assert_eq!(desk.snapshot(), before);
    assert_eq!(desk.history_len(), history);
}

#[test]
fn dry_run_with_bad_rows_prints_the_whole_plan_and_every_error() {
    let desk = desk_with_two_members();
    let before = desk.snapshot();
    desk.file(
        "plan.csv",
        "code,phone,name,sector\nLT1,+370 600 99999,One,ict\nLT9,not a phone,Nine,nonsense\nLT3,,Three,research\n",
    );
    let (out, err) = desk.fails(65, &["import", "members", "plan.csv", "--dry-run"]);
    let plan: Vec<&str> = out.lines().collect();
    assert_eq!(
        plan,
        [
            "update    LT1 (line 2): phone",
            "reject    LT9 (line 3): phone, sector",
            "create    LT3 (line 4)",
        ],
        "{out}"
    );
    let errors = error_lines(&err, "plan.csv");
    assert_eq!(errors.len(), 2, "{err}");
    assert!(errors[0].starts_with("plan.csv:3: phone"), "{errors:?}");
    assert!(errors[1].starts_with("plan.csv:3: sector"), "{errors:?}");
    let line = summary_line(&err, "members");
    assert!(
        line.contains("3 read, 1 created, 1 updated, 0 unchanged, 1 rejected"),
        "{line}"
    );
    assert_eq!(desk.snapshot(), before);
}

#[test]
fn report_json_prints_the_summary_on_stdout() {
    let desk = desk_with_two_members();
    desk.file(
        "mix.csv",
        "code,name,sector\nLT1,One renamed,ict\nLT2,Two,machinery\nLT3,Three,research\nLT4,Four,public\n",
    );
    let (out, err) = desk.ok(&["import", "members", "mix.csv", "--report", "json"]);
    let report: Value = serde_json::from_str(out.trim()).expect("the report is JSON");
    assert_eq!(report["collection"], "members");
    assert_eq!(report["read"], 4);
    assert_eq!(report["created"], 2);
    assert_eq!(report["updated"], 1);
    assert_eq!(report["unchanged"], 1);
    assert_eq!(report["rejected"], 0);
    assert_eq!(report["dry_run"], false);
    let batch = report["batch"].as_str().expect("the batch id");
    assert!(err.contains(batch), "{err}");
    summary_line(&err, "members");

    // A refused import reports too, with its rejected rows.
    desk.file("bad.csv", "code,name,sector\nLT5,Five,nope\nLT6,Six,ict\n");
    let (out, _) = desk.fails(65, &["import", "members", "bad.csv", "--report", "json"]);
    let report: Value = serde_json::from_str(out.trim()).expect("the report is JSON");
    assert_eq!(report["read"], 2);
    assert_eq!(report["rejected"], 1);
    assert_eq!(report["created"], 0);
    assert!(report["batch"].is_null());
}

// ---- foreign files ---------------------------------------------------------------

#[test]
fn mapped_lithuanian_headers_with_semicolons() {
    let desk = Desk::new();
    desk.file(
        "lt.csv",
        "Įmonės kodas;Pavadinimas;sector;city\n300111222;Šviesa, UAB;ict;Klaipėda\n300333444;Žalgiris AB;other;Vilnius\n",
    );
    let (_, err) = desk.ok(&[
        "import",
        "members",
        "lt.csv",
        "--map",
        "code=Įmonės kodas",
        "--map",
        "name=Pavadinimas",
    ]);
    assert!(
        summary_line(&err, "members").contains("2 read, 2 created"),
        "{err}"
    );
    assert!(!err.contains("ignored"), "every column is used: {err}");
    let m = desk.show("members", "300111222");
    assert_eq!(m["name"], "Šviesa, UAB");
    assert_eq!(m["city"], "Klaipėda");
    assert_eq!(desk.show("members", "300333444")["name"], "Žalgiris AB");
}

#[test]
fn windows_1257_is_refused_without_encoding_and_read_with_it() {
    let desk = Desk::new();
    // "Įmonė" and "Šiauliai" in windows-1257, on line 3.
    desk.file(
        "old.csv",
        b"code,name,sector,city\r\nLT500,Plain,ict,Vilnius\r\nLT501,\xc1mon\xeb,ict,\xd0iauliai\r\n",
    );
    let (_, err) = desk.fails(65, &["import", "members", "old.csv"]);
    assert!(err.contains("old.csv:3: "), "names the line: {err}");
    assert!(err.contains("--encoding windows-1257"), "{err}");
    assert_eq!(desk.count("members"), 0);

    desk.ok(&["import", "members", "old.csv", "--encoding", "windows-1257"]);
    let m = desk.show("members", "LT501");
    assert_eq!(m["name"], "Įmonė");
    assert_eq!(m["city"], "Šiauliai");
}

#[test]
fn a_bom_crlf_and_no_final_newline_are_fine() {
    let desk = Desk::new();
    desk.file(
        "bom.csv",
        "\u{feff}code,name,sector,notes\r\nLT600,Bom,ict,\"two\r\nlines\"\r\nLT601,Crlf,ict,last",
    );
    let (_, err) = desk.ok(&["import", "members", "bom.csv"]);
    assert!(
        !err.contains("ignored"),
        "the BOM is not part of `code`: {err}"
    );
    assert!(
        summary_line(&err, "members").contains("2 read, 2 created"),
        "{err}"
    );
    assert_eq!(desk.show("members", "LT600")["name"], "Bom");
    let last = desk.show("members", "LT601");
    assert_eq!(last["name"], "Crlf");
    assert_eq!(last["notes"], "last", "no \\r kept at the end");
}

#[test]
fn unknown_columns_are_reported_once_as_ignored() {
    let desk = Desk::new();
    desk.file(
        "extra.csv",
        "code,Faksas,name,sector,Extra\nLT1,1,One,ict,x\nLT2,2,Two,ict,y\nLT3,3,Three,ict,z\n",
    );
    let (_, err) = desk.ok(&["import", "members", "extra.csv"]);
    let ignored: Vec<&str> = err.lines().filter(|l| l.contains("ignored")).collect();
    assert_eq!(ignored.len(), 1, "{err}");
    assert!(
        ignored[0].contains("Faksas") && ignored[0].contains("Extra"),
        "{err}"
    );
    assert_eq!(err.matches("Faksas").count(), 1, "{err}");
    assert_eq!(desk.count("members"), 3);
}

#[test]
fn stdin_is_read_with_a_dash() {
    let desk = Desk::new();
    let (out, err) = {
        let o = desk
            .cmd()
            .args(["import", "members", "-", "--report", "json"])
            .write_stdin("code,name,sector\nLT1,From stdin,ict\n")
            .assert()
            .success()
            .get_output()
            .clone();
        (
            String::from_utf8(o.stdout).expect("UTF-8"),
            String::from_utf8_lossy(&o.stderr).into_owned(),
        )
    };
    let report: Value = serde_json::from_str(out.trim()).expect("the report is JSON");
    assert_eq!(report["created"], 1, "{err}");
    assert_eq!(desk.show("members", "LT1")["name"], "From stdin");

    // JSON Lines on stdin is sniffed.
    desk.cmd()
        .args(["import", "members", "-"])
        .write_stdin("{\"code\":\"LT2\",\"name\":\"Sniffed\",\"sector\":\"ict\"}\n")
        .assert()
        .success();
    assert_eq!(desk.show("members", "LT2")["name"], "Sniffed");
}

#[test]
fn a_missing_file_is_exit_66() {
    let desk = Desk::new();
    let (_, err) = desk.fails(66, &["import", "members", "no-such-file.csv"]);
    assert!(err.contains("no-such-file.csv"), "{err}");
}

// ---- export -o -------------------------------------------------------------------

fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("the directory reads")
        .map(|e| {
            e.expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

#[test]
fn export_to_a_file_replaces_it_whole_and_leaves_no_temporary_file() {
    let desk = desk_with_two_members();
    let out = desk.path("out");
    std::fs::create_dir(&out).expect("mkdir");
    std::fs::write(out.join("members.csv"), "old content that is much longer than it needs to be, old content that is much longer than it needs to be, old content that is much longer than it needs to be\n").expect("write");
    let (stdout, _) = desk.ok(&["export", "members", "-o", "out/members.csv"]);
    assert!(stdout.is_empty(), "the export goes to the file only");
    let text = std::fs::read_to_string(out.join("members.csv")).expect("the export");
    assert_eq!(text, desk.ok(&["export", "members", "--format", "csv"]).0);
    assert!(!text.contains("old content"));
    assert_eq!(entries(&out), ["members.csv"], "no temporary file left");
}

#[test]
fn a_failing_export_creates_nothing() {
    let desk = desk_with_two_members();
    desk.fails(1, &["export", "members", "-o", "missing/dir/members.csv"]);
    assert!(!desk.path("missing").exists());

    // The target is a directory: the rename fails, the directory is kept,
    // and the temporary file beside it is removed.
    let taken = desk.path("taken.csv");
    std::fs::create_dir(&taken).expect("mkdir");
    std::fs::write(taken.join("inside"), "kept").expect("write");
    let before = entries(desk.dir.path());
    desk.fails(1, &["export", "members", "-o", "taken.csv"]);
    assert_eq!(entries(desk.dir.path()), before, "no temporary file left");
    assert_eq!(entries(&taken), ["inside"]);
}
