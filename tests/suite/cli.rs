//! The command line against DESIGN.md's "CLI contract": every command, every
//! exit code, run as the real binary on a store in a temporary directory.

use crate::fixtures::desk::Desk;
use crate::fixtures::server;
use crate::fixtures::store as shared;

use clusterdesk::model::Collection;
use clusterdesk::store::Store;
use predicates::prelude::*;
use serde_json::Value;

fn codes(records: &[Value]) -> Vec<&str> {
    records
        .iter()
        .map(|r| r["code"].as_str().expect("code is a string"))
        .collect()
}

/// Display column where each character of `line` starts.
fn columns_of(line: &str) -> Vec<(usize, char)> {
    let mut col = 0;
    line.chars()
        .map(|c| {
            let at = col;
            col += unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
            (at, c)
        })
        .collect()
}

/// Cuts a table row into cells at the columns where the header's names start.
fn cells(header: &str, row: &str) -> Vec<String> {
    let head = columns_of(header);
    let starts: Vec<usize> = head
        .iter()
        .enumerate()
        .filter(|&(i, &(_, c))| c != ' ' && (i == 0 || head[i - 1].1 == ' '))
        .map(|(_, &(col, _))| col)
        .collect();
    let row = columns_of(row);
    (0..starts.len())
        .map(|k| {
            let (from, to) = (starts[k], starts.get(k + 1).copied().unwrap_or(usize::MAX));
            let cell: String = row
                .iter()
                .filter(|&&(col, _)| col >= from && col < to)
                .map(|&(_, c)| c)
                .collect();
            // A cell that spills into the next column's start is misaligned.
            if let Some(&(_, c)) = row.iter().find(|&&(col, _)| col + 1 == to) {
                assert_eq!(c, ' ', "no gap before column {k} in {row:?}");
            }
            cell.trim().to_string()
        })
        .collect()
}

// ---------------------------------------------------------------- members

#[test]
fn members_add_list_show_set_rm() {
    let d = Desk::new();
    d.add_member(&[
        "code=lt1",
        "name=UAB Šviesa",
        "sector=ict",
        "areas=smart-city,iot",
        "status=active",
        "joined=2020-01-02",
    ]);
    d.run(&[
        "add",
        "members",
        "code=LT2",
        "name=Alfa",
        "sector=machinery",
        "areas=smart-grid;smart-house",
        "joined=2021-05-06",
    ])
    .success()
    .stderr(predicate::str::contains("added member LT2"));

    // jsonl: codes upper-cased, list fields split on `,` and on `;`.
    let all = d.records("members");
    assert_eq!(codes(&all), ["LT1", "LT2"]);
    assert_eq!(all[0]["name"], "UAB Šviesa");
    assert_eq!(all[0]["areas"], serde_json::json!(["smart-city", "iot"]));
    assert_eq!(
        all[1]["areas"],
        serde_json::json!(["smart-grid", "smart-house"])
    );
    assert_eq!(all[0]["status"], "active");
    assert_eq!(all[1]["status"], "prospect", "status defaults to prospect");
    assert_eq!(all[1]["country"], "LT", "country defaults to LT");
    assert_eq!(all[0]["joined"], "2020-01-02");

    // json: one array with the same records.
    let array: Vec<Value> =
        serde_json::from_str(&d.stdout(&["list", "members", "--format", "json"]))
            .expect("list --format json is a JSON array");
    assert_eq!(array, all);

    // csv: `id` then every field as a column, lists joined by `;`.
    let csv_text = d.stdout(&["list", "members", "--format", "csv"]);
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let headers = reader.headers().expect("a header row").clone();
    assert_eq!(&headers[0], "id");
    for field in [
        "code", "name", "sector", "areas", "status", "joined", "email", "phone", "notes",
    ] {
        assert!(
            headers.iter().any(|h| h == field),
            "csv has a {field} column: {headers:?}"
        );
    }
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("a csv row")).collect();
    assert_eq!(rows.len(), 2);
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    assert_eq!(&rows[0][col("id")], all[0]["id"].as_str().unwrap());
    assert_eq!(&rows[0][col("code")], "LT1");
    assert_eq!(&rows[0][col("name")], "UAB Šviesa");
    assert_eq!(&rows[0][col("areas")], "smart-city;iot");
    assert_eq!(&rows[1][col("sector")], "machinery");

    // show: by key in any case, as JSON and as text.
    let lt1 = d.show("members", "lt1");
    assert_eq!(lt1, all[0]);
    d.run(&["show", "members", "LT1"])
        .success()
        .stdout(predicate::str::contains("UAB Šviesa").and(predicate::str::contains("smart-city")));

    // set: only the named fields change.
    d.run(&[
        "set",
        "members",
        "LT1",
        "phone=+370 600 12345",
        "city=Kaunas",
    ])
    .success()
    .stderr(predicate::str::contains("changed member LT1"));
    let after = d.show("members", "LT1");
    assert_eq!(shared::changed_fields(&lt1, &after), ["city", "phone"]);
    assert_eq!(after["phone"], "+370 600 12345");
    assert_eq!(after["city"], "Kaunas");

    // An empty value clears a field.
    d.run(&["set", "members", "LT1", "city="]).success();
    assert_eq!(d.show("members", "LT1")["city"], "");

    // rm
    d.run(&["rm", "members", "LT2"])
        .success()
        .stderr(predicate::str::contains("LT2"));
    assert_eq!(codes(&d.records("members")), ["LT1"]);
    let stderr = d.error(1, &["show", "members", "LT2"]);
    assert!(stderr.contains("no member with code LT2"), "{stderr}");
}

#[test]
fn table_is_aligned_header_then_rows() {
    let d = Desk::new();
    d.add_member(&[
        "code=LT1",
        "name=UAB Šviesa",
        "sector=ict",
        "status=active",
        "joined=2020-01-02",
    ]);
    d.add_member(&["code=LT22", "name=Alfa", "sector=machinery", "city=Vilnius"]);
    d.add_member(&[
        "code=LT333",
        "name=東京スマート",
        "sector=research",
        "phone=+370 5 1234567",
    ]);
    let out = d.stdout(&["list", "members"]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 4, "a header and three rows:\n{out}");
    let header = lines[0];
    let names = cells(header, header);
    assert_eq!(names[..3], ["CODE", "NAME", "SECTOR"], "{header}");
    let col = |name: &str| names.iter().position(|n| n == name).expect(name);
    let rows: Vec<Vec<String>> = lines[1..].iter().map(|r| cells(header, r)).collect();
    assert_eq!(
        rows.iter()
            .map(|r| r[col("CODE")].as_str())
            .collect::<Vec<_>>(),
        ["LT1", "LT22", "LT333"]
    );
    assert_eq!(rows[0][col("NAME")], "UAB Šviesa");
    assert_eq!(rows[1][col("NAME")], "Alfa");
    assert_eq!(rows[2][col("NAME")], "東京スマート");
    assert_eq!(rows[0][col("SECTOR")], "ict");
    assert_eq!(rows[1][col("SECTOR")], "machinery");
    assert_eq!(rows[0][col("STATUS")], "active");
    assert_eq!(rows[0][col("JOINED")], "2020-01-02");
    assert_eq!(rows[1][col("CITY")], "Vilnius");
    assert_eq!(rows[2][col("PHONE")], "+370 5 1234567");
    for line in &lines {
        assert_eq!(line.trim_end(), *line, "no trailing blanks: {line:?}");
    }
}

#[test]
fn list_filter_and_sort() {
    let d = Desk::new();
    d.add_member(&[
        "code=LT1",
        "name=Šviesa",
        "sector=ict",
        "status=active",
        "joined=2019-03-01",
    ]);
    d.add_member(&[
        "code=LT2",
        "name=beta",
        "sector=ict",
        "status=active",
        "joined=2021-01-01",
    ]);
    d.add_member(&[
        "code=LT3",
        "name=Alfa",
        "sector=machinery",
        "status=former",
        "joined=2018-01-01",
    ]);
    d.add_member(&[
        "code=LT4",
        "name=Čia",
        "sector=machinery",
        "status=active",
        "joined=2020-06-30",
    ]);
    d.add_member(&["code=LT5", "name=Delta", "sector=ict", "joined=2022-02-02"]);

    let json = |args: &[&str]| -> Vec<Value> {
        let mut all = vec!["list", "members", "--format", "json"];
        all.extend_from_slice(args);
        serde_json::from_str(&d.stdout(&all)).expect("a JSON array")
    };
    // Names sort folded: Č among C, Š among S, case ignored.
    assert_eq!(
        codes(&json(&["--filter", "status=active", "--sort", "name"])),
        ["LT2", "LT4", "LT1"]
    );
    assert_eq!(
        codes(&json(&["--sort", "name"])),
        ["LT3", "LT2", "LT4", "LT5", "LT1"]
    );
    assert_eq!(
        codes(&json(&["--sort", "-joined"])),
        ["LT5", "LT2", "LT4", "LT1", "LT3"]
    );
    assert_eq!(
        codes(&json(&["--sort", "joined"])),
        ["LT3", "LT1", "LT4", "LT2", "LT5"]
    );
    // Several filters must all hold; values compare without case.
    assert_eq!(
        codes(&json(&[
            "--filter",
            "status=active",
            "--filter",
            "sector=ICT"
        ])),
        ["LT1", "LT2"]
    );
    // A sort on a field without an index works too (ties in any order).
    let by_status = json(&["--sort", "-status"]);
    let statuses: Vec<&str> = by_status
        .iter()
        .map(|r| r["status"].as_str().unwrap())
        .collect();
    assert_eq!(
        statuses,
        ["prospect", "former", "active", "active", "active"]
    );
    // The table takes the same options.
    let table = d.stdout(&[
        "list",
        "members",
        "--filter",
        "status=active",
        "--sort",
        "-joined",
    ]);
    let rows: Vec<&str> = table
        .lines()
        .skip(1)
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    assert_eq!(rows, ["LT2", "LT4", "LT1"]);
}

#[test]
fn store_from_environment_variable() {
    let d = Desk::new();
    d.bare()
        .env("CLUSTERDESK_STORE", &d.store)
        .args(["add", "members", "code=LT1", "name=Env", "sector=ict"])
        .assert()
        .success();
    assert_eq!(codes(&d.records("members")), ["LT1"]);
    // --store wins over the variable.
    let other = d.dir.path().join("other");
    d.bare()
        .env("CLUSTERDESK_STORE", &other)
        .args(["--store"])
        .arg(&d.store)
        .args(["list", "members", "--format", "jsonl"])
        .assert()
        .success()
        .stdout(predicate::str::contains("\"LT1\""));
}

// ----------------------------------------------------------- other collections

#[test]
fn indicators_keyed_code_slash_year() {
    let d = Desk::new();
    d.add_member(&["code=LT1", "name=Šviesa", "sector=ict"]);
    d.run(&[
        "add",
        "indicators",
        "member=lt1",
        "year=2024",
        "turnover_eur=1200000",
        "export_eur=300 000",
    ])
    .success()
    .stderr(predicate::str::contains("LT1/2024"));
    d.run(&[
        "add",
        "indicators",
        "member=LT1",
        "year=2023",
        "turnover_eur=900000",
    ])
    .success();

    let all = d.records("indicators");
    assert_eq!(all.len(), 2);
    let i2024 = all.iter().find(|r| r["year"] == 2024).expect("2024 listed");
    assert_eq!(i2024["member"], "LT1");
    assert_eq!(i2024["turnover_eur"], 1_200_000);
    assert_eq!(i2024["export_eur"], 300_000);
    assert!(i2024["rnd_eur"].is_null());

    let shown = d.show("indicators", "LT1/2024");
    assert_eq!(&shown, i2024);
    assert_eq!(
        d.show("indicators", "lt1/2024"),
        shown,
        "keys are case-insensitive"
    );

    let csv_text = d.stdout(&["list", "indicators", "--format", "csv"]);
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    assert_eq!(
        headers.iter().collect::<Vec<_>>(),
        [
            "id",
            "member",
            "year",
            "turnover_eur",
            "export_eur",
            "rnd_eur",
            "employees"
        ]
    );
    assert_eq!(reader.records().count(), 2);

    d.run(&["set", "indicators", "LT1/2024", "rnd_eur=50000"])
        .success();
    let after = d.show("indicators", "LT1/2024");
    assert_eq!(shared::changed_fields(&shown, &after), ["rnd_eur"]);
    assert_eq!(after["rnd_eur"], 50_000);

    // A member year is unique.
    let stderr = d.error(65, &["add", "indicators", "member=LT1", "year=2024"]);
    assert!(stderr.contains("already exists"), "{stderr}");
    // An indicator must name a member that exists.
    let stderr = d.error(65, &["add", "indicators", "member=NOPE", "year=2024"]);
    assert!(
        stderr.contains("member") && stderr.contains("NOPE"),
        "{stderr}"
    );

    d.run(&["rm", "indicators", "LT1/2024", "LT1/2023"])
        .success();
    assert!(d.records("indicators").is_empty());
}

#[test]
fn news_slug_is_derived_from_the_title() {
    let d = Desk::new();
    d.add_member(&["code=LT1", "name=Šviesa", "sector=ict"]);
    d.run(&[
        "add",
        "news",
        "title=Klasterio renginys Šiauliuose",
        "lang=lt",
        "tags=Smart City;renginiai",
        "members=lt1",
    ])
    .success()
    .stderr(predicate::str::contains("klasterio-renginys-siauliuose"));

    let all = d.records("news");
    assert_eq!(all.len(), 1);
    let item = &all[0];
    assert_eq!(item["slug"], "klasterio-renginys-siauliuose");
    assert_eq!(item["title"], "Klasterio renginys Šiauliuose");
    assert_eq!(item["lang"], "lt");
    assert_eq!(item["status"], "draft");
    assert_eq!(item["tags"], serde_json::json!(["smart-city", "renginiai"]));
    assert_eq!(item["members"], serde_json::json!(["LT1"]));

    let shown = d.show("news", "klasterio-renginys-siauliuose");
    assert_eq!(&shown, item);
    d.run(&[
        "set",
        "news",
        "klasterio-renginys-siauliuose",
        "status=review",
    ])
    .success();
    let after = d.show("news", "klasterio-renginys-siauliuose");
    assert_eq!(after["status"], "review");
    for field in ["slug", "title", "lang", "tags", "members", "created"] {
        assert_eq!(after[field], shown[field], "{field} stays");
    }

    let stderr = d.error(65, &["add", "news", "title=No language"]);
    assert!(stderr.contains("lang"), "{stderr}");

    d.run(&["rm", "news", "klasterio-renginys-siauliuose"])
        .success();
    assert!(d.records("news").is_empty());
}

#[test]
fn meetings_slug_is_date_and_title() {
    let d = Desk::new();
    d.add_member(&["code=LT1", "name=Šviesa", "sector=ict"]);
    d.add_member(&["code=LT2", "name=Alfa", "sector=ict"]);
    d.run(&[
        "add",
        "meetings",
        "title=Patirties renginys",
        "date=2024-03-14",
        "kind=experience-sharing",
        "attendees=LT1;lt2",
        "decisions=Pirmas, su kableliu;Antras",
    ])
    .success()
    .stderr(predicate::str::contains("2024-03-14-patirties-renginys"));
    d.run(&[
        "add",
        "meetings",
        "title=Valdybos posėdis",
        "date=2024-05-02",
        "kind=board",
        "attendees=LT1,LT2",
    ])
    .success();

    let all = d.records("meetings");
    assert_eq!(all.len(), 2);
    let m = &all[0];
    assert_eq!(m["slug"], "2024-03-14-patirties-renginys");
    assert_eq!(m["date"], "2024-03-14");
    assert_eq!(m["kind"], "experience-sharing");
    assert_eq!(m["attendees"], serde_json::json!(["LT1", "LT2"]));
    assert_eq!(all[1]["attendees"], serde_json::json!(["LT1", "LT2"]));
    assert_eq!(
        m["decisions"],
        serde_json::json!(["Pirmas, su kableliu", "Antras"])
    );
    assert_eq!(all[1]["slug"], "2024-05-02-valdybos-posedis");

    let newest: Vec<Value> = serde_json::from_str(
        &d.stdout(&["list", "meetings", "--sort", "-date", "--format", "json"]),
    )
    .unwrap();
    assert_eq!(newest[0]["slug"], "2024-05-02-valdybos-posedis");

    let shown = d.show("meetings", "2024-03-14-patirties-renginys");
    assert_eq!(&shown, m);
    d.run(&[
        "set",
        "meetings",
        "2024-03-14-patirties-renginys",
        "location=Šiauliai",
    ])
    .success();
    let after = d.show("meetings", "2024-03-14-patirties-renginys");
    assert_eq!(shared::changed_fields(&shown, &after), ["location"]);

    let stderr = d.error(
        65,
        &[
            "add",
            "meetings",
            "title=X",
            "date=2024-02-30",
            "kind=board",
        ],
    );
    assert!(stderr.contains("date"), "{stderr}");
    let stderr = d.error(
        65,
        &[
            "add",
            "meetings",
            "title=X",
            "date=2024-02-03",
            "kind=party",
        ],
    );
    assert!(stderr.contains("kind"), "{stderr}");

    d.run(&["rm", "meetings", "2024-03-14-patirties-renginys"])
        .success();
    assert_eq!(d.records("meetings").len(), 1);
}

/// `show`'s text page: every `label:  value` line has its value in one column.
/// src/io/text.rs pads labels to the longest field *name*, so the label
/// that is as long as that name plus its `:` pushes its value one column right
/// (indicators' `turnover_eur:`, meetings' `attendees:`, news' `published_at:`).
#[test]
fn show_text_values_are_aligned() {
    let d = Desk::new();
    d.add_member(&["code=LT1", "name=Šviesa", "sector=ict"]);
    d.run(&[
        "add",
        "indicators",
        "member=LT1",
        "year=2024",
        "turnover_eur=1200000",
        "export_eur=1",
    ])
    .success();
    d.run(&[
        "add",
        "meetings",
        "title=X",
        "date=2024-01-01",
        "kind=board",
        "attendees=LT1",
    ])
    .success();
    for (collection, key) in [
        ("indicators", "LT1/2024"),
        ("meetings", "2024-01-01-x"),
        ("members", "LT1"),
    ] {
        let page = d.stdout(&["show", collection, key]);
        let value_columns: Vec<usize> = page
            .lines()
            .filter(|l| !l.starts_with(' ') && !l.ends_with(':'))
            .map(|l| {
                let label_end = l.find(": ").expect("a label") + 1;
                label_end + l[label_end..].len() - l[label_end..].trim_start().len()
            })
            .collect();
        assert!(
            value_columns.windows(2).all(|w| w[0] == w[1]),
            "{collection}: values start in one column {value_columns:?}:\n{page}"
        );
    }
}

// ------------------------------------------------------------ set and rm rules

#[test]
fn set_with_the_same_value_writes_nothing() {
    let d = Desk::new();
    d.add_member(&[
        "code=LT1",
        "name=Šviesa",
        "sector=ict",
        "phone=+370 600 12345",
    ]);
    let before = d.snapshot();
    let history = d.history_len();
    d.run(&[
        "set",
        "members",
        "LT1",
        "phone=+370 600 12345",
        "name=Šviesa",
    ])
    .success()
    .stderr(predicate::str::contains("no changes"));
    assert_eq!(d.snapshot(), before);
    assert_eq!(d.history_len(), history, "no history entry for no change");
}

#[test]
fn set_of_a_missing_record_fails() {
    let d = Desk::new();
    let stderr = d.error(1, &["set", "members", "NOPE", "name=X"]);
    assert!(stderr.contains("no member with code NOPE"), "{stderr}");
    assert!(d.records("members").is_empty());
}

#[test]
fn rm_is_all_or_none() {
    let d = Desk::new();
    d.add_member(&["code=LT1", "name=One", "sector=ict"]);
    d.add_member(&["code=LT2", "name=Two", "sector=ict"]);
    let before = d.snapshot();
    let stderr = d.error(1, &["rm", "members", "LT1", "NOPE", "LT2"]);
    assert!(stderr.contains("NOPE"), "{stderr}");
    assert_eq!(d.snapshot(), before, "nothing removed");
    assert_eq!(codes(&d.records("members")), ["LT1", "LT2"]);

    d.run(&["rm", "members", "LT1", "lt2"])
        .success()
        .stderr(predicate::str::contains("removed 2"));
    assert!(d.records("members").is_empty());
}

#[test]
fn rm_names_a_key_given_twice_and_removes_nothing() {
    let d = Desk::new();
    d.add_member(&["code=LT1", "name=One", "sector=ict"]);
    d.add_member(&["code=LT2", "name=Two", "sector=ict"]);
    let before = d.snapshot();
    for keys in [["LT1", "LT1", "LT2"], ["lt1", "LT2", " LT1 "]] {
        let mut args = vec!["rm", "members"];
        args.extend(keys);
        let stderr = d.error(2, &args);
        assert!(stderr.contains("LT1 is named twice"), "{stderr}");
        assert!(!stderr.contains("no member"), "{stderr}");
        assert_eq!(d.snapshot(), before, "nothing removed");
    }
    d.run(&[
        "add",
        "indicators",
        "member=LT1",
        "year=2024",
        "turnover_eur=1",
    ])
    .success();
    let stderr = d.error(2, &["rm", "indicators", "LT1/2024", "lt1/2024"]);
    assert!(stderr.contains("LT1/2024 is named twice"), "{stderr}");
}

#[test]
fn a_referenced_member_is_not_removed() {
    let d = Desk::new();
    d.add_member(&["code=LT1", "name=One", "sector=ict"]);
    d.run(&[
        "add",
        "indicators",
        "member=LT1",
        "year=2024",
        "turnover_eur=1",
    ])
    .success();
    let before = d.snapshot();
    let stderr = d.error(1, &["rm", "members", "LT1"]);
    assert!(
        stderr.contains("LT1") && stderr.contains("1 indicator"),
        "{stderr}"
    );
    assert_eq!(d.snapshot(), before);
    assert_eq!(codes(&d.records("members")), ["LT1"]);
}

// ------------------------------------------------------------- invalid data (65)

#[test]
fn bad_member_data_exits_65_naming_the_field_and_writes_nothing() {
    let d = Desk::new();
    d.add_member(&["code=LT1", "name=Šviesa", "sector=ict"]);
    let before = d.snapshot();
    let history = d.history_len();
    let cases: &[(&[&str], &str)] = &[
        (&["code=", "name=X"], "code"),
        (&["code=LT2", "name=A\u{1b}[2JB", "sector=ict"], "name"),
        (&["code=LT2", "name=X", "sector=shipbuilding"], "sector"),
        (
            &["code=LT2", "name=X", "sector=ict", "joined=2014-13-01"],
            "joined",
        ),
        (&["code=lt1", "name=X", "sector=ict"], "code"),
        (
            &["code=LT2", "name=X", "sector=ict", "country=Lithuania"],
            "country",
        ),
        (
            &["code=LT2", "name=X", "sector=ict", "email=info.example.com"],
            "email",
        ),
        (&["code=LT 2", "name=X", "sector=ict"], "code"),
        (
            &["code=LT2", "name=X", "sector=ict", "website=example.lt"],
            "website",
        ),
        (&["code=LT2", "name=X"], "sector"),
        (&["code=LT2", "name=X\u{202e}Y", "sector=ict"], "name"),
    ];
    for (fields, field) in cases {
        let mut args = vec!["add", "members"];
        args.extend_from_slice(fields);
        let stderr = d.error(65, &args);
        assert!(
            stderr.contains(&format!("{field}:")),
            "{fields:?}: stderr names {field}: {stderr}"
        );
        assert!(
            !stderr.contains('\u{1b}'),
            "{fields:?}: no raw ESC on stderr: {stderr:?}"
        );
        assert!(
            !stderr.contains('\u{202e}'),
            "{fields:?}: no raw bidi control: {stderr:?}"
        );
        assert_eq!(d.snapshot(), before, "{fields:?}: nothing written");
    }
    assert_eq!(d.history_len(), history, "no history entries");

    // The quoted values are named as given.
    let stderr = d.error(
        65,
        &[
            "add",
            "members",
            "code=LT2",
            "name=X",
            "sector=ict",
            "joined=2014-13-01",
        ],
    );
    assert!(
        stderr.contains("2014-13-01") && stderr.contains("YYYY-MM-DD"),
        "{stderr}"
    );
    let stderr = d.error(65, &["add", "members", "code=lt1", "name=X", "sector=ict"]);
    assert!(
        stderr.contains("LT1") && stderr.contains("already exists"),
        "{stderr}"
    );

    // set checks the same rules, and writes nothing either.
    let stderr = d.error(
        65,
        &[
            "set",
            "members",
            "LT1",
            "email=info.example.com",
            "phone=+370 1",
        ],
    );
    assert!(stderr.contains("email:"), "{stderr}");
    let stderr = d.error(65, &["set", "members", "LT1", "name=A\u{1b}[2JB"]);
    assert!(
        stderr.contains("name:") && !stderr.contains('\u{1b}'),
        "{stderr:?}"
    );
    assert_eq!(d.snapshot(), before);
    assert_eq!(d.history_len(), history);
}

#[test]
fn every_broken_rule_is_reported() {
    let d = Desk::new();
    let stderr = d.error(
        65,
        &[
            "add",
            "members",
            "code=LT1",
            "name=X",
            "sector=shipbuilding",
            "country=Lithuania",
        ],
    );
    assert!(
        stderr.contains("sector:") && stderr.contains("country:"),
        "{stderr}"
    );
    assert!(d.records("members").is_empty());
}

// -------------------------------------------------------------------- usage (2)

#[test]
fn usage_errors_exit_2() {
    let d = Desk::new();
    d.add_member(&["code=LT1", "name=One", "sector=ict"]);
    let before = d.snapshot();

    d.run(&["frobnicate"]).code(2);
    d.run(&["list", "things"])
        .code(2)
        .stderr(predicate::str::contains("things"));
    d.run(&["add", "widgets", "code=LT9"]).code(2);
    let stderr = d.error(2, &["add", "members", "nonsense"]);
    assert!(
        stderr.contains("nonsense") && stderr.contains("FIELD=VALUE"),
        "{stderr}"
    );
    let stderr = d.error(2, &["add", "members", "bogus=1"]);
    assert!(stderr.contains("bogus"), "{stderr}");
    let stderr = d.error(2, &["set", "members", "LT1", "bogus=1"]);
    assert!(stderr.contains("bogus"), "{stderr}");
    let stderr = d.error(2, &["list", "members", "--filter", "bogus=1"]);
    assert!(stderr.contains("bogus"), "{stderr}");
    d.error(2, &["list", "members", "--filter", "status"]);
    d.error(2, &["list", "members", "--sort", "bogus"]);
    d.error(2, &["list", "members", "--format", "xml"]);
    d.error(2, &["add", "members"]);
    d.error(2, &["rm", "members"]);
    d.error(2, &["show", "members"]);
    assert_eq!(d.snapshot(), before);
}

// ---------------------------------------------------------------- store busy (75)

#[test]
fn a_store_held_by_another_process_exits_75() {
    let d = Desk::new();
    d.add_member(&["code=LT1", "name=One", "sector=ict"]);
    // Held by a process that is not a server: clients cannot reach it.
    let held = shared::hold_locally(&d.store);

    for args in [
        &["list", "members"][..],
        &["add", "members", "code=LT2", "name=Two", "sector=ict"],
        &["set", "members", "LT1", "city=Kaunas"],
        &["rm", "members", "LT1"],
        // The console (no command) says so before taking the screen.
        &[],
    ] {
        let stderr = d.error(75, args);
        let path = d.store.display().to_string();
        assert!(
            stderr.contains(&path),
            "{args:?}: names the store {path}: {stderr}"
        );
        assert!(
            stderr.contains("in use by another clusterdesk process"),
            "{args:?}: {stderr}"
        );
        assert!(!stderr.contains("WouldBlock"), "{args:?}: {stderr}");
        assert!(
            !stderr.contains("could not acquire lock"),
            "{args:?}: {stderr}"
        );
    }
    // The busy store is also busy when named by the environment.
    d.bare()
        .env("CLUSTERDESK_STORE", &d.store)
        .args(["list", "members"])
        .assert()
        .code(75);

    let members: Vec<String> = held
        .keys::<clusterdesk::model::Member>()
        .expect("keys read");
    assert_eq!(members, ["LT1"], "nothing was written while busy");
    drop(held);

    d.run(&["add", "members", "code=LT2", "name=Two", "sector=ict"])
        .success();
    assert_eq!(codes(&d.records("members")), ["LT1", "LT2"]);
}

// -------------------------------------------------------------- input missing (66)

/// No command line reads an input file yet: the only `CliError::Input` is the
/// `edit` form file, tested in `cli_edit.rs`. This checks that a store path
/// that cannot be a store is not reported as 66 (nor 0).
#[test]
fn a_store_path_that_is_a_file_fails_with_1() {
    let d = Desk::new();
    let file = d.dir.path().join("plain-file");
    std::fs::write(&file, "not a store").unwrap();
    d.bare()
        .arg("--store")
        .arg(&file)
        .args(["list", "members"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(file.display().to_string()));
}

// ------------------------------------------------------------ completions, man

#[test]
fn completions_and_man() {
    let d = Desk::new();
    for shell in ["bash", "zsh", "fish"] {
        d.bare()
            .args(["completions", shell])
            .assert()
            .success()
            .stdout(predicate::str::contains("clusterdesk"));
    }
    d.bare().args(["completions", "tcsh"]).assert().code(2);
    d.bare()
        .arg("man")
        .assert()
        .success()
        .stdout(predicate::str::contains(".TH").and(predicate::str::contains("clusterdesk")));
    d.bare()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("Exit codes"));
}

// -------------------------------------------------------------------------- demo

#[test]
fn demo_builds_a_store_and_says_what_to_try() {
    let d = Desk::new();
    let demo = d.dir.path().join("demo");
    let run_demo = || {
        let out = d
            .bare()
            .arg("demo")
            .arg("--store")
            .arg(&demo)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        String::from_utf8(out).unwrap()
    };
    let first = run_demo();
    assert!(first.contains(&demo.display().to_string()), "{first}");
    assert!(first.contains("Try:"), "{first}");

    let on_demo = |collection: &str| -> Vec<Value> {
        let out = d
            .bare()
            .arg("--store")
            .arg(&demo)
            .args(["list", collection, "--format", "json"])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        serde_json::from_slice(&out).expect("a JSON array")
    };
    let counts = |c: &[&str]| c.iter().map(|c| on_demo(c).len()).collect::<Vec<_>>();
    let all = ["members", "indicators", "news", "meetings"];
    let before = counts(&all);
    assert!(before[0] >= 30, "at least 30 members: {before:?}");
    assert!(
        before[1] > 0 && before[2] > 0 && before[3] >= 35,
        "{before:?}"
    );

    // The commands it suggests work on the store it built.
    for line in first
        .lines()
        .filter(|l| l.trim_start().starts_with("clusterdesk "))
    {
        if line.contains(" edit ") || line.contains(" set ") {
            continue;
        }
        // `clusterdesk --store DIR WORDS...`; the temporary path has no blanks.
        let words: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(words[1..3], ["--store", demo.to_str().unwrap()], "{line}");
        d.bare()
            .arg("--store")
            .arg(&demo)
            .args(&words[3..])
            .assert()
            .success();
    }

    let second = run_demo();
    assert!(second.contains("Try:"), "{second}");
    assert_eq!(counts(&all), before, "a second demo run adds nothing");
}

// ----------------------------------------------------------------------- history

#[test]
fn history_records_who_and_before_after() {
    let d = Desk::new();
    d.add_member(&["code=LT1", "name=One", "sector=ict"]);
    d.run(&["set", "members", "LT1", "phone=+370 600 12345"])
        .success();
    d.run(&["rm", "members", "LT1"]).success();

    let store = Store::open(&d.store).expect("the store opens");
    let history = store.history().expect("history reads");
    assert_eq!(history.len(), 3, "{history:#?}");
    for entry in &history {
        assert_eq!(entry.who, os_user());
        assert_eq!(entry.collection, Collection::Members);
        assert_eq!(entry.key, "LT1");
        assert_eq!(entry.id, history[0].id, "the same record throughout");
    }
    let (add, set, rm) = (&history[0], &history[1], &history[2]);
    assert!(add.before.is_none());
    let added = add.after.as_ref().expect("add has an after image");
    assert_eq!(added["code"], "LT1");
    assert_eq!(added["name"], "One");
    assert_eq!(added["phone"], "");

    assert_eq!(set.before.as_ref(), Some(added));
    let changed = set.after.as_ref().expect("set has an after image");
    assert_eq!(shared::changed_fields(added, changed), ["phone"]);
    assert_eq!(changed["phone"], "+370 600 12345");

    assert_eq!(rm.before.as_ref(), Some(changed));
    assert!(rm.after.is_none());

    let batches: std::collections::HashSet<_> = history.iter().map(|e| e.batch).collect();
    assert_eq!(batches.len(), 3, "each command is its own batch");
    assert!(add.at <= set.at && set.at <= rm.at);
}

#[test]
fn bare_invocation_is_a_usage_error() {
    let d = Desk::new();
    d.cmd().assert().code(2);
}

// ------------------------------------------------------------- history and undo

#[test]
fn history_lists_batches_and_undo_reverts_one() {
    let d = Desk::new();
    d.add_member(&["code=LT1", "name=One", "sector=ict", "city=Vilnius"]);
    d.run(&["set", "members", "LT1", "city=Kaunas"]).success();

    let batches: Value = serde_json::from_str(&d.stdout(&["history", "--format", "json"])).unwrap();
    let batches = batches.as_array().unwrap();
    assert_eq!(batches.len(), 2, "one batch per change, newest first");
    let newest = batches[0]["batch"].as_str().unwrap().to_string();
    assert_eq!(batches[0]["changes"][0]["who"], os_user().as_str());
    assert_eq!(batches[0]["changes"][0]["after"]["city"], "Kaunas");

    let table = d.stdout(&["history"]);
    assert!(
        table.lines().next().unwrap().starts_with("BATCH"),
        "{table}"
    );
    assert!(
        table.contains(&newest) && table.contains("1 changed: member LT1"),
        "{table}"
    );

    d.run(&["undo", &newest]).success();
    assert_eq!(d.show("members", "LT1")["city"], "Vilnius");
    // The undo is a batch of its own: undoing it again is refused, as the
    // record changed since the batch it reverted; undoing the undo redoes.
    let after: Value = serde_json::from_str(&d.stdout(&["history", "--format", "json"])).unwrap();
    let undo_batch = after[0]["batch"].as_str().unwrap().to_string();
    let stderr = d.error(1, &["undo", &newest]);
    assert!(stderr.contains("has changed since"), "{stderr}");
    d.run(&["undo", &undo_batch]).success();
    assert_eq!(d.show("members", "LT1")["city"], "Kaunas");

    let stderr = d.error(2, &["undo", "not-a-batch"]);
    assert!(stderr.contains("not a batch id"), "{stderr}");
    let stderr = d.error(1, &["undo", "01a21c52-a7ea-75f5-b2ea-d40413073486"]);
    assert!(stderr.contains("no change batch"), "{stderr}");
}

/// The name of the OS user running the tests, from the uid (as the store does).
fn os_user() -> String {
    let uid = nix::unistd::getuid();
    nix::unistd::User::from_uid(uid)
        .ok()
        .flatten()
        .map_or_else(|| format!("uid {uid}"), |u| u.name)
}

#[test]
fn clusterdesk_embedded_takes_the_usual_boolean_words() {
    let desk = Desk::new();
    // While its server runs, an embedded open is refused (exit 75) and a
    // client's goes through it: that tells the two apart.
    desk.stdout(&[
        "--embedded",
        "add",
        "members",
        "code=LT1",
        "name=UAB A",
        "sector=ict",
    ]);
    let mut serving = server::start(env!("CARGO_BIN_EXE_clusterdesk"), &desk.store, None);
    for (word, embedded) in [
        ("1", true),
        ("true", true),
        ("yes", true),
        ("on", true),
        ("0", false),
        ("false", false),
        ("no", false),
        ("off", false),
    ] {
        let out = desk
            .cmd()
            .env("CLUSTERDESK_EMBEDDED", word)
            .args(["show", "members", "LT1"])
            .output()
            .expect("runs");
        let want = if embedded { 75 } else { 0 };
        assert_eq!(out.status.code(), Some(want), "{word}: {out:?}");
    }
    let _ = serving.kill();
    let _ = serving.wait();
    desk.cmd()
        .env("CLUSTERDESK_EMBEDDED", "perhaps")
        .args(["show", "members", "LT1"])
        .assert()
        .code(2);
}

/// Damage that sled's checksums catch, and a log overwritten whole (which
/// sled reads as a new, empty store): both name the store and the file, say to restore a
/// dump, and exit 74, embedded and through a server, never with sled's
/// backtrace.
#[test]
fn a_damaged_store_is_named_with_what_to_do_and_exits_74() {
    let desk = Desk::new();
    desk.stdout(&["--embedded", "demo"]);
    let db = desk.store.join("db");
    let pristine = std::fs::read(&db).expect("db");
    for (how, damaged) in [("a zeroed head", 600), ("overwritten", pristine.len())] {
        for embedded in [true, false] {
            let mut bytes = pristine.clone();
            bytes[..damaged].fill(0xa5);
            std::fs::write(&db, &bytes).expect("damaged");
            let mut cmd = desk.cmd();
            if embedded {
                cmd.arg("--embedded");
            }
            let out = cmd
                .args(["list", "members"])
                .assert()
                .code(74)
                .get_output()
                .clone();
            let err = String::from_utf8_lossy(&out.stderr);
            let store = desk.store.display().to_string();
            assert!(
                err.contains(&format!("the store {store} is damaged")),
                "{how}: {err}"
            );
            assert!(err.contains(&store), "{how}: names the file: {err}");
            assert!(
                err.contains("load BACKUP.jsonl"),
                "{how}: says what to do: {err}"
            );
            assert!(!err.contains("backtrace"), "{how}: {err}");
            assert!(out.stdout.is_empty(), "{how}: nothing listed");
        }
    }
}
