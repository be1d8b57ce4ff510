//! Keymaps as data: the shipped keymaps, a user's file over them, the
//! problems a broken file reports (with their lines), and `clusterdesk keymap
//! check` as the real binary.

use std::collections::BTreeMap;
use std::path::Path;

use assert_cmd::Command;
use clusterdesk::tui::action::{Action, Mode};
use clusterdesk::tui::keymap::{Key, Keymap, KeymapError, Lookup, parse_keys};
use predicates::prelude::*;
use tempfile::TempDir;

const SHIPPED: [&str; 2] = ["vim", "plain"];

fn shipped_text(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("keymaps")
        .join(format!("{name}.toml"));
    std::fs::read_to_string(path).expect("a shipped keymap")
}

fn keys(text: &str) -> Vec<Key> {
    parse_keys(text).expect("keys in notation")
}

fn user(text: &str) -> Keymap {
    Keymap::from_user_text("keymap.toml", text).unwrap_or_else(|e| panic!("{e}"))
}

/// The problems of a user file that must not load, as `FILE:LINE: message` lines.
fn problems(text: &str) -> Vec<String> {
    match Keymap::from_user_text("keymap.toml", text) {
        Ok(_) => panic!("loaded a broken keymap:\n{text}"),
        Err(e) => e.problems().iter().map(ToString::to_string).collect(),
    }
}

/// The one problem of a file with one.
fn problem(text: &str) -> String {
    let found = problems(text);
    assert_eq!(found.len(), 1, "{found:#?}");
    found[0].clone()
}

// ---- the shipped keymaps

#[test]
fn shipped_keymaps_load_with_no_problems() {
    for name in SHIPPED {
        let keymap = Keymap::builtin(name)
            .expect("a built-in")
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        for mode in Mode::ALL {
            assert!(
                !keymap.bindings(mode).is_empty(),
                "{name} binds nothing in [{}]",
                mode.as_str()
            );
            for b in keymap.bindings(mode) {
                assert!(
                    !b.desc.trim().is_empty(),
                    "{name}: {:?} has no desc",
                    b.keys
                );
            }
        }
    }
    assert!(Keymap::builtin("emacs").is_none());
}

/// Read independently of the keymap's own parser: every `run` is an action,
/// every key reads, and no section binds a sequence twice or as a prefix of
/// another (helix's test of its default keymap).
#[test]
fn shipped_keymaps_bind_known_actions_each_sequence_once() {
    for name in SHIPPED {
        let doc: toml::Table = toml::from_str(&shipped_text(name)).expect("TOML");
        let mut modes = Vec::new();
        for (section, value) in &doc {
            let mode = Mode::parse(section).unwrap_or_else(|| panic!("{name}: [{section}]"));
            modes.push(mode);
            let entries = value["keymap"].as_array().expect("a keymap list");
            let mut seen: BTreeMap<String, Vec<Key>> = BTreeMap::new();
            for entry in entries {
                let run = entry["run"].as_str().expect("run is a string");
                let action = Action::parse(run);
                assert!(action.is_some(), "{name}: unknown action {run}");
                assert_ne!(action, Some(Action::Noop), "{name}: noop in a built-in");
                assert!(entry.get("desc").and_then(|d| d.as_str()).is_some());
                let on: Vec<Key> = match &entry["on"] {
                    toml::Value::String(k) => vec![Key::parse(k).expect("a key")],
                    toml::Value::Array(ks) => ks
                        .iter()
                        .map(|k| Key::parse(k.as_str().expect("a string")).expect("a key"))
                        .collect(),
                    other => panic!("{name}: on = {other}"),
                };
                for (shown, other) in &seen {
                    assert!(
                        !on.starts_with(other) && !other.starts_with(&on),
                        "{name} [{section}]: {on:?} clashes with {shown}"
                    );
                }
                seen.insert(format!("{on:?}"), on);
            }
        }
        assert_eq!(modes, Mode::ALL.to_vec(), "{name}: every mode, in order");
    }
}

#[test]
fn every_action_but_noop_is_bound_in_vim() {
    let vim = Keymap::default_keymap().expect("vim");
    let bound: Vec<Action> = Mode::ALL
        .iter()
        .flat_map(|m| vim.bindings(*m))
        .map(|b| b.action)
        .collect();
    let missing: Vec<&str> = Action::ALL
        .iter()
        .filter(|a| !bound.contains(a) && a.command().aliases.is_empty())
        .map(|a| a.name())
        .collect();
    // The rest are `:` commands (`:w`, `:filter`); a tab is gone to by its
    // collection's name (`:members`); noop only unbinds.
    assert_eq!(missing, ["goto_tab", "noop"]);
}

#[test]
fn the_default_is_vim_and_builtins_load_by_name() {
    let vim = Keymap::load(None).expect("default");
    assert_eq!(vim.source(), "vim");
    assert_eq!(
        vim.lookup(Mode::Normal, &keys("ZZ")),
        Lookup::Matched(Action::WriteQuit)
    );
    let plain = Keymap::load(Some(Path::new("plain"))).expect("plain");
    assert_eq!(
        plain.lookup(Mode::Normal, &keys("<F10>")),
        Lookup::Matched(Action::Quit)
    );
    assert_eq!(plain.lookup(Mode::Normal, &keys("j")), Lookup::NotFound);
    assert_eq!(
        plain.lookup(Mode::Insert, &keys("<Enter>")),
        Lookup::Matched(Action::SubmitLine)
    );
    let given = Keymap::for_console(Some(Path::new("plain"))).expect("plain");
    assert_eq!(given.source(), "plain");
}

// ---- a user's file over a built-in

#[test]
fn prepend_overrides_append_adds_noop_unbinds() {
    let keymap = user(
        r#"
[normal]
prepend_keymap = [
    { on = "j", run = "move_up", desc = "Up instead" },
    { on = ["d", "d"], run = "noop" },
    { on = ["g", "t"], run = "noop" },
]
append_keymap = [
    { on = "x", run = "delete", desc = "Delete at once" },
    { on = "k", run = "move_down" },
    { on = "<C-z>", run = "noop" },
]
"#,
    );
    let n = Mode::Normal;
    assert_eq!(
        keymap.lookup(n, &keys("j")),
        Lookup::Matched(Action::MoveUp)
    );
    assert_eq!(
        keymap.lookup(n, &keys("x")),
        Lookup::Matched(Action::Delete)
    );
    // Appended entries come after the base: k stays move_up.
    assert_eq!(
        keymap.lookup(n, &keys("k")),
        Lookup::Matched(Action::MoveUp)
    );
    // Unbound: matched as noop (the keys do nothing), and not in :help.
    assert_eq!(keymap.lookup(n, &keys("dd")), Lookup::Matched(Action::Noop));
    assert_eq!(keymap.lookup(n, &keys("d")), Lookup::Pending);
    assert_eq!(keymap.lookup(n, &keys("gt")), Lookup::Matched(Action::Noop));
    assert_eq!(
        keymap.lookup(n, &keys("gT")),
        Lookup::Matched(Action::PrevTab)
    );
    // An appended noop unbinds too.
    assert_eq!(
        keymap.lookup(n, &keys("<C-z>")),
        Lookup::Matched(Action::Noop)
    );
    let help = keymap.bindings(n);
    assert_eq!(help[0].keys, keys("j"));
    assert_eq!(help[0].desc, "Up instead");
    assert!(help.iter().all(|b| b.action != Action::Noop));
    assert_eq!(help.last().map(|b| b.keys.clone()), Some(keys("x")));
    let after_g: Vec<_> = keymap
        .continuations(n, &keys("g"))
        .iter()
        .map(|b| b.action)
        .collect();
    assert_eq!(after_g, [Action::MoveTop, Action::PrevTab]);
    // Other modes are the base's.
    let vim = Keymap::default_keymap().expect("vim");
    assert_eq!(keymap.bindings(Mode::Insert), vim.bindings(Mode::Insert));
    assert_eq!(keymap.len(), vim.len() - 3 + 1);
    assert_eq!(keymap.source(), "keymap.toml (over vim)");
}

#[test]
fn a_user_prefix_shadows_the_base_sequences_it_starts() {
    let keymap = user("[normal]\nprepend_keymap = [ { on = \"g\", run = \"move_top\" } ]\n");
    let n = Mode::Normal;
    assert_eq!(
        keymap.lookup(n, &keys("g")),
        Lookup::Matched(Action::MoveTop)
    );
    assert_eq!(keymap.lookup(n, &keys("gt")), Lookup::NotFound);
    assert!(keymap.continuations(n, &keys("g")).is_empty());
    // Unbinding a whole prefix removes what follows it.
    let keymap = user("[normal]\nprepend_keymap = [ { on = \"<C-w>\", run = \"noop\" } ]\n");
    assert_eq!(
        keymap.lookup(n, &keys("<C-w>")),
        Lookup::Matched(Action::Noop)
    );
    assert_eq!(keymap.lookup(n, &keys("<C-w>v")), Lookup::NotFound);
}

#[test]
fn base_plain_and_keymap_replacing_a_section() {
    let keymap = user(
        r#"
base = "plain"

[insert]
keymap = [ { on = "<C-s>", run = "submit", desc = "Save the field" } ]

[search]
append_keymap = [ { on = "<C-g>", run = "cancel" } ]
"#,
    );
    assert_eq!(
        keymap.lookup(Mode::Normal, &keys("<F2>")),
        Lookup::Matched(Action::EditField)
    );
    assert_eq!(keymap.bindings(Mode::Insert).len(), 1);
    assert_eq!(
        keymap.lookup(Mode::Insert, &keys("<Esc>")),
        Lookup::NotFound
    );
    assert_eq!(
        keymap.lookup(Mode::Search, &keys("<C-g>")),
        Lookup::Matched(Action::Cancel)
    );
    let appended = keymap.bindings(Mode::Search);
    let appended = appended.last().expect("the appended binding");
    assert_eq!(appended.action, Action::Cancel);
    assert_eq!(
        appended.desc,
        Action::Cancel.doc(),
        "a user entry without desc shows the registry's doc"
    );
    // A copy of a full keymap is a valid user file (every section replaced).
    let copy = user(&shipped_text("plain"));
    let plain = Keymap::default_keymap().expect("vim");
    assert_ne!(copy.len(), plain.len());
    assert_eq!(
        copy.len(),
        Keymap::builtin("plain")
            .expect("plain")
            .expect("plain")
            .len()
    );
}

// ---- problems, with their lines

#[test]
fn an_unknown_action_names_its_line_and_a_likely_name() {
    let text = "# mine\n\n[normal]\nprepend_keymap = [\n    { on = \"j\", run = \"move_down\" },\n    { on = \"J\", run = \"move_dwon\" },\n]\n";
    assert_eq!(
        problem(text),
        "keymap.toml:6: unknown action \"move_dwon\" (did you mean move_down?)"
    );
    let far = problem("[normal]\nappend_keymap = [ { on = \"J\", run = \"launch\" } ]\n");
    assert!(
        far.starts_with("keymap.toml:2: unknown action \"launch\";"),
        "{far}"
    );
}

#[test]
fn a_broken_key_names_its_line() {
    let text = "[normal]\nprepend_keymap = [\n  { on = \"j\", run = \"move_down\" },\n\n  { on = [\"<C-ww>\", \"x\"], run = \"delete\" },\n]\n";
    let found = problem(text);
    assert!(
        found.starts_with("keymap.toml:5: cannot read key \"<C-ww>\": "),
        "{found}"
    );
    // A key on its own line in a list is named at that line.
    let text = "[normal]\nprepend_keymap = [\n  { on = [\n    \"g\",\n    \"<F99>\",\n  ], run = \"delete\" },\n]\n";
    assert!(problem(text).starts_with("keymap.toml:5: cannot read key \"<F99>\""));
}

#[test]
fn a_duplicate_in_one_section_names_both_lines() {
    let text = "[normal]\nprepend_keymap = [\n  { on = [\"d\",\"d\"], run = \"delete\" },\n  { on = \"x\", run = \"delete\" },\n]\nappend_keymap = [\n  { on = [\"d\", \"d\"], run = \"undo\" },\n]\n";
    assert_eq!(
        problem(text),
        "keymap.toml:7: [\"d\", \"d\"] is bound twice in [normal] (first at line 3)"
    );
    // The same sequence in two sections, or over the base, is fine.
    user(
        "[normal]\nprepend_keymap = [ { on = \"x\", run = \"delete\" } ]\n[visual]\nprepend_keymap = [ { on = \"x\", run = \"delete\" } ]\n",
    );
}

#[test]
fn a_prefix_conflict_in_one_section_names_the_later_line() {
    let text = "[normal]\nprepend_keymap = [\n  { on = \"z\", run = \"move_top\" },\n  { on = [\"z\", \"z\"], run = \"move_bottom\" },\n]\n";
    let found = problem(text);
    assert!(
        found.starts_with("keymap.toml:4: [\"z\", \"z\"] can never be reached"),
        "{found}"
    );
    assert!(found.contains("line 3"), "{found}");
    let text = "[visual]\nprepend_keymap = [\n  { on = [\"z\", \"z\"], run = \"move_bottom\" },\n  { on = \"z\", run = \"move_top\" },\n]\n";
    let found = problem(text);
    assert!(
        found.starts_with("keymap.toml:4: [\"z\"] in [visual] would hide"),
        "{found}"
    );
}

#[test]
fn a_toml_syntax_error_names_its_line() {
    let text = "[normal]\nprepend_keymap = [\n  { on = \"j\", run = \"move_up\" },\n  { on = \"k\" run = \"move_down\" },\n]\n";
    let found = problem(text);
    assert!(
        found.starts_with("keymap.toml:4: not valid TOML: "),
        "{found}"
    );
}

#[test]
fn unknown_sections_and_fields_name_their_lines() {
    let text = "base = \"vim\"\n\n[nromal]\nprepend_keymap = []\n\n[insert]\nprepend = []\nappend_keymap = [ { on = \"<C-c>\", run = \"cancel\", descr = \"x\" } ]\n";
    assert_eq!(
        problems(text),
        [
            "keymap.toml:3: unknown section [nromal] (did you mean [normal]?)",
            "keymap.toml:7: unknown field \"prepend\" in [insert] (did you mean prepend_keymap?)",
            "keymap.toml:8: unknown field \"descr\" in a binding (did you mean desc?)",
        ]
    );
    let found = problem("base = \"emacs\"\n");
    assert_eq!(
        found,
        "keymap.toml:1: unknown base \"emacs\" (expected \"vim\" or \"plain\")"
    );
    let found = problem("colour = \"red\"\n");
    assert!(
        found.starts_with("keymap.toml:1: unknown setting `colour`"),
        "{found}"
    );
}

#[test]
fn every_problem_of_a_file_is_reported_at_once() {
    let text = r#"[normal]
prepend_keymap = [
    { on = "<C-ww>", run = "move_down" },
    { on = "x", run = "move_dwon" },
    { on = "y" },
    { run = "undo" },
    { on = 3, run = "undo" },
    "j",
]
"#;
    let found = problems(text);
    let lines: Vec<&str> = found
        .iter()
        .map(|p| p.split(": ").next().unwrap_or(""))
        .collect();
    assert_eq!(
        lines,
        [
            "keymap.toml:3",
            "keymap.toml:4",
            "keymap.toml:5",
            "keymap.toml:6",
            "keymap.toml:7",
            "keymap.toml:8"
        ],
        "{found:#?}"
    );
}

#[test]
fn a_missing_file_is_a_read_error() {
    let dir = TempDir::new().expect("temp dir");
    let path = dir.path().join("nope.toml");
    match Keymap::load(Some(&path)) {
        Err(KeymapError::Read { path: p, .. }) => assert_eq!(p, path),
        other => panic!("{other:?}"),
    }
    // --keymap wins over the user's config file.
    assert!(matches!(
        Keymap::for_console(Some(&path)),
        Err(KeymapError::Read { .. })
    ));
}

// ---- `clusterdesk keymap check`

use crate::fixtures::desk::Desk as Dir;

/// `keymap check FILE` in the desk.
fn check(dir: &Dir, file: &Path) -> assert_cmd::assert::Assert {
    dir.bare().args(["keymap", "check"]).arg(file).assert()
}

#[test]
fn check_an_ok_file() {
    let dir = Dir::new();
    let path = dir.file(
        "keymap.toml",
        "[normal]\nprepend_keymap = [ { on = \"x\", run = \"delete\", desc = \"Delete\" } ]\n",
    );
    let n = Keymap::default_keymap().expect("vim").len() + 1;
    check(&dir, Path::new("keymap.toml"))
        .code(0)
        .stdout(format!("keymap.toml: ok ({n} bindings)\n"))
        .stderr("");
    check(&dir, &path)
        .code(0)
        .stdout(predicate::str::contains(format!(
            "keymap.toml: ok ({n} bindings)"
        )));
    check(&dir, Path::new("plain"))
        .code(0)
        .stdout(predicate::str::starts_with("plain: ok ("));
}

#[test]
fn check_warns_when_a_binding_hides_built_in_ones() {
    let dir = Dir::new();
    dir.file(
        "keymap.toml",
        "[normal]\nprepend_keymap = [\n  { on = \"g\", run = \"next_tab\", desc = \"Next tab\" },\n  { on = [\"d\", \"d\"], run = \"noop\", desc = \"No dd\" },\n]\n",
    );
    let out = check(&dir, Path::new("keymap.toml")).code(0);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    for hidden in [
        "[\"g\", \"g\"] (move_top)",
        "[\"g\", \"t\"] (next_tab)",
        "[\"g\", \"T\"] (prev_tab)",
    ] {
        assert!(
            stderr.contains(&format!(
                "keymap.toml: warning: [normal] [\"g\"] (next_tab) hides {hidden}"
            )),
            "{stderr}"
        );
    }
    // An unbinding hides on purpose: no warning for it.
    assert!(!stderr.contains("noop"), "{stderr}");
    assert_eq!(stderr.lines().count(), 3, "{stderr}");
}

#[test]
fn check_a_bad_file_exits_2_with_every_problem() {
    let dir = Dir::new();
    dir.file(
        "bad.toml",
        "[normal]\nprepend_keymap = [\n  { on = \"<C-ww>\", run = \"delete\" },\n  { on = \"x\", run = \"move_dwon\" },\n]\n",
    );
    check(&dir, Path::new("bad.toml"))
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(
            "bad.toml:3: cannot read key \"<C-ww>\"",
        ))
        .stderr(predicate::str::contains(
            "bad.toml:4: unknown action \"move_dwon\" (did you mean move_down?)",
        ));
    dir.file("syntax.toml", "[normal\n");
    check(&dir, Path::new("syntax.toml"))
        .code(2)
        .stderr(predicate::str::contains("syntax.toml:1: not valid TOML"));
}

#[test]
fn check_a_missing_file_exits_66() {
    let dir = Dir::new();
    check(&dir, Path::new("missing.toml"))
        .code(66)
        .stderr(predicate::str::contains("missing.toml"));
}

/// The console reads `$XDG_CONFIG_HOME/clusterdesk/keymap.toml` (or
/// `--keymap`) before it takes the screen: a broken one stops it with exit 2
/// and `FILE:LINE:`.
#[test]
fn the_console_refuses_a_broken_user_keymap_at_start() {
    let dir = Dir::new();
    let config = dir.dir.path().join("config").join("clusterdesk");
    std::fs::create_dir_all(&config).expect("config dir");
    std::fs::write(
        config.join("keymap.toml"),
        "[normal]\n\nprepend_keymap = [ { on = \"j\", run = \"move_dwon\" } ]\n",
    )
    .expect("write");
    let start = |extra: &[&str]| {
        Command::cargo_bin("clusterdesk")
            .expect("the binary")
            .current_dir(dir.dir.path())
            .env("HOME", dir.dir.path())
            .env("XDG_CONFIG_HOME", dir.dir.path().join("config"))
            .env("XDG_DATA_HOME", dir.dir.path().join("data"))
            .env_remove("CLUSTERDESK_STORE")
            .env("CLUSTERDESK_IDLE_EXIT", "1")
            .args(extra)
            .write_stdin("")
            .assert()
    };
    start(&[]).code(2).stderr(predicate::str::contains(
        "clusterdesk/keymap.toml:3: unknown action \"move_dwon\" (did you mean move_down?)",
    ));
    // --keymap names another file, or a built-in, instead.
    dir.file(
        "mine.toml",
        "[insert]\nprepend_keymap = [ { on = \"<C-ww>\", run = \"cancel\" } ]\n",
    );
    start(&["--keymap", "mine.toml"])
        .code(2)
        .stderr(predicate::str::contains(
            "mine.toml:2: cannot read key \"<C-ww>\"",
        ));
    start(&["--keymap", "plain"])
        .code(2)
        .stderr(predicate::str::contains(".toml:").not());
}

#[test]
fn the_help_and_conflict_sections_bind_single_keys() {
    let found = problems(
        r#"
[help]
prepend_keymap = [ { on = ["g", "g"], run = "scroll_up" } ]

[conflict]
prepend_keymap = [ { on = "M", run = "keep_mine" } ]
"#,
    );
    assert_eq!(
        found,
        ["keymap.toml:3: a binding in [help] of 2 keys: that section binds single keys"]
    );
}
