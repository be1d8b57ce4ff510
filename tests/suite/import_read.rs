//! The read side of `import`: CSV, JSON Lines and JSON arrays from bytes to
//! raw rows with their lines. Fixtures live in tests/data/import/ (byte
//! exact: see its .gitattributes); large or generated inputs are built here.

use std::path::{Path, PathBuf};

use clusterdesk::io::read::{
    InputFormat, RawInput, RawRow, ReadError, ReadOptions, encoding_by_label, read, read_each,
};
use clusterdesk::model::{Contact, FieldValue, Member, Record};
use serde_json::json;
use uuid::Uuid;

const NESTED: &[&str] = &["contacts", "status_history"];

fn fixture_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/import")
        .join(name)
}

fn bytes(name: &str) -> Vec<u8> {
    std::fs::read(fixture_path(name)).unwrap_or_else(|e| panic!("fixture {name}: {e}"))
}

fn read_with(name: &str, opts: &ReadOptions) -> Result<RawInput, ReadError> {
    read(name, &bytes(name), opts, Member::fields(), NESTED)
}

fn read_ok(name: &str) -> RawInput {
    read_with(name, &ReadOptions::default()).unwrap_or_else(|e| panic!("{e}"))
}

fn read_err(name: &str, opts: &ReadOptions) -> String {
    match read_with(name, opts) {
        Ok(input) => panic!("{name} was read: {input:?}"),
        Err(e) => e.to_string(),
    }
}

fn mapped(pairs: &[(&str, &str)]) -> ReadOptions {
    ReadOptions {
        map: pairs
            .iter()
            .map(|(f, c)| (f.to_string(), c.to_string()))
            .collect(),
        ..ReadOptions::default()
    }
}

fn value<'a>(row: &'a RawRow, field: &str) -> Option<&'a FieldValue> {
    row.fields.iter().find(|(f, _)| f == field).map(|(_, v)| v)
}

/// A scalar field's text; panics when it is missing or a list.
fn text<'a>(row: &'a RawRow, field: &str) -> &'a str {
    match value(row, field) {
        Some(FieldValue::Scalar(s)) => s,
        other => panic!("line {}: {field} is {other:?}", row.line),
    }
}

fn lines(input: &RawInput) -> Vec<usize> {
    input.rows.iter().map(|r| r.line).collect()
}

fn codes(input: &RawInput) -> Vec<&str> {
    input.rows.iter().map(|r| text(r, "code")).collect()
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

// ---- CSV: quoting, line ends, BOM ----

#[test]
fn quoted_cells_keep_commas_quotes_and_newlines() {
    let input = read_ok("quoted.csv");
    assert_eq!(codes(&input), ["LT100", "LT101", "LT102", "LT103", "LT104"]);
    let rows = &input.rows;
    assert_eq!(text(&rows[0], "name"), "Elektra, UAB");
    assert_eq!(text(&rows[1], "name"), "UAB \"Šviesa\"");
    assert_eq!(
        text(&rows[1], "notes"),
        "first line\nsecond line, with a comma\nthird \"quoted\" line"
    );
    assert_eq!(text(&rows[2], "city"), "Klaipėda");
    assert_eq!(text(&rows[2], "notes"), "");
    assert_eq!(text(&rows[3], "name"), "Two\n\nblank-line name");
    assert_eq!(text(&rows[3], "notes"), "a,b;c");
    // Rows after multi-line cells still name the line they start on.
    assert_eq!(lines(&input), [2, 3, 6, 7, 10]);
    assert_eq!(
        input.columns_seen,
        strings(&["code", "name", "city", "notes"])
    );
    assert!(input.ignored.is_empty());
}

#[test]
fn a_utf8_bom_is_dropped() {
    assert!(bytes("bom.csv").starts_with(b"\xEF\xBB\xBF"));
    let input = read_ok("bom.csv");
    assert_eq!(input.columns_seen, strings(&["code", "name"]));
    assert!(input.ignored.is_empty(), "{:?}", input.ignored);
    assert_eq!(codes(&input), ["LT200"]);
    assert_eq!(input.rows[0].line, 2);
}

#[test]
fn crlf_line_ends_are_fine() {
    assert!(bytes("crlf.csv").windows(2).any(|w| w == b"\r\n"));
    let input = read_ok("crlf.csv");
    assert_eq!(codes(&input), ["LT300", "LT301"]);
    assert_eq!(text(&input.rows[0], "name"), "Crlf UAB");
    // Inside quotes the line end is the cell's own text, passed as it is.
    assert_eq!(text(&input.rows[0], "notes"), "one\r\ntwo");
    assert_eq!(text(&input.rows[1], "notes"), "");
    assert_eq!(lines(&input), [2, 4]);
}

#[test]
fn a_missing_final_newline_is_fine() {
    assert!(!bytes("no_final_newline.csv").ends_with(b"\n"));
    let input = read_ok("no_final_newline.csv");
    assert_eq!(codes(&input), ["LT400", "LT401"]);
    assert_eq!(text(&input.rows[1], "name"), "No final newline");
    assert_eq!(lines(&input), [2, 3]);
}

#[test]
fn lone_cr_line_ends_count_as_lines() {
    let input = read(
        "mac.csv",
        b"code,name\rLT1,A\rLT2,\"B\rC\"\rLT3,D",
        &ReadOptions::default(),
        Member::fields(),
        NESTED,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(codes(&input), ["LT1", "LT2", "LT3"]);
    assert_eq!(lines(&input), [2, 3, 5]);
}

#[test]
fn a_quote_never_closed_is_refused_where_it_opens() {
    // The open quote would swallow the last rows into one cell that still
    // fills the header's columns; it must not pass as one long name.
    let e = read(
        "open.csv",
        b"code,notes\nLT1,fine\nLT2,\"open\nLT3,lost\nLT4,lost\n",
        &ReadOptions::default(),
        Member::fields(),
        NESTED,
    )
    .expect_err("open quote");
    assert_eq!(
        e.to_string(),
        "open.csv:3: a quote opened here is never closed (the rest of the file would be one cell)"
    );
}

// ---- encodings ----

#[test]
fn windows_1257_is_read_with_its_encoding() {
    let raw = bytes("windows1257.csv");
    assert!(
        raw.windows(8)
            .any(|w| w == [0xD0, 0x69, 0x61, 0x75, 0x6C, 0x69, 0x61, 0x69])
    );
    for label in ["windows-1257", "iso-8859-13"] {
        let opts = ReadOptions {
            encoding: encoding_by_label(label),
            ..ReadOptions::default()
        };
        let input = read_with("windows1257.csv", &opts).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(codes(&input), ["LT500", "LT501"], "{label}");
        assert_eq!(text(&input.rows[1], "name"), "Įmonė", "{label}");
        assert_eq!(text(&input.rows[1], "city"), "Šiauliai", "{label}");
        assert_eq!(input.rows[1].line, 3);
    }
}

#[test]
fn bytes_that_are_not_utf8_are_refused_with_their_line() {
    let expected = "windows1257.csv:3: not valid UTF-8 (byte 0xC1); \
                    if this is an old Baltic Excel export, try --encoding windows-1257";
    assert_eq!(
        read_err("windows1257.csv", &ReadOptions::default()),
        expected
    );
    // Saying the file is UTF-8 does not make it so.
    let utf8 = ReadOptions {
        encoding: encoding_by_label("UTF-8"),
        ..ReadOptions::default()
    };
    assert_eq!(read_err("windows1257.csv", &utf8), expected);
    let e = read(
        "members.csv",
        b"code\nLT1\nLT2\n\xE0\n",
        &ReadOptions::default(),
        Member::fields(),
        NESTED,
    )
    .expect_err("not UTF-8");
    assert_eq!(e.line, Some(4));
    assert_eq!(
        e.to_string(),
        "members.csv:4: not valid UTF-8 (byte 0xE0); if this is an old Baltic Excel export, try --encoding windows-1257"
    );
}

#[test]
fn a_byte_the_chosen_encoding_lacks_is_refused() {
    // 0xA1 has no character in windows-1257.
    let opts = ReadOptions {
        encoding: encoding_by_label("windows-1257"),
        ..ReadOptions::default()
    };
    let e = read(
        "old.csv",
        b"code,name\nLT1,\xA1\n",
        &opts,
        Member::fields(),
        NESTED,
    )
    .expect_err("undefined byte");
    assert_eq!(e.line, Some(2));
    assert!(e.reason.contains("0xA1"), "{e}");
}

#[test]
fn utf16_and_workbooks_are_named_not_guessed() {
    let utf16 = read(
        "u.csv",
        b"\xFF\xFEc\0o\0",
        &ReadOptions::default(),
        Member::fields(),
        NESTED,
    )
    .expect_err("UTF-16");
    assert!(utf16.to_string().contains("UTF-16"), "{utf16}");
    let xlsx = read(
        "m.xlsx",
        b"PK\x03\x04rest",
        &ReadOptions::default(),
        Member::fields(),
        NESTED,
    )
    .expect_err("zip");
    assert!(xlsx.to_string().contains("Excel workbook"), "{xlsx}");
}

#[test]
fn encoding_labels_are_exactly_the_three() {
    assert_eq!(
        encoding_by_label("windows-1257"),
        Some(encoding_rs::WINDOWS_1257)
    );
    assert_eq!(
        encoding_by_label("WINDOWS-1257"),
        Some(encoding_rs::WINDOWS_1257)
    );
    assert_eq!(
        encoding_by_label("iso-8859-13"),
        Some(encoding_rs::ISO_8859_13)
    );
    assert_eq!(encoding_by_label("Utf-8"), Some(encoding_rs::UTF_8));
    for other in ["latin1", "cp1257", "utf8", "windows-1252", ""] {
        assert_eq!(encoding_by_label(other), None, "{other}");
    }
}

// ---- delimiters ----

#[test]
fn semicolon_is_sniffed() {
    let input = read_ok("semicolon.csv");
    assert_eq!(codes(&input), ["LT600", "LT601"]);
    // A comma inside a `;` file is part of the cell (here: two list items).
    assert_eq!(text(&input.rows[0], "areas"), "smart-city,smart-grid");
    assert_eq!(text(&input.rows[0], "city"), "Vilnius; centras");
    assert_eq!(text(&input.rows[1], "areas"), "");
}

#[test]
fn tab_is_sniffed() {
    let input = read_ok("tab.csv");
    assert_eq!(codes(&input), ["LT700", "LT701"]);
    assert_eq!(text(&input.rows[0], "name"), "Tab, Comma; Semicolon");
    assert_eq!(text(&input.rows[1], "city"), "Alytus");
}

#[test]
fn a_given_delimiter_wins_over_sniffing() {
    let opts = ReadOptions {
        delimiter: Some(b','),
        ..ReadOptions::default()
    };
    // Split at commas, the semicolon header is one unknown column.
    let input = read(
        "x.csv",
        b"code;name\nLT1;A\n",
        &opts,
        Member::fields(),
        NESTED,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(input.ignored, strings(&["code;name"]));
    assert!(input.columns_seen.is_empty());
}

// ---- columns: mapping, unknown, duplicates ----

#[test]
fn lithuanian_headers_are_mapped() {
    let opts = mapped(&[("code", "Įmonės kodas"), ("name", "Pavadinimas")]);
    let input = read_with("lithuanian_headers.csv", &opts).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(codes(&input), ["300111222", "300333444"]);
    assert_eq!(text(&input.rows[0], "name"), "Švyturys UAB");
    assert_eq!(text(&input.rows[1], "city"), "Vilnius");
    assert_eq!(input.columns_seen, strings(&["code", "name", "city"]));
    assert_eq!(input.ignored, strings(&["Darbuotojų skaičius"]));
    assert_eq!(lines(&input), [2, 3]);
    // Field names and columns match in any case.
    let loud = mapped(&[("CODE", "įmonės KODAS"), ("Name", "pavadinimas")]);
    let again = read_with("lithuanian_headers.csv", &loud).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(again.rows, input.rows);
}

#[test]
fn without_a_map_foreign_headers_are_ignored_not_dropped_silently() {
    let input = read_ok("lithuanian_headers.csv");
    assert_eq!(
        input.ignored,
        strings(&["Įmonės kodas", "Pavadinimas", "Darbuotojų skaičius"])
    );
    assert_eq!(input.columns_seen, strings(&["city"]));
    assert_eq!(input.rows.len(), 2);
}

#[test]
fn a_map_to_a_missing_column_or_an_unknown_field_is_an_error() {
    let missing = read_err(
        "lithuanian_headers.csv",
        &mapped(&[("code", "Įmonės kodas"), ("name", "Pavadinimas UAB")]),
    );
    assert!(
        missing.starts_with(
            "lithuanian_headers.csv: --map name=\"Pavadinimas UAB\": the header has no column \"Pavadinimas UAB\""
        ),
        "{missing}"
    );
    assert!(missing.contains("\"Darbuotojų skaičius\""), "{missing}");
    let unknown = read_err(
        "lithuanian_headers.csv",
        &mapped(&[("kodas", "Įmonės kodas")]),
    );
    assert!(unknown.contains("\"kodas\" is not a field"), "{unknown}");
    assert!(unknown.contains("code, name, sector"), "{unknown}");
    let twice = read_err(
        "lithuanian_headers.csv",
        &mapped(&[("name", "Pavadinimas"), ("name", "city")]),
    );
    assert!(twice.contains("gives name twice"), "{twice}");
    let shared = read_err(
        "lithuanian_headers.csv",
        &mapped(&[("name", "Pavadinimas"), ("notes", "pavadinimas")]),
    );
    assert!(shared.contains("to both name and notes"), "{shared}");
}

#[test]
fn a_mapped_field_leaves_its_own_column_ignored() {
    let csv = "code,name,Pavadinimas\nLT1,Old name,Naujas vardas\n";
    let opts = mapped(&[("name", "Pavadinimas")]);
    let input = read("m.csv", csv.as_bytes(), &opts, Member::fields(), NESTED)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(text(&input.rows[0], "name"), "Naujas vardas");
    assert_eq!(input.rows[0].fields.len(), 2);
    assert_eq!(input.ignored, strings(&["name"]));
}

#[test]
fn two_columns_for_one_field_are_an_error() {
    let e = read(
        "dup.csv",
        b"code,name,Name\nLT1,a,b\n",
        &ReadOptions::default(),
        Member::fields(),
        NESTED,
    )
    .expect_err("two name columns");
    assert_eq!(
        e.to_string(),
        "dup.csv:1: columns 2 (\"name\") and 3 (\"Name\") both give name; keep one, or --map name=COLUMN to choose"
    );
}

#[test]
fn unknown_columns_are_reported_once_in_order() {
    let input = read_ok("unknown_columns.csv");
    // `Fax` and `fax ` (trimmed) are one name spelled twice, reported by the
    // first spelling... and `fax` differs in case, so it is its own entry.
    assert_eq!(input.ignored, strings(&["Fax", "fax", "Extra"]));
    assert_eq!(input.columns_seen, strings(&["code", "name"]));
    assert_eq!(input.rows[0].fields.len(), 2);
    assert_eq!(text(&input.rows[1], "name"), "Du");
}

#[test]
fn the_id_column_is_the_id() {
    let csv = "ID,code\n0190c5a0-0000-7000-8000-000000000001,LT1\n  ,LT2\n";
    let input = read(
        "ids.csv",
        csv.as_bytes(),
        &ReadOptions::default(),
        Member::fields(),
        NESTED,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        input.rows[0].id.as_deref(),
        Some("0190c5a0-0000-7000-8000-000000000001")
    );
    assert_eq!(input.rows[1].id, None);
    assert_eq!(input.columns_seen, strings(&["code"]));
    assert!(input.ignored.is_empty());
}

#[test]
fn nested_names_are_not_csv_columns() {
    let input = read(
        "n.csv",
        b"code,contacts\nLT1,x\n",
        &ReadOptions::default(),
        Member::fields(),
        NESTED,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(input.ignored, strings(&["contacts"]));
    assert!(input.rows[0].nested.is_empty());
}

// ---- empty, header only, broken rows ----

#[test]
fn an_empty_file_has_no_rows() {
    assert!(bytes("empty.csv").is_empty());
    assert_eq!(read_ok("empty.csv"), RawInput::default());
    for (name, raw) in [
        ("blank.csv", &b"\n\r\n  \n"[..]),
        ("empty.json", b""),
        ("empty.jsonl", b"\n\n"),
        ("none.json", b" [ ]\n"),
        ("-", b""),
    ] {
        let input = read(name, raw, &ReadOptions::default(), Member::fields(), NESTED)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(input.rows.is_empty(), "{name}");
    }
}

#[test]
fn a_header_only_file_has_no_rows_but_its_columns() {
    let input = read_ok("header_only.csv");
    assert!(input.rows.is_empty());
    assert_eq!(input.columns_seen, strings(&["code", "name", "sector"]));
}

#[test]
fn a_row_with_too_many_cells_names_its_line() {
    assert_eq!(
        read_err("too_many_cells.csv", &ReadOptions::default()),
        "too_many_cells.csv:3: this row has 4 cells but the header has 3 cells \
         (a quote left open, or the delimiter inside a cell without quotes?)"
    );
}

#[test]
fn a_short_row_after_a_multiline_cell_names_its_own_line() {
    let csv = "code,name,notes\nLT1,A,\"one\ntwo\nthree\"\nLT2,B\n";
    let e = read(
        "short.csv",
        csv.as_bytes(),
        &ReadOptions::default(),
        Member::fields(),
        NESTED,
    )
    .expect_err("short row");
    assert_eq!(e.line, Some(5), "{e}");
}

#[test]
fn rows_of_empty_cells_are_no_records() {
    let input = read_ok("blank_rows.csv");
    assert_eq!(codes(&input), ["LT960", "LT961"]);
    assert_eq!(lines(&input), [2, 5]);
    // The header's trailing delimiters make unnamed columns, still reported.
    assert_eq!(
        input.ignored,
        strings(&["(column 4, no name)", "(column 5, no name)"])
    );
}

// ---- cell contents passed as they are ----

#[test]
fn a_one_mib_cell_is_read_intact() {
    let big: String = "Ąžuolas, \"medis\"\n"
        .repeat(1024 * 1024 / 18 + 1)
        .chars()
        .take(1024 * 1024)
        .collect();
    assert!(big.len() >= 1024 * 1024);
    let csv = format!(
        "code,notes,name\nLT1,\"{}\",Big\nLT2,small,After\n",
        big.replace('"', "\"\"")
    );
    let input = read(
        "big.csv",
        csv.as_bytes(),
        &ReadOptions::default(),
        Member::fields(),
        NESTED,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(text(&input.rows[0], "notes"), big);
    assert_eq!(text(&input.rows[0], "name"), "Big");
    let newlines = big.matches('\n').count();
    assert_eq!(input.rows[1].line, 3 + newlines);

    let json = serde_json::to_vec(&json!([{ "code": "LT1", "notes": big }]))
        .unwrap_or_else(|e| panic!("{e}"));
    let input = read(
        "big.json",
        &json,
        &ReadOptions::default(),
        Member::fields(),
        NESTED,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(text(&input.rows[0], "notes"), big);
}

#[test]
fn an_escape_character_is_passed_through_for_validation_to_refuse() {
    assert!(bytes("escape.csv").contains(&0x1B));
    let input = read_ok("escape.csv");
    assert_eq!(text(&input.rows[0], "name"), "\u{1b}[31mRed\u{1b}[0m UAB");
    assert_eq!(input.rows[0].line, 2);
}

#[test]
fn names_from_the_file_are_made_safe_in_messages() {
    let e = read(
        "evil.csv",
        b"code,\x1b[2Jname,\x1b[2JNAME\nLT1,a,b\n",
        &ReadOptions::default(),
        Member::fields(),
        NESTED,
    );
    // Unknown columns: kept as the file spells them, for the caller to show safely.
    let input = e.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(input.ignored, strings(&["\u{1b}[2Jname", "\u{1b}[2JNAME"]));
    let e = read(
        "evil.csv",
        b"code,\x1b[2Jname\nLT1,a\n",
        &mapped(&[("name", "\u{1b}[2Jnam")]),
        Member::fields(),
        NESTED,
    )
    .expect_err("no such column");
    assert!(!e.to_string().contains('\u{1b}'), "{e}");
}

// ---- JSON Lines ----

#[test]
fn jsonl_objects_become_rows() {
    let input = read_ok("members.jsonl");
    assert_eq!(codes(&input), ["LT1000", "LT1001"]);
    assert_eq!(lines(&input), [1, 3]);
    let first = &input.rows[0];
    assert_eq!(
        first.id.as_deref(),
        Some("0190c5a0-0000-7000-8000-000000000001")
    );
    assert_eq!(
        value(first, "areas"),
        Some(&FieldValue::List(strings(&["smart-city", "iot"])))
    );
    assert_eq!(
        value(first, "website"),
        Some(&FieldValue::Scalar(String::new()))
    );
    assert_eq!(
        first.nested,
        vec![(
            "contacts".to_string(),
            json!([{"name": "Ona", "role": "CEO", "email": "ona@example.lt", "phone": ""}])
        )]
    );
    assert_eq!(input.rows[1].id, None);
    assert_eq!(input.ignored, strings(&["employees", "founded"]));
    assert_eq!(
        input.columns_seen,
        strings(&["code", "name", "areas", "website"])
    );
}

#[test]
fn a_bad_jsonl_line_is_named() {
    let e = read_err("bad_line.jsonl", &ReadOptions::default());
    assert!(e.starts_with("bad_line.jsonl:3: invalid JSON: "), "{e}");
    let e = read(
        "x.jsonl",
        b"{\"code\":\"LT1\"}\n[1,2]\n",
        &ReadOptions::default(),
        Member::fields(),
        NESTED,
    )
    .expect_err("array line");
    assert_eq!(
        e.to_string(),
        "x.jsonl:2: expected a JSON object, found an array"
    );
}

// ---- JSON arrays ----

#[test]
fn json_array_rows_carry_the_line_their_object_starts_on() {
    let input = read_ok("members.json");
    assert_eq!(codes(&input), ["LT1200", "LT1201", "LT1202"]);
    assert_eq!(lines(&input), [2, 16, 18]);
    let first = &input.rows[0];
    assert_eq!(text(first, "name"), "Pirmas, UAB");
    assert_eq!(
        first.nested,
        vec![
            (
                "contacts".to_string(),
                json!([
                    {"name": "Jonas", "role": "CEO", "email": "jonas@example.lt", "phone": "+370 600 00000"},
                    {"name": "Ona", "role": "", "email": "", "phone": ""}
                ])
            ),
            (
                "status_history".to_string(),
                json!([{"date": "2012-03-04", "status": "active"}])
            ),
        ]
    );
    let second = &input.rows[1];
    assert_eq!(
        value(second, "sector"),
        Some(&FieldValue::Scalar(String::new()))
    );
    assert_eq!(value(second, "areas"), Some(&FieldValue::List(Vec::new())));
    assert_eq!(second.nested, vec![("contacts".to_string(), json!([]))]);
    assert_eq!(text(&input.rows[2], "name"), "Trečias\nantra eilutė");
    assert_eq!(input.ignored, strings(&["unknown_key", "employees"]));
}

#[test]
fn a_json_syntax_error_names_the_line_in_the_file() {
    let e = read_with("bad_item.json", &ReadOptions::default()).expect_err("bad item");
    assert_eq!(e.line, Some(4), "{e}");
    assert!(e.reason.starts_with("invalid JSON: "), "{e}");
}

#[test]
fn json_that_is_not_an_array_of_objects_is_refused() {
    let cases: [(&str, &[u8], usize, &str); 5] = [
        ("a.json", b"{\"code\":\"LT1\"}", 1, "--format jsonl"),
        (
            "b.json",
            b"[\n{\"code\":\"LT1\"},\n\"text\"\n]",
            3,
            "found text",
        ),
        (
            "c.json",
            b"[\n{\"code\":\"LT1\"},\n]",
            3,
            "a comma before ]",
        ),
        ("d.json", b"[\n{\"code\":\"LT1\"}\n", 3, "not closed"),
        ("e.json", b"[{\"code\":\"LT1\"}]\n]", 2, "after the array"),
    ];
    for (name, raw, line, says) in cases {
        let e = read(name, raw, &ReadOptions::default(), Member::fields(), NESTED).expect_err(name);
        assert_eq!(e.line, Some(line), "{e}");
        assert!(e.reason.contains(says), "{e}");
    }
}

#[test]
fn json_values_of_the_wrong_shape_name_their_field() {
    let e = read(
        "x.jsonl",
        b"{\"code\":\"LT1\"}\n{\"code\":\"LT2\",\"name\":{\"lt\":\"x\"}}\n",
        &ReadOptions::default(),
        Member::fields(),
        NESTED,
    )
    .expect_err("object for name");
    assert_eq!(
        e.to_string(),
        "x.jsonl:2: name: expected text or a list of text, found an object"
    );
    let e = read(
        "y.jsonl",
        b"{\"code\":\"LT1\",\"areas\":[\"a\",[\"b\"]]}\n",
        &ReadOptions::default(),
        Member::fields(),
        NESTED,
    )
    .expect_err("nested list");
    assert_eq!(
        e.to_string(),
        "y.jsonl:1: areas: expected a list of text, found an array"
    );
}

#[test]
fn json_numbers_and_booleans_are_their_text() {
    let input = read(
        "n.jsonl",
        b"{\"code\":300111222,\"name\":true,\"phone\":1.5e3}\n",
        &ReadOptions::default(),
        Member::fields(),
        NESTED,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(text(&input.rows[0], "code"), "300111222");
    assert_eq!(text(&input.rows[0], "name"), "true");
    assert_eq!(text(&input.rows[0], "phone"), "1500.0");
}

#[test]
fn json_keys_are_mapped_too() {
    let opts = mapped(&[("code", "Įmonės kodas")]);
    let input = read(
        "m.jsonl",
        "{\"Įmonės kodas\":\"LT1\",\"code\":\"other\"}\n".as_bytes(),
        &opts,
        Member::fields(),
        NESTED,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(codes(&input), ["LT1"]);
    assert_eq!(input.ignored, strings(&["code"]));
    let e = read(
        "m.jsonl",
        b"{\"code\":\"LT1\"}\n",
        &opts,
        Member::fields(),
        NESTED,
    )
    .expect_err("key never met");
    assert!(e.to_string().contains("no object has the key"), "{e}");
}

// ---- formats ----

#[test]
fn the_format_comes_from_the_option_the_extension_or_the_first_character() {
    assert_eq!(InputFormat::from_path("a/b.CSV"), Some(InputFormat::Csv));
    assert_eq!(InputFormat::from_path("b.ndjson"), Some(InputFormat::Jsonl));
    assert_eq!(InputFormat::from_path("b.jsonl"), Some(InputFormat::Jsonl));
    assert_eq!(InputFormat::from_path("b.json"), Some(InputFormat::Json));
    assert_eq!(InputFormat::from_path("-"), None);
    assert_eq!(InputFormat::from_path("dir.json/file"), None);
    assert_eq!(InputFormat::parse("NDJSON"), Some(InputFormat::Jsonl));
    let jsonl = b"\xEF\xBB\xBF\n{\"code\":\"LT1\"}\n{\"code\":\"LT2\"}\n";
    let json = b"  [{\"code\":\"LT1\"}]";
    let csv = b"code\nLT1\n";
    for (raw, rows) in [(&jsonl[..], 2), (&json[..], 1), (&csv[..], 1)] {
        let input = read("-", raw, &ReadOptions::default(), Member::fields(), NESTED)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(input.rows.len(), rows);
    }
    // The option wins over the extension.
    let opts = ReadOptions {
        format: Some(InputFormat::Jsonl),
        ..ReadOptions::default()
    };
    let input = read(
        "x.csv",
        b"{\"code\":\"LT1\"}\n",
        &opts,
        Member::fields(),
        NESTED,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(codes(&input), ["LT1"]);
}

#[test]
fn errors_read_file_line_reason() {
    let with = ReadError {
        file: "members.csv".into(),
        line: Some(17),
        reason: "joined: bad".into(),
    };
    assert_eq!(with.to_string(), "members.csv:17: joined: bad");
    let without = ReadError { line: None, ..with };
    assert_eq!(without.to_string(), "members.csv: joined: bad");
}

#[test]
fn read_each_hands_over_the_rows_read_keeps() {
    for name in ["quoted.csv", "members.jsonl", "members.json"] {
        let whole = read_ok(name);
        let mut rows = Vec::new();
        let rest = read_each(
            name,
            &bytes(name),
            &ReadOptions::default(),
            Member::fields(),
            NESTED,
            &mut |row| rows.push(row),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert!(rest.rows.is_empty());
        assert_eq!(rows, whole.rows, "{name}");
        assert_eq!(rest.ignored, whole.ignored, "{name}");
        assert_eq!(rest.columns_seen, whole.columns_seen, "{name}");
    }
}

// ---- the export side's output reads back ----

fn sample_member() -> Member {
    let mut m = Member::empty(Uuid::now_v7());
    for (field, value) in [
        ("code", "LT42"),
        ("name", "UAB \"Ąžuolas, ir Ko\""),
        ("sector", "ict"),
        ("areas", "smart-city;smart-grid"),
        ("city", "Šiauliai"),
        ("contact_name", "Jonas Jonaitis"),
        ("contact_email", "jonas@example.lt"),
        (
            "notes",
            "Pirma eilutė\nantra, su kableliu; ir \"kabutėmis\"",
        ),
    ] {
        m.set_text(field, value)
            .unwrap_or_else(|e| panic!("{field}: {e}"));
    }
    m.contacts.push(Contact {
        name: "Ona".into(),
        role: "CFO".into(),
        ..Contact::default()
    });
    m
}

#[test]
fn what_export_writes_as_csv_reads_back() {
    let records = vec![sample_member(), sample_member()];
    let mut out = Vec::new();
    clusterdesk::io::csv::write(&mut out, records.clone()).unwrap_or_else(|e| panic!("{e}"));
    let input = read(
        "export.csv",
        &out,
        &ReadOptions::default(),
        Member::fields(),
        NESTED,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(input.ignored.is_empty(), "{:?}", input.ignored);
    let names: Vec<&str> = Member::fields().iter().map(|f| f.name).collect();
    assert_eq!(input.columns_seen, strings(&names));
    assert_eq!(lines(&input), [2, 4]);
    for (row, record) in input.rows.iter().zip(&records) {
        assert_eq!(row.id, Some(record.id().to_string()));
        for spec in Member::fields() {
            let exported = record
                .get(spec.name)
                .map(|v| v.to_text())
                .unwrap_or_default();
            assert_eq!(text(row, spec.name), exported, "{}", spec.name);
        }
    }
}

#[test]
fn what_export_writes_as_json_reads_back() {
    let record = sample_member();
    for format in [InputFormat::Json, InputFormat::Jsonl] {
        let mut out = Vec::new();
        let written = match format {
            InputFormat::Json => clusterdesk::io::json::write_array(&mut out, [record.clone()]),
            _ => clusterdesk::io::json::write_lines(&mut out, [record.clone()]),
        };
        written.unwrap_or_else(|e| panic!("{e}"));
        let opts = ReadOptions {
            format: Some(format),
            ..ReadOptions::default()
        };
        let input =
            read("export", &out, &opts, Member::fields(), NESTED).unwrap_or_else(|e| panic!("{e}"));
        assert!(input.ignored.is_empty(), "{:?}", input.ignored);
        let row = &input.rows[0];
        assert_eq!(row.id, Some(record.id().to_string()));
        assert_eq!(text(row, "name"), record.name);
        assert_eq!(
            value(row, "areas"),
            Some(&FieldValue::List(record.areas.clone()))
        );
        assert_eq!(text(row, "notes"), record.notes);
        // Nested parts come in the file's (the struct's) order.
        let mut nested: Vec<(String, serde_json::Value)> = record
            .nested()
            .into_iter()
            .map(|(n, v)| (n.to_string(), v))
            .collect();
        let mut read_back = row.nested.clone();
        nested.sort_by(|a, b| a.0.cmp(&b.0));
        read_back.sort_by(|a, b| a.0.cmp(&b.0));
        assert_eq!(read_back, nested);
    }
}

// ---- the shared sample ----

#[test]
fn the_shared_1k_member_sample_reads_whole() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/members-1k.csv");
    let Ok(raw) = std::fs::read(&path) else {
        println!(
            "note: {} is absent (shared/ is not beside the repo); skipping",
            path.display()
        );
        return;
    };
    let input = read(
        "members-1k.csv",
        &raw,
        &ReadOptions::default(),
        Member::fields(),
        NESTED,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(input.rows.len(), 1000);
    assert!(input.ignored.is_empty(), "{:?}", input.ignored);
    for row in &input.rows {
        assert!(!text(row, "code").is_empty(), "line {}", row.line);
        assert!(!text(row, "name").is_empty(), "line {}", row.line);
    }
    assert_eq!(input.rows[0].line, 2);
    assert!(input.rows.windows(2).all(|w| w[0].line < w[1].line));
    // Each row starts on the line after the previous row's last line.
    let total_lines = raw.iter().filter(|&&b| b == b'\n').count();
    let last = &input.rows[999];
    let last_lines = 1 + last
        .fields
        .iter()
        .map(|(_, v)| v.to_text().matches('\n').count())
        .sum::<usize>();
    assert_eq!(last.line + last_lines - 1, total_lines);
}
