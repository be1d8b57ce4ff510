//! A keymap file is untrusted (issue 9, finding 5): at most 16 keys a
//! sequence, a regular file of at most 1 MiB (exit 66 otherwise, for
//! `keymap check` and the console alike), and a file of 20,000 bindings
//! checked in one pass, its clashes still named. No timing is asserted:
//! `benches/hostile.rs` measures.

use std::path::Path;

use clusterdesk::tui::action::{Action, Mode};
use clusterdesk::tui::keymap::{Keymap, Lookup, MAX_FILE, MAX_SEQUENCE, parse_keys};

/// `[normal]` with `on` as a list of `n` keys `<F1>`, `<F2>`, ... cycling.
fn sequence(n: usize) -> String {
    let keys: Vec<String> = (0..n).map(|i| format!("\"<F{}>\"", i % 12 + 1)).collect();
    format!(
        "[normal]\nprepend_keymap = [\n  {{ on = [{}], run = \"move_down\" }},\n]\n",
        keys.join(", ")
    )
}

/// `n` distinct four-letter sequences (none a prefix of another), one a line
/// from line 3 on.
fn many(n: usize) -> Vec<String> {
    let letters: Vec<char> = ('a'..='z').collect();
    (0..n)
        .map(|i| {
            let keys: Vec<String> = (0..4)
                .map(|d| format!("\"{}\"", letters[i / 26usize.pow(d) % 26]))
                .collect();
            format!("  {{ on = [{}], run = \"move_down\" }},", keys.join(", "))
        })
        .collect()
}

fn file_of(lines: &[String]) -> String {
    format!("[normal]\nprepend_keymap = [\n{}\n]\n", lines.join("\n"))
}

#[test]
fn a_sequence_of_16_keys_binds_and_17_is_refused() {
    assert_eq!(MAX_SEQUENCE, 16);
    let ok = Keymap::from_user_text("k.toml", &sequence(16)).unwrap_or_else(|e| panic!("{e}"));
    let keys: Vec<_> = (0..16)
        .flat_map(|i| parse_keys(&format!("<F{}>", i % 12 + 1)).expect("a key"))
        .collect();
    assert_eq!(
        ok.lookup(Mode::Normal, &keys),
        Lookup::Matched(Action::MoveDown)
    );
    let err = Keymap::from_user_text("k.toml", &sequence(17)).expect_err("17 keys");
    let problems: Vec<String> = err.problems().iter().map(ToString::to_string).collect();
    let shown: Vec<String> = (0..16).map(|i| format!("\"<F{}>\"", i % 12 + 1)).collect();
    assert_eq!(
        problems,
        [format!(
            "k.toml:3: a binding in [normal] of 17 keys (on = [{}, …]): a sequence has at most 16 keys",
            shown.join(", ")
        )]
    );
    // A sequence of 100,000 keys is one problem, not 100,000.
    let err = Keymap::from_user_text("k.toml", &sequence(100_000)).expect_err("too long");
    assert_eq!(err.problems().len(), 1, "{err}");
    assert!(err.to_string().contains("of 100000 keys"), "{err}");
}

#[test]
fn a_large_keymap_loads_and_its_clashes_are_named() {
    let mut lines = many(20_000);
    assert!(Keymap::from_user_text("big.toml", &file_of(&lines)).is_ok());
    // Line 3 holds the first sequence, line 4 the second.
    let first = lines[0].clone();
    let second_keys = lines[1].split(']').next().expect("on = [...").to_string();
    lines.push(first);
    lines.push(format!("{second_keys}, \"x\"], run = \"move_up\" }},"));
    lines.push("  { on = [\"<F5>\", \"<F6>\"], run = \"move_up\" },".to_string());
    lines.push("  { on = [\"<F5>\"], run = \"move_up\" },".to_string());
    let err = Keymap::from_user_text("big.toml", &file_of(&lines)).expect_err("clashes");
    let problems: Vec<String> = err.problems().iter().map(ToString::to_string).collect();
    assert_eq!(
        problems,
        [
            "big.toml:20003: [\"a\", \"a\", \"a\", \"a\"] is bound twice in [normal] (first at line 3)",
            "big.toml:20004: [\"b\", \"a\", \"a\", \"a\", \"x\"] can never be reached in [normal]: [\"b\", \"a\", \"a\", \"a\"] is bound at line 4",
            "big.toml:20006: [\"<F5>\"] in [normal] would hide [\"<F5>\", \"<F6>\"] (line 20005): a sequence cannot be both bound and the start of another",
        ]
    );
}

use crate::fixtures::desk::Desk as Dir;

/// `keymap check FILE` must exit 66 saying `FILE: reason`.
fn refused(dir: &Dir, file: &Path, reason: &str) {
    let shown = file.display().to_string();
    let out = dir
        .bare()
        .args(["keymap", "check"])
        .arg(file)
        .assert()
        .code(66)
        .get_output()
        .clone();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(err, format!("clusterdesk: {shown}: {reason}\n"));
    // The console reads the keymap first, and refuses it the same way.
    let out = dir
        .bare()
        .arg("--keymap")
        .arg(file)
        .assert()
        .code(66)
        .get_output()
        .clone();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(err.contains(&format!("{shown}: {reason}")), "{err}");
}

#[test]
fn dev_zero_a_directory_and_a_fifo_are_not_keymaps() {
    let dir = Dir::new();
    refused(
        &dir,
        Path::new("/dev/zero"),
        "is not a regular file (a character device); a keymap is a TOML file",
    );
    refused(
        &dir,
        dir.dir.path(),
        "is not a regular file (a directory); a keymap is a TOML file",
    );
    let fifo = dir.dir.path().join("fifo.toml");
    nix::unistd::mkfifo(&fifo, nix::sys::stat::Mode::S_IRWXU).expect("mkfifo");
    // Refused without waiting for a writer.
    refused(
        &dir,
        &fifo,
        "is not a regular file (a FIFO); a keymap is a TOML file",
    );
}

#[test]
fn a_keymap_over_1_mib_is_refused_and_1_mib_is_read() {
    let dir = Dir::new();
    let head = "base = \"vim\"\n";
    let pad = |len: usize| format!("{head}#{}\n", "x".repeat(len - head.len() - 2));
    let big = dir.file("big.toml", pad(2 * 1024 * 1024));
    refused(
        &dir,
        &big,
        "is larger than 1 MiB (2097152 bytes), the most a keymap file may be",
    );
    let limit = usize::try_from(MAX_FILE).expect("fits");
    let over = dir.file("over.toml", pad(limit + 1));
    refused(
        &dir,
        &over,
        "is larger than 1 MiB (1048577 bytes), the most a keymap file may be",
    );
    let just = dir.file("just.toml", pad(limit));
    assert_eq!(std::fs::metadata(&just).expect("meta").len(), MAX_FILE);
    dir.bare()
        .args(["keymap", "check"])
        .arg(&just)
        .assert()
        .code(0);
}

#[test]
fn check_of_a_20k_binding_file_says_ok_or_names_the_clash() {
    let dir = Dir::new();
    let mut lines = many(18_000);
    let path = dir.file("big.toml", file_of(&lines));
    assert!(std::fs::metadata(&path).expect("meta").len() <= MAX_FILE);
    let n = Keymap::load(Some(&path)).expect("loads").len();
    let out = dir
        .cmd()
        .args(["keymap", "check", "big.toml"])
        .assert()
        .code(0)
        .get_output()
        .clone();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        format!("big.toml: ok ({n} bindings)\n")
    );
    lines.push(lines[17_999].clone());
    dir.file("big.toml", file_of(&lines));
    let out = dir
        .cmd()
        .args(["keymap", "check", "big.toml"])
        .assert()
        .code(2)
        .get_output()
        .clone();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("big.toml:18003: ")
            && err.contains("is bound twice in [normal] (first at line 18002)"),
        "{err}"
    );
}
