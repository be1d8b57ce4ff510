use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::error::{LineIndex, suggest};
use super::trie::Trie;
use super::*;

type TestResult = Result<(), Box<dyn std::error::Error>>;

fn keys(text: &str) -> Result<Vec<Key>, String> {
    parse_keys(text)
}

#[test]
fn notation_round_trips() -> TestResult {
    for text in [
        "j",
        "G",
        "?",
        ":",
        "<",
        "ą",
        "<Space>",
        "<C-w>",
        "<A-x>",
        "<A-X>",
        "<S-Tab>",
        "<Esc>",
        "<Enter>",
        "<Tab>",
        "<Backspace>",
        "<Up>",
        "<Down>",
        "<Left>",
        "<Right>",
        "<Home>",
        "<End>",
        "<PageUp>",
        "<PageDown>",
        "<Insert>",
        "<Delete>",
        "<F1>",
        "<F12>",
        "<C-S-Up>",
        "<C-A-Delete>",
        "<C-->",
        "<C-lt>",
        "<A-gt>",
        "<S-F3>",
    ] {
        let key = Key::parse(text)?;
        assert_eq!(key.to_string(), text, "{text}");
        assert_eq!(Key::parse(&key.to_string())?, key, "{text}");
    }
    Ok(())
}

#[test]
fn notation_accepts_aliases_and_normalizes() -> TestResult {
    for (written, shown) in [
        (" ", "<Space>"),
        ("<space>", "<Space>"),
        ("<CR>", "<Enter>"),
        ("<return>", "<Enter>"),
        ("<Escape>", "<Esc>"),
        ("<BS>", "<Backspace>"),
        ("<Del>", "<Delete>"),
        ("<PgDn>", "<PageDown>"),
        ("<BackTab>", "<S-Tab>"),
        ("<S-BackTab>", "<S-Tab>"),
        ("<C-W>", "<C-w>"),
        ("<c-w>", "<C-w>"),
        ("<M-x>", "<A-x>"),
        ("<S-g>", "G"),
        ("<S-G>", "G"),
        ("<A-S-x>", "<A-X>"),
        ("<S-C-Up>", "<C-S-Up>"),
        ("<lt>", "<"),
        ("<j>", "j"),
        ("<f5>", "<F5>"),
    ] {
        assert_eq!(Key::parse(written)?.to_string(), shown, "{written}");
    }
    Ok(())
}

#[test]
fn notation_refuses_broken_keys() {
    for bad in [
        "", "gg", "<C-ww>", "<>", "<C->", "<X-a>", "<C-C-a>", "<S-1>", "<F0>", "<F25>", "<C-S-x>",
        "<Esc", "\t", "a b", "<Foo>",
    ] {
        assert!(Key::parse(bad).is_err(), "{bad:?} should not parse");
    }
    let why = Key::parse("gg").err().unwrap_or_default();
    assert!(why.contains("[\"g\", \"g\"]"), "{why}");
}

#[test]
fn events_meet_the_notation() -> TestResult {
    let event = |code, mods| Key::from_event(&KeyEvent::new(code, mods));
    let shift = KeyModifiers::SHIFT;
    assert_eq!(event(KeyCode::Char('G'), shift), Key::parse("G")?);
    assert_eq!(
        event(KeyCode::Char('G'), KeyModifiers::NONE),
        Key::parse("G")?
    );
    assert_eq!(event(KeyCode::Char('g'), shift), Key::parse("G")?);
    assert_eq!(event(KeyCode::Char('?'), shift), Key::parse("?")?);
    assert_eq!(event(KeyCode::BackTab, shift), Key::parse("<S-Tab>")?);
    assert_eq!(
        event(KeyCode::BackTab, KeyModifiers::NONE),
        Key::parse("<S-Tab>")?
    );
    let ctrl_shift = KeyModifiers::CONTROL | shift;
    assert_eq!(event(KeyCode::Char('W'), ctrl_shift), Key::parse("<C-w>")?);
    assert_eq!(
        event(KeyCode::Char('x'), KeyModifiers::META),
        Key::parse("<A-x>")?
    );
    assert_eq!(
        event(KeyCode::Char('j'), KeyModifiers::SUPER),
        Key::parse("j")?
    );
    assert_eq!(event(KeyCode::Up, ctrl_shift), Key::parse("<C-S-Up>")?);
    assert_ne!(
        event(KeyCode::Char('g'), KeyModifiers::NONE),
        Key::parse("G")?
    );
    Ok(())
}

#[test]
fn keys_written_together() -> TestResult {
    let seq = keys("gg<C-w>v<lt>x<")?;
    assert_eq!(display_keys(&seq), "gg<C-w>v<x<");
    assert_eq!(seq.len(), 7);
    assert_eq!(keys("ZZ")?, vec![Key::char('Z'), Key::char('Z')]);
    assert!(keys("<C-ww>").is_err());
    assert_eq!(quote_keys(&keys("dd")?), "[\"d\", \"d\"]");
    Ok(())
}

#[test]
fn lookup_walks_the_trie() -> TestResult {
    let vim = Keymap::default_keymap()?;
    let n = Mode::Normal;
    assert_eq!(vim.lookup(n, &keys("g")?), Lookup::Pending);
    assert_eq!(
        vim.lookup(n, &keys("gg")?),
        Lookup::Matched(Action::MoveTop)
    );
    assert_eq!(vim.lookup(n, &keys("gx")?), Lookup::NotFound);
    assert_eq!(vim.lookup(n, &keys("ggg")?), Lookup::NotFound);
    assert_eq!(
        vim.lookup(n, &keys("j")?),
        Lookup::Matched(Action::MoveDown)
    );
    assert_eq!(vim.lookup(n, &keys("jj")?), Lookup::NotFound);
    assert_eq!(vim.lookup(n, &keys("<C-w>")?), Lookup::Pending);
    assert_eq!(
        vim.lookup(n, &keys("<C-w>v")?),
        Lookup::Matched(Action::SplitVertical)
    );
    // Counts are not the keymap's business: digits are simply not bound.
    assert_eq!(vim.lookup(n, &keys("5")?), Lookup::NotFound);
    assert_eq!(vim.lookup(Mode::Insert, &keys("j")?), Lookup::NotFound);
    assert_eq!(
        vim.lookup(Mode::Insert, &keys("<Esc>")?),
        Lookup::Matched(Action::Submit)
    );
    Ok(())
}

#[test]
fn continuations_list_what_may_follow() -> TestResult {
    let vim = Keymap::default_keymap()?;
    let after_g: Vec<String> = vim
        .continuations(Mode::Normal, &keys("g")?)
        .iter()
        .map(|b| display_keys(&b.keys))
        .collect();
    assert_eq!(after_g, ["gg", "gt", "gT"]);
    let panes = vim.continuations(Mode::Normal, &keys("<C-w>")?);
    assert_eq!(panes.len(), 10);
    assert!(vim.continuations(Mode::Normal, &keys("j")?).is_empty());
    assert_eq!(
        vim.continuations(Mode::Normal, &[]).len(),
        vim.bindings(Mode::Normal).len()
    );
    Ok(())
}

fn binding(text: &str, action: Action) -> Result<Binding, String> {
    Ok(Binding {
        keys: keys(text)?,
        action,
        desc: action.name().into(),
    })
}

#[test]
fn the_first_binding_of_a_sequence_wins() -> TestResult {
    let trie = Trie::build(vec![
        binding("dd", Action::Undo)?,
        binding("dd", Action::Delete)?,
        binding("d", Action::Delete)?,
        binding("ddd", Action::Delete)?,
        binding("g", Action::Noop)?,
        binding("gg", Action::MoveTop)?,
        binding("ZZ", Action::WriteQuit)?,
    ]);
    let names: Vec<String> = trie.all().iter().map(|b| display_keys(&b.keys)).collect();
    assert_eq!(names, ["dd", "g", "ZZ"]);
    assert_eq!(trie.lookup(&keys("dd")?), Lookup::Matched(Action::Undo));
    assert_eq!(trie.lookup(&keys("d")?), Lookup::Pending);
    assert_eq!(trie.lookup(&keys("g")?), Lookup::Matched(Action::Noop));
    assert_eq!(trie.lookup(&keys("gg")?), Lookup::NotFound);
    Ok(())
}

#[test]
fn problems_name_file_and_line() {
    let text = "[normal]\nprepend_keymap = [\n  { on = \"x\", run = \"move_dwon\" },\n]\n";
    let Err(err) = Keymap::from_user_text("k.toml", text) else {
        panic!("a keymap with an unknown action loaded");
    };
    assert_eq!(
        err.to_string(),
        "k.toml:3: unknown action \"move_dwon\" (did you mean move_down?)"
    );
    assert_eq!(err.problems().len(), 1);
}

#[test]
fn helpers() {
    let lines = LineIndex::new("a\nb\nc");
    assert_eq!(lines.line_of(0), 1);
    assert_eq!(lines.line_of(1), 1);
    assert_eq!(lines.line_of(2), 2);
    assert_eq!(lines.line_of(99), 3);
    assert_eq!(LineIndex::new("a\n").line_of(99), 2);
    let names = ["move_down", "move_up", "move_top"];
    assert_eq!(suggest("move_dwon", names), Some("move_down"));
    assert_eq!(suggest("mvoe_up", names), Some("move_up"));
    assert_eq!(suggest("launch_rockets", names), None);
    assert_eq!(suggest("down", names), Some("move_down"));
    assert_eq!(suggest("move", names), None);
}
