//! Hostile records on a real terminal backend. Records are written straight
//! into sled, past validation, as a store written by a broken build (or by
//! hand) could hold them: escape sequences (OSC 52 clipboard, clear screen),
//! C1 controls, BEL, bidi overrides. The console draws them through
//! ratatui's crossterm backend into a byte buffer, and the bytes a terminal
//! would receive are checked: only the CSI sequences ratatui itself emits
//! for drawing, no OSC, no BEL, no C1, no bidi controls.

use crate::fixtures::tui as common;

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;
use std::rc::Rc;

use base64::Engine;
use clusterdesk::model::text::sort_fold;
use clusterdesk::model::{Contact, Meeting, MeetingKind, Member, Record, Sector, Status};
use clusterdesk::store::codec;
use clusterdesk::tui::action::Mode;
use clusterdesk::tui::app::{App, Effect};
use clusterdesk::tui::keymap::Keymap;
use clusterdesk::tui::theme::Theme;
use clusterdesk::tui::view;
use common::*;
use ratatui::backend::CrosstermBackend;
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};
use uuid::Uuid;

/// What a terminal could act on: OSC 52 (writes the clipboard), a clear,
/// an 8-bit CSI (U+009B), a right-to-left override, BELs.
const EVIL: &str = "Evil \x1b]52;c;ZXZpbA==\x07 \x1b[2J \u{9b}31m \u{202e}txt.exe \x07";
/// More of the same: a title change (OSC 0 ended by ST), leaving the
/// alternate screen, DCS, NEL (C1), isolates, DEL, backspace, CR.
const EVIL2: &str =
    "Kaunas\x1b]0;pwned\x1b\\ \x1b[?1049l \x1bPq#0\x1b\\ \u{85}\u{2066}x\u{2069} \x7f\x08\r";

fn evil_member(id: Uuid) -> Member {
    let mut m = Member::empty(id);
    m.code = "EVIL1".into();
    m.name = EVIL.into();
    m.sector = Some(Sector::Ict);
    m.status = Status::Active;
    m.city = EVIL2.into();
    m.country = "\u{202d}LT".into();
    m.website = format!("https://evil.example/{EVIL}");
    m.email = format!("{EVIL}@evil.example");
    m.phone = "+370\x1b[31m 600".into();
    m.areas = vec![EVIL.into(), "iot\u{9b}2J".into()];
    m.notes = format!("first line\n{EVIL}\n\t{EVIL2}\n\u{2067}last\u{2069}");
    m.contacts = vec![Contact {
        name: EVIL.into(),
        role: EVIL2.into(),
        email: "x\x1b]52;c;QQ==\x07@evil.example".into(),
        phone: "\u{202e}123".into(),
    }];
    m
}

fn evil_meeting(id: Uuid) -> Meeting {
    let mut m = Meeting::empty(id);
    m.slug = "evil-meeting".into();
    m.title = format!("Meeting {EVIL}");
    m.date = Some(jiff::civil::date(2025, 9, 29));
    m.kind = Some(MeetingKind::Board);
    m.location = EVIL2.into();
    m.attendees = vec!["EVIL1".into()];
    m.notes = EVIL.into();
    m.decisions = vec![EVIL.into()];
    m
}

/// Puts a record and its index entries into sled as the store lays them out
/// (see ARCHITECTURE.md), without the store's checks.
fn insert_raw<R: Record + serde::Serialize>(db: &sled::Db, record: &R) {
    let collection = R::COLLECTION.as_str();
    let id = record.id();
    let bytes = codec::encode(record).unwrap_or_else(|e| panic!("encode: {e}"));
    let tree = |name: String| {
        db.open_tree(name.as_bytes())
            .unwrap_or_else(|e| panic!("tree {name}: {e}"))
    };
    tree(collection.to_string())
        .insert(id.as_bytes(), bytes)
        .unwrap_or_else(|e| panic!("insert: {e}"));
    tree(format!("{collection}/key"))
        .insert(record.key().as_bytes(), id.as_bytes().as_slice())
        .unwrap_or_else(|e| panic!("insert key: {e}"));
    for sort in R::sorts() {
        let mut k = record.sort_key(sort);
        k.push(0);
        k.extend_from_slice(id.as_bytes());
        tree(format!("{collection}/sort/{sort}"))
            .insert(k, &[] as &[u8])
            .unwrap_or_else(|e| panic!("insert sort: {e}"));
    }
}

/// The demo cluster plus the hostile member and meeting, written past the
/// store's validation; then a console over it (120x40, vim keymap).
fn hostile_console(keymap: Keymap) -> Console {
    let (dir, path) = store_dir().unwrap_or_else(|e| panic!("temporary directory: {e}"));
    {
        let store = open_store(&path).unwrap_or_else(|e| panic!("open: {e}"));
        clusterdesk::demo::build(&store).unwrap_or_else(|e| panic!("demo: {e}"));
    }
    write_hostile(&path);
    let store = open_store(&path).unwrap_or_else(|e| panic!("open after raw writes: {e}"));
    // The records are there, as written.
    let m = store
        .get::<Member>("EVIL1")
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("EVIL1 is in the store"));
    assert_eq!(m.name, EVIL);
    Console::over(store, dir, keymap, 120, 40)
}

fn write_hostile(path: &Path) {
    let db = open_sled(path);
    let member = evil_member(Uuid::now_v7());
    assert_eq!(member.sort_key("name"), sort_fold(EVIL).into_bytes());
    insert_raw(&db, &member);
    insert_raw(&db, &evil_meeting(Uuid::now_v7()));
    db.flush().unwrap_or_else(|e| panic!("flush: {e}"));
}

/// A byte buffer the backend writes into and the test reads afterwards
/// (the backend's own `writer()` is behind an unstable ratatui feature).
#[derive(Clone, Default)]
struct Shared(Rc<RefCell<Vec<u8>>>);

impl Write for Shared {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Opens the store's sled directly, waiting while the store handle dropped
/// just before still holds the lock (sled lets go from its own threads).
fn open_sled(path: &Path) -> sled::Db {
    let mut tries = 0;
    loop {
        match sled::open(path) {
            Ok(db) => return db,
            Err(e) if tries < 100 && e.to_string().contains("could not acquire lock") => {
                tries += 1;
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            Err(e) => panic!("sled open: {e}"),
        }
    }
}

/// The bytes ratatui's crossterm backend sends to draw the app once.
fn terminal_bytes(app: &App) -> Vec<u8> {
    let out = Shared::default();
    let backend = CrosstermBackend::new(out.clone());
    let mut term = Terminal::with_options(
        backend,
        TerminalOptions {
            viewport: Viewport::Fixed(Rect::new(0, 0, 120, 40)),
        },
    )
    .unwrap_or_else(|e| panic!("terminal: {e}"));
    term.draw(|f| view::draw(f, app, &Theme { color: true }))
        .unwrap_or_else(|e| panic!("draw: {e}"));
    drop(term);
    out.0.take()
}

/// The final bytes of the CSI sequences ratatui's crossterm backend emits
/// while drawing: cursor position (`H`), colours and attributes (`m`), and
/// hiding the cursor (`?25l`) or showing it (`?25h`). Nothing else may reach
/// the terminal: no clear (`J`), no mode change but the cursor's.
const ALLOWED_CSI: [u8; 4] = [b'H', b'm', b'l', b'h'];

/// Checks the bytes a terminal would receive; returns the CSI final bytes seen.
fn assert_safe(bytes: &[u8], what: &str) -> BTreeSet<char> {
    let text = String::from_utf8(bytes.to_vec())
        .unwrap_or_else(|e| panic!("{what}: the output is not UTF-8: {e}"));
    let find = |needle: &str| text.find(needle);
    assert_eq!(find("\x1b]"), None, "{what}: an OSC sequence");
    assert_eq!(find("\x1b[2J"), None, "{what}: a clear screen");
    assert_eq!(find("\x1bP"), None, "{what}: a DCS sequence");
    assert_eq!(find("\x1b\\"), None, "{what}: a string terminator");
    assert!(!bytes.contains(&0x07), "{what}: a BEL");
    for c in text.chars() {
        assert!(
            !('\u{80}'..='\u{9f}').contains(&c),
            "{what}: C1 control U+{:04X}",
            c as u32
        );
        assert!(
            !matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'),
            "{what}: bidi control U+{:04X}",
            c as u32
        );
        assert!(
            c == '\x1b' || !c.is_control(),
            "{what}: control character U+{:04X}",
            c as u32
        );
    }
    // Every ESC starts a CSI: ESC [ parameters (0-9 ; ?) and a final byte.
    let mut finals = BTreeSet::new();
    let mut i = 0;
    while let Some(at) = bytes[i..].iter().position(|&b| b == 0x1b) {
        let start = i + at;
        assert_eq!(
            bytes.get(start + 1),
            Some(&b'['),
            "{what}: ESC not followed by [ at byte {start}: {:?}",
            String::from_utf8_lossy(&bytes[start..(start + 12).min(bytes.len())])
        );
        let mut j = start + 2;
        while j < bytes.len() && (bytes[j].is_ascii_digit() || bytes[j] == b';' || bytes[j] == b'?')
        {
            j += 1;
        }
        let final_byte = *bytes
            .get(j)
            .unwrap_or_else(|| panic!("{what}: a CSI without a final byte at {start}"));
        assert!(
            ALLOWED_CSI.contains(&final_byte),
            "{what}: CSI ending in {:?} at byte {start}: {:?}",
            final_byte as char,
            String::from_utf8_lossy(&bytes[start..=j])
        );
        let params = &bytes[start + 2..j];
        if matches!(final_byte, b'l' | b'h') {
            assert_eq!(params, b"?25", "{what}: only the cursor is shown or hidden");
        }
        finals.insert(final_byte as char);
        i = j + 1;
    }
    finals
}

/// Puts the list's cursor on the hostile member.
fn to_evil(c: &mut Console) {
    let index = c
        .visible_keys()
        .iter()
        .position(|k| k == "EVIL1")
        .unwrap_or_else(|| panic!("EVIL1 in the list"));
    c.keys(&format!("{}G", index + 1));
    assert_eq!(c.cursor_key(), "EVIL1");
    assert_eq!(c.detail_key().as_deref(), Some("EVIL1"));
}

#[test]
fn a_hostile_member_in_the_list_and_detail_sends_no_escape_sequence() {
    let mut c = hostile_console(vim());
    to_evil(&mut c);
    let bytes = terminal_bytes(&c.app);
    let finals = assert_safe(&bytes, "list and detail");
    assert!(finals.contains(&'H') && finals.contains(&'m'), "{finals:?}");
    eprintln!("CSI final bytes seen: {finals:?}");
    // It was drawn, with the dangerous characters replaced.
    let text = String::from_utf8_lossy(&bytes);
    assert!(text.contains("ZXZpbA=="), "the name is on screen");
    assert!(text.contains("txt.exe"));
    assert!(text.contains('\u{fffd}'), "controls shown as U+FFFD");

    // The detail focused, scrolled through every field (notes, contacts).
    c.keys("l");
    for _ in 0..20 {
        assert_safe(&terminal_bytes(&c.app), "detail focused");
        c.keys("j");
    }
    // The screen as text holds no control either, and stays aligned.
    let screen = c.screen(120, 40);
    assert_aligned(&screen, 120);
}

#[test]
fn a_hostile_meeting_and_the_members_it_names_are_drawn_safely() {
    let mut c = hostile_console(vim());
    to_evil(&mut c);
    // The member's detail lists the meeting naming it (its title is hostile).
    let mentions = c.app.catalog().meetings_of("EVIL1");
    assert_eq!(mentions.len(), 1);
    assert_safe(&terminal_bytes(&c.app), "member with a hostile mention");
    c.keys(":meetings<Enter>");
    let index = c
        .visible_keys()
        .iter()
        .position(|k| k == "evil-meeting")
        .unwrap_or_else(|| panic!("the meeting is listed"));
    c.keys(&format!("{}G", index + 1));
    assert_safe(&terminal_bytes(&c.app), "meetings tab");
    c.keys("l");
    for _ in 0..10 {
        assert_safe(&terminal_bytes(&c.app), "meeting detail");
        c.keys("j");
    }
}

#[test]
fn searching_and_filtering_for_hostile_text_stays_safe() {
    let mut c = hostile_console(vim());
    c.keys("/evil");
    assert!(c.visible_keys().contains(&"EVIL1".to_string()));
    assert_safe(
        &terminal_bytes(&c.app),
        "search highlighting a hostile name",
    );
    c.keys("<Enter>:filter city=kaunas<Enter>");
    assert_safe(&terminal_bytes(&c.app), "filtered");
    c.keys(":nohl<Enter>:filter<Enter>:sort -name<Enter>gg");
    assert_safe(&terminal_bytes(&c.app), "sorted");
    // Split windows show it twice.
    to_evil(&mut c);
    c.keys("<C-w>v<C-w>s");
    assert_safe(&terminal_bytes(&c.app), "split windows");
}

#[test]
fn the_editor_on_a_hostile_field_gets_safe_text() {
    let mut c = hostile_console(vim());
    to_evil(&mut c);
    c.keys("l");
    c.goto_field("name");
    c.keys("i");
    let text = c.editor_text().unwrap_or_else(|| panic!("editing"));
    assert!(!text.chars().any(|ch| ch.is_control()), "{text:?}");
    assert!(!text.contains('\u{202e}'));
    assert_safe(&terminal_bytes(&c.app), "insert mode on the name");
    // Saving it is refused while the record's other fields break the rules
    // (the store checks the whole record); the error is drawn safely.
    c.keys("<Esc>");
    assert_eq!(c.app.mode(), Mode::Normal);
    assert!(c.message_is_error());
    assert_safe(&terminal_bytes(&c.app), "the store's refusal");
    assert_eq!(c.member("EVIL1").map(|m| m.name).as_deref(), Some(EVIL));
    c.keys("<Esc>");
    assert!(
        c.focused().detail.editor().is_none(),
        "Esc dropped the refused text"
    );

    // Multi-line notes: the editor keeps line breaks and tabs, nothing else.
    c.goto_field("notes");
    c.keys("i");
    let notes = c.editor_text().unwrap_or_default();
    assert!(notes.contains('\n'));
    assert!(
        !notes
            .chars()
            .any(|ch| ch.is_control() && ch != '\n' && ch != '\t'),
        "{notes:?}"
    );
    assert_safe(&terminal_bytes(&c.app), "insert mode on the notes");
    c.keys("<C-c>");
}

#[test]
fn help_with_a_hostile_keymap_source_and_descriptions_is_safe() {
    // Descriptions may not hold control characters, but a bidi override is
    // not one; the file's name is whatever the user passed.
    let text = "[normal]\nprepend_keymap = [\n  { on = \"x\", run = \"move_down\", desc = \"\u{202e}exe.txt \u{2066}down\" },\n]\n";
    let keymap = Keymap::from_user_text("keys\x1b]0;pwned\x07\u{9b}2J.toml", text)
        .unwrap_or_else(|e| panic!("{e}"));
    let mut c = hostile_console(keymap);
    c.keys("<F1>");
    assert!(c.app.help_scroll().is_some());
    let bytes = terminal_bytes(&c.app);
    assert_safe(&bytes, "help");
    assert!(String::from_utf8_lossy(&bytes).contains("exe.txt"));
    c.keys("<Space><Space>");
    assert_safe(&terminal_bytes(&c.app), "help scrolled");
}

#[test]
fn messages_that_quote_hostile_text_are_safe() {
    let mut c = hostile_console(vim());
    to_evil(&mut c);
    // A paste into the command line is sanitised, and so is the error.
    c.keys(":");
    c.app
        .handle_event(ratatui::crossterm::event::Event::Paste(format!(
            "filter {EVIL}"
        )));
    assert_safe(&terminal_bytes(&c.app), "a hostile paste in the prompt");
    c.keys("<Enter>");
    assert!(c.message_is_error());
    assert_safe(&terminal_bytes(&c.app), "an error quoting it");
    c.keys(":set name=x<Enter>");
    assert_safe(
        &terminal_bytes(&c.app),
        "a store error about the hostile record",
    );
}

/// The OSC 52 sequence for a text, as `tui::clipboard::osc52` builds it.
fn osc52(text: &str) -> String {
    let encoded = base64::engine::general_purpose::STANDARD.encode(text.as_bytes());
    format!("\x1b]52;c;{encoded}\x07")
}

#[test]
fn yy_on_a_hostile_field_cannot_end_the_clipboard_sequence_early() {
    let mut c = hostile_console(vim());
    to_evil(&mut c);
    c.keys("l");
    c.goto_field("name");
    c.keys("yy");
    let copied = c.take_clipboard();
    assert_eq!(copied.len(), 1, "{:?}", c.app.effects());
    let text = &copied[0];
    assert!(text.contains("ZXZpbA=="), "the field's text: {text:?}");
    let seq = osc52(text);
    let body = &seq["\x1b]52;c;".len()..seq.len() - 1];
    assert!(
        body.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=')),
        "base64 only: {body:?}"
    );
    assert_eq!(
        seq.matches('\x1b').count(),
        1,
        "only the sequence's own ESC"
    );
    assert_eq!(
        seq.matches('\x07').count(),
        1,
        "only the sequence's own BEL"
    );
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(body)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(decoded, text.as_bytes(), "the clipboard gets the text");
    assert!(
        !c.app
            .effects()
            .iter()
            .any(|e| matches!(e, Effect::Clipboard(_)))
    );
}

#[test]
fn yy_copies_no_control_or_bidi_character() {
    let mut c = hostile_console(vim());
    to_evil(&mut c);
    c.keys("l");
    c.goto_field("name");
    c.keys("yy");
    let copied = c.take_clipboard();
    let text = copied.first().cloned().unwrap_or_default();
    assert!(!text.is_empty());
    assert!(
        !text
            .chars()
            .any(|ch| ch.is_control()
                || matches!(ch, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')),
        "the clipboard would get {text:?}"
    );
}

// ---- the check itself catches what it is for

#[test]
#[should_panic(expected = "an OSC sequence")]
fn the_check_catches_an_osc() {
    assert_safe(b"\x1b[1;1Hok\x1b]52;c;QQ==\x07", "sample");
}

#[test]
#[should_panic(expected = "C1 control U+009B")]
fn the_check_catches_an_8_bit_csi() {
    assert_safe("ok \u{9b}2J".as_bytes(), "sample");
}

#[test]
#[should_panic(expected = "a clear screen")]
fn the_check_catches_a_clear() {
    assert_safe(b"\x1b[1;1H\x1b[2J", "sample");
}

#[test]
#[should_panic(expected = "bidi control U+202E")]
fn the_check_catches_a_bidi_override() {
    assert_safe("\u{202e}txt.exe".as_bytes(), "sample");
}

#[test]
#[should_panic(expected = "CSI ending in 'K'")]
fn the_check_catches_a_csi_ratatui_does_not_draw_with() {
    assert_safe(b"\x1b[1;1H\x1b[K", "sample");
}

// ---- characters whose width terminals disagree on

/// Invisible format characters (U+FFF9-FFFB, bidi marks U+061C, U+200E,
/// U+200F, a soft hyphen), Hangul fillers, noncharacters and a letter
/// under 30 combining marks: each drawn as a terminal sees fit (nothing,
/// one cell, two, or the marks piled into the next line) leaves stray
/// cells behind. None may reach the terminal.
const ODD: &str = "Odd \u{fff9}a\u{fffa}b\u{fffb} \u{61c}\u{200e}\u{200f}c\u{ad}d \u{115f}\u{1160}\u{3164} \u{fdd0}\u{fffe}\u{1ffff} ";

fn odd_text() -> String {
    format!("{ODD}z{}", "\u{301}".repeat(30))
}

/// Characters of `text` that must not be drawn: the disputed ones, and
/// combining marks past the fifth on one letter.
fn disputed(text: &str) -> Vec<String> {
    use unicode_properties::{GeneralCategoryGroup, UnicodeGeneralCategory};
    let mut found = Vec::new();
    let mut marks = 0;
    for c in text.chars() {
        let mark = !c.is_ascii() && c.general_category_group() == GeneralCategoryGroup::Mark;
        marks = if mark { marks + 1 } else { 0 };
        if marks > 4 {
            found.push(format!("a mark U+{:04X} past the fourth", c as u32));
        }
        let odd = matches!(
            c,
            '\u{fff9}'..='\u{fffb}'
                | '\u{61c}'
                | '\u{200e}'
                | '\u{200f}'
                | '\u{ad}'
                | '\u{115f}'
                | '\u{1160}'
                | '\u{3164}'
                | '\u{fdd0}'..='\u{fdef}'
        ) || (c as u32) & 0xfffe == 0xfffe;
        if odd {
            found.push(format!("U+{:04X}", c as u32));
        }
    }
    found
}

#[test]
fn records_with_characters_of_disputed_width_draw_without_stray_cells() {
    let (dir, path) = store_dir().unwrap_or_else(|e| panic!("temporary directory: {e}"));
    {
        let store = open_store(&path).unwrap_or_else(|e| panic!("open: {e}"));
        clusterdesk::demo::build(&store).unwrap_or_else(|e| panic!("demo: {e}"));
    }
    {
        let db = open_sled(&path);
        let mut m = Member::empty(Uuid::now_v7());
        m.code = "EVIL1".into();
        m.name = odd_text();
        m.sector = Some(Sector::Ict);
        m.status = Status::Active;
        m.city = odd_text();
        m.notes = format!("{}\n{}", odd_text(), odd_text());
        m.areas = vec![odd_text()];
        insert_raw(&db, &m);
        db.flush().unwrap_or_else(|e| panic!("flush: {e}"));
    }
    let store = open_store(&path).unwrap_or_else(|e| panic!("open after raw writes: {e}"));
    let mut c = Console::over(store, dir, vim(), 120, 40);
    to_evil(&mut c);
    let mut views = vec![("list and detail", terminal_bytes(&c.app))];
    c.keys("l");
    for _ in 0..8 {
        views.push(("detail focused", terminal_bytes(&c.app)));
        c.keys("j");
    }
    for (what, bytes) in &views {
        assert_safe(bytes, what);
        let text = String::from_utf8_lossy(bytes);
        assert_eq!(disputed(&text), Vec::<String>::new(), "{what}");
    }
    let first = String::from_utf8_lossy(&views[0].1);
    assert!(first.contains("Odd"), "the name is drawn");
    assert!(
        first.contains("z\u{301}\u{301}\u{301}\u{301}"),
        "four marks are kept"
    );
    assert_aligned(&c.screen(120, 40), 120);
}

#[test]
fn the_disputed_check_catches_what_it_is_for() {
    assert_eq!(disputed(&odd_text()).len(), 13 + 26);
}
