//! Messages that quote user input never hand the terminal a control
//! character (issue 9, finding 6). A corpus of hostile strings (escape
//! sequences, C1 controls, BEL, bidi and invisible characters) is driven
//! through every error path of the real binary: keys of every collection
//! for show/rm/set/edit, field values and names for add, import's file
//! path, header and rows, keymap check's path and sections, load's path and
//! contents, clap's own errors, and the `#!` lines of a reopened edit form.
//! Stderr may carry `\n` and nothing else below U+0020, and shows each
//! hostile character as a visible escape (`\u{1b}`) instead.

use crate::fixtures::desk;

use std::os::unix::fs::PermissionsExt;

use desk::Desk;

/// ESC sequences (a title change, a clear, a colour), 8-bit CSI, NEL, BEL,
/// a right-to-left override, an Arabic letter mark, a left-to-right mark, a
/// tab and a carriage return. (NUL cannot be passed in argv.)
const HOSTILE: [&str; 10] = [
    "\x1b]0;PWNED\x07",
    "\x1b[2J",
    "\x1b[31m",
    "\u{9b}2J",
    "\u{85}",
    "\x07",
    "\u{202e}",
    "\u{61c}",
    "\u{200e}",
    "\t\r",
];

/// What must never reach a terminal raw.
fn forbidden(c: char) -> bool {
    (c.is_control() && c != '\n')
        || matches!(
            c,
            '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        )
}

/// `text` as a message shows it: each forbidden character as `\u{..}`.
fn shown(text: &str) -> String {
    text.chars()
        .map(|c| {
            if forbidden(c) || c == '\n' {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// Checks bytes meant for a terminal: UTF-8, no forbidden character.
#[track_caller]
fn assert_clean(what: &str, bytes: &[u8]) -> String {
    let text =
        String::from_utf8(bytes.to_vec()).unwrap_or_else(|e| panic!("{what}: not UTF-8: {e}"));
    if let Some(c) = text.chars().find(|&c| forbidden(c)) {
        panic!("{what}: U+{:04X} reaches the terminal: {text:?}", c as u32);
    }
    text
}

/// Runs the binary with `args`, which must fail; its stderr must be clean
/// and show `needle` (the hostile string, escaped) so the user sees it.
#[track_caller]
fn refused(d: &Desk, args: &[&str], needle: &str) -> String {
    let out = d.cmd().args(args).assert().failure().get_output().clone();
    let what = format!("{args:?}");
    let err = assert_clean(&what, &out.stderr);
    assert_clean(&format!("{what} (stdout)"), &out.stdout);
    let want = shown(needle);
    assert!(err.contains(&want), "{what}: {want:?} not in {err:?}");
    err
}

/// A store with one record in each collection.
fn desk() -> Desk {
    let d = Desk::new();
    d.ok(&[
        "add",
        "members",
        "code=LT1",
        "name=UAB Šviesa",
        "sector=ict",
    ]);
    d
}

#[test]
fn keys_of_every_collection_are_escaped_in_show_rm_set_and_edit() {
    let d = desk();
    for h in HOSTILE {
        for (collection, key) in [
            ("members", format!("LT{h}1")),
            ("indicators", format!("L{h}T1/2024")),
            ("news", format!("news{h}x")),
            ("meetings", format!("meeting{h}x")),
        ] {
            // Member codes (and so indicator keys) are looked up upper-cased.
            let named = if collection == "news" || collection == "meetings" {
                key.clone()
            } else {
                key.to_ascii_uppercase()
            };
            refused(&d, &["show", collection, &key], &named);
            refused(&d, &["rm", collection, &key], &named);
            refused(&d, &["set", collection, &key, "title=x"], &named);
            refused(&d, &["edit", collection, &key], &named);
        }
    }
}

#[test]
fn field_values_and_names_are_escaped_in_add_and_set() {
    let d = desk();
    for h in HOSTILE {
        // A member code is quoted back in its error.
        let code = format!("L{h}T");
        let err = refused(
            &d,
            &["add", "members", &format!("code={code}"), "name=x"],
            &code,
        );
        assert!(err.contains("is not a member code"), "{err}");
        // An unknown field is named.
        let field = format!("na{h}me");
        refused(
            &d,
            &["add", "members", "code=LT2", &format!("{field}=x")],
            &field,
        );
        refused(
            &d,
            &["set", "members", "LT1", &format!("{field}=x")],
            &field,
        );
        // A value of a fixed list is quoted.
        let sector = format!("ic{h}t");
        refused(
            &d,
            &["set", "members", "LT1", &format!("sector={sector}")],
            &sector,
        );
        // Values that are refused for their characters say where, and
        // never echo them.
        let out = d
            .cmd()
            .args(["set", "members", "LT1", &format!("name=UAB {h}")])
            .assert()
            .code(65)
            .get_output()
            .clone();
        assert_clean("set name", &out.stderr);
        // A member that does not exist, named in a list.
        let attendee = format!("LT{h}9");
        // (a `;` in the sequence separates list items)
        let first = attendee.split([',', ';']).next().unwrap_or_default();
        refused(
            &d,
            &[
                "add",
                "meetings",
                "title=Susitikimas",
                "date=2024-01-01",
                &format!("attendees={attendee}"),
            ],
            first,
        );
    }
}

#[test]
fn a_key_named_twice_is_escaped_too() {
    let d = desk();
    let key = "LT\u{1b}[2J";
    let err = refused(&d, &["rm", "members", key, key], key);
    assert!(err.contains("named twice"), "{err}");
}

#[test]
fn import_paths_headers_and_rows_are_escaped() {
    let d = desk();
    for (i, h) in HOSTILE.iter().enumerate() {
        let name = format!("m{i}{h}.csv");
        let column = format!("x{h}y");
        // An unknown column is reported on a run that succeeds.
        d.file(
            &name,
            format!("code,name,sector,\"{column}\"\nLT5{i},UAB A,ict,1\n"),
        );
        let out = d
            .cmd()
            .args(["import", "members", &name])
            .assert()
            .success()
            .get_output()
            .clone();
        let err = assert_clean("import with an unknown column", &out.stderr);
        assert!(err.contains(&shown(&name)), "{err}");
        assert!(err.contains(&shown(&column)), "{err}");
        // A bad row names the file, and the value of a fixed list.
        let sector = format!("ic{h}t");
        d.file(
            &name,
            format!("code,name,sector\nLT6{i},UAB B,\"{sector}\"\n"),
        );
        let err = refused(&d, &["import", "members", &name], &name);
        assert!(err.contains(&shown(&sector)), "{err}");
        refused(&d, &["import", "members", &name, "--dry-run"], &name);
        // A file that is not there.
        let missing = format!("nope{h}.csv");
        refused(&d, &["import", "members", &missing], &missing);
        // JSON Lines with a hostile field name.
        let json = format!("j{i}{h}.jsonl");
        d.file(
            &json,
            format!("{{\"code\":\"LT7{i}\",\"x\\u001b]0;t\\u0007\":1}}\n"),
        );
        let out = d
            .cmd()
            .args(["import", "members", &json])
            .assert()
            .failure()
            .get_output()
            .clone();
        let err = assert_clean("import jsonl", &out.stderr);
        assert!(err.contains(&shown(&json)), "{err}");
    }
}

#[test]
fn keymap_check_paths_and_sections_are_escaped() {
    let d = desk();
    for (i, h) in HOSTILE.iter().enumerate() {
        let name = format!("k{i}{h}.toml");
        let section = format!("nor{h}mal");
        let quoted: String = section
            .chars()
            .flat_map(|c| {
                if c.is_ascii_alphanumeric() {
                    vec![c]
                } else {
                    format!("\\u{:04X}", c as u32).chars().collect()
                }
            })
            .collect();
        d.file(&name, format!("[\"{quoted}\"]\nprepend_keymap = []\n"));
        let err = refused(&d, &["keymap", "check", &name], &name);
        assert!(err.contains(&shown(&section)), "{err}");
        let missing = format!("none{h}.toml");
        refused(&d, &["keymap", "check", &missing], &missing);
        // A good keymap under a hostile name: the "ok" line on stdout.
        d.file(&name, "[normal]\nprepend_keymap = []\n");
        let out = d
            .cmd()
            .args(["keymap", "check", &name])
            .assert()
            .success()
            .get_output()
            .clone();
        let text = assert_clean("keymap check ok (stdout)", &out.stdout);
        assert!(text.contains(&shown(&name)), "{text}");
    }
}

#[test]
fn load_paths_and_contents_are_escaped() {
    let d = desk();
    let dump = d.ok(&["dump"]).0;
    for (i, h) in HOSTILE.iter().enumerate() {
        let other = d.path(&format!("restored{i}"));
        let missing = format!("none{h}.jsonl");
        let out = d
            .cmd_on(&other)
            .args(["load", &missing])
            .assert()
            .code(66)
            .get_output()
            .clone();
        let err = assert_clean("load of a missing file", &out.stderr);
        assert!(err.contains(&shown(&missing)), "{err}");
        // A dump under a hostile name, whose history names a hostile author.
        let name = format!("d{i}{h}.jsonl");
        let broken: String = dump
            .lines()
            .map(|line| {
                let mut v: serde_json::Value =
                    serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}"));
                if let Some(entry) = v.get_mut("history") {
                    entry["who"] = "\u{1b}]0;pwn\u{7}".into();
                }
                format!("{v}\n")
            })
            .collect();
        assert_ne!(broken, dump, "the dump names its author");
        d.file(&name, broken);
        let out = d
            .cmd_on(&other)
            .args(["load", &name])
            .assert()
            .code(65)
            .get_output()
            .clone();
        let err = assert_clean("load", &out.stderr);
        assert!(err.contains(&shown(&name)), "{err}");
        assert!(err.contains("history who"), "{err}");
        // A line that is no JSON, holding raw controls.
        d.file(
            &name,
            format!("{}{h}garbage\x1b[2J\n", dump.lines().next().unwrap_or("")),
        );
        let out = d
            .cmd_on(&other)
            .args(["load", &name])
            .assert()
            .code(65)
            .get_output()
            .clone();
        assert_clean("load garbage", &out.stderr);
    }
}

#[test]
fn clap_errors_show_what_was_typed_escaped() {
    let d = desk();
    for h in HOSTILE {
        let flag = format!("--b{h}");
        let err = refused(&d, &[&flag], &flag);
        assert!(err.starts_with("error: "), "{err}");
        let sub = format!("sh{h}ow");
        refused(&d, &[&sub], &sub);
        let collection = format!("mem{h}bers");
        refused(&d, &["show", &collection, "LT1"], &collection);
        let value = format!("tab{h}le");
        refused(&d, &["list", "members", "--format", &value], &value);
    }
    // Usage errors keep clap's exit code; help and --version still work.
    d.cmd().arg("--b\u{1b}").assert().code(2);
    let out = d
        .cmd()
        .arg("--help")
        .assert()
        .success()
        .get_output()
        .clone();
    assert!(String::from_utf8_lossy(&out.stdout).contains("Usage:"));
    assert!(out.stderr.is_empty());
    d.cmd().arg("--version").assert().success();
}

#[test]
fn the_reopened_edit_form_escapes_its_error_lines() {
    let d = desk();
    // The first call puts an unknown field (its name written with TOML
    // escapes) and a raw escape sequence in a value on top of the form;
    // later calls keep a copy of what they get and save nothing.
    let script = d.path("editor.sh");
    let count = d.path("count");
    let seen = d.path("seen");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nset -e\n\
             n=$(cat '{count}' 2>/dev/null || echo 0); n=$((n + 1)); echo $n > '{count}'\n\
             if [ $n = 1 ]; then\n\
             {{ printf '\"na\\\\u001b]0;PWNED\\\\u0007me\" = \"x\"\\n'; cat \"$1\"; }} > \"$1.new\"\n\
             mv \"$1.new\" \"$1\"\n\
             else cp \"$1\" '{seen}'; fi\n",
            count = count.display(),
            seen = seen.display()
        ),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755))
        .unwrap_or_else(|e| panic!("{e}"));
    let out = d
        .cmd()
        .env("EDITOR", &script)
        .args(["edit", "members", "LT1"])
        .assert()
        .code(65)
        .get_output()
        .clone();
    let err = assert_clean("edit abandoned", &out.stderr);
    let name = "na\u{1b}]0;PWNED\u{7}me";
    assert!(err.contains(&shown(name)), "{err}");
    let form = std::fs::read(&seen).unwrap_or_else(|e| panic!("the reopened form: {e}"));
    let form = assert_clean("the reopened form", &form);
    let errors: Vec<&str> = form.lines().filter(|l| l.starts_with("#! ")).collect();
    assert!(
        errors.iter().any(|l| l.contains(&shown(name))),
        "{errors:?}"
    );

    // A raw escape typed into a value: TOML's error quotes the line; the
    // `#!` lines show it escaped (the body below is the user's own text).
    std::fs::remove_file(&count).unwrap_or_else(|e| panic!("{e}"));
    let raw = std::fs::read_to_string(&script)
        .unwrap_or_else(|e| panic!("{e}"))
        .replace(
            "printf '\"na\\\\u001b]0;PWNED\\\\u0007me\" = \"x\"\\n'",
            "printf 'city = \"K\\033]0;PWNED\\007\"\\n'",
        );
    std::fs::write(&script, raw).unwrap_or_else(|e| panic!("{e}"));
    let out = d
        .cmd()
        .env("EDITOR", &script)
        .args(["edit", "members", "LT1"])
        .assert()
        .code(65)
        .get_output()
        .clone();
    assert_clean("edit with a raw escape", &out.stderr);
    let form = String::from_utf8(std::fs::read(&seen).unwrap_or_else(|e| panic!("{e}")))
        .unwrap_or_else(|e| panic!("{e}"));
    let marked: String = form
        .lines()
        .filter(|l| l.starts_with("#! "))
        .map(|l| format!("{l}\n"))
        .collect();
    assert!(marked.lines().count() > 2, "{form}");
    assert_clean("the #! lines", marked.as_bytes());
}
