//! The console's screens as text (insta snapshots): the demo cluster drawn on
//! ratatui's `TestBackend` at 80x24 and 120x40, without colour, with the
//! cells' modifiers listed below each screen (the cursor and a selection show
//! only as styles). Today's date and the temporary store path are replaced by
//! placeholders of the same width (see `common::normalize`).
//!
//! Every line of every screen is checked to be exactly as wide as the
//! terminal: a Lithuanian letter or the emoji in "UAB Žaibo linija ⚡" taking
//! the wrong number of columns would push the rest of its line out of place.

use crate::fixtures::tui as common;

use common::*;
use ratatui::crossterm::event::Event;
use ratatui::style::Modifier;

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

/// The console resized to `width`x`height` (as the terminal would report it),
/// drawn, checked for alignment, and snapshot as `name_WxH`.
fn snap(c: &mut Console, name: &str, width: u16, height: u16) {
    c.app.handle_event(Event::Resize(width, height));
    let screen = c.screen(width, height);
    assert_aligned(&screen, width);
    let with_styles = c.screen_with_styles(width, height);
    insta::assert_snapshot!(format!("{name}_{width}x{height}"), with_styles);
}

/// The same keys replayed on a fresh console, snapshot at both sizes.
fn snap_both(name: &str, keys: &str) {
    for (w, h) in SIZES {
        let mut c = Console::sized(vim(), w, h);
        c.keys(keys);
        snap(&mut c, name, w, h);
    }
}

#[test]
fn members_list_on_start() {
    snap_both("members_start", "");
}

#[test]
fn detail_focused_on_the_member_with_an_emoji() {
    // 300513767 is "UAB Žaibo linija ⚡" (the emoji is two columns wide).
    for (w, h) in SIZES {
        let mut c = Console::sized(vim(), w, h);
        c.keys("11jl5j");
        assert_eq!(c.detail_key().as_deref(), Some("300513767"));
        assert_eq!(c.detail_field(), Some("joined"));
        snap(&mut c, "detail_focused", w, h);
    }
}

#[test]
fn insert_mode_on_a_field() {
    for (w, h) in SIZES {
        let mut c = Console::sized(vim(), w, h);
        c.keys("11jl");
        c.goto_field("phone");
        c.keys("i<C-u>");
        c.text("+370 600 1");
        assert_eq!(c.editor_text().as_deref(), Some("+370 600 1"));
        snap(&mut c, "insert_phone", w, h);
    }
}

#[test]
fn visual_selection() {
    snap_both("visual", "3jVjjj");
}

#[test]
fn search_typed_narrows_and_highlights() {
    snap_both("search_siaul", "/siaul");
}

#[test]
fn help_screen() {
    snap_both("help", "<F1>");
}

#[test]
fn vertical_split_with_news() {
    snap_both("vsplit_news", "2j:vsplit news<Enter>j");
}

#[test]
fn news_tab() {
    snap_both("news_tab", "gt");
}

#[test]
fn meetings_tab() {
    snap_both("meetings_tab", "gtgt");
}

#[test]
fn a_terminal_below_the_minimum_says_so() {
    let mut c = Console::sized(vim(), 50, 10);
    c.app.handle_event(Event::Resize(50, 10));
    let screen = c.screen(50, 10);
    assert!(screen.contains("needs at least"), "{screen}");
    assert!(screen.contains("60x12"), "{screen}");
    assert_aligned(&screen, 50);
    insta::assert_snapshot!("too_small_50x10", screen);
}

#[test]
fn resize_lays_the_screen_out_again() {
    let mut c = Console::sized(vim(), 120, 40);
    c.keys("30j");
    snap(&mut c, "resize_before", 120, 40);
    // 40 rows show every row up to 30 from the top; 24 rows do not.
    assert_eq!(c.list().offset, 0);
    c.app.handle_event(Event::Resize(80, 24));
    assert_eq!(c.app.size(), ratatui::layout::Rect::new(0, 0, 80, 24));
    assert_eq!(c.list().cursor, 30);
    // The list jumps half a page (here to its end) to keep the cursor on screen.
    assert_eq!(c.list().offset, 19, "scrolled to keep the cursor on screen");
    let screen = c.screen(80, 24);
    assert_aligned(&screen, 80);
    // The row under the cursor: tab bar, list title, then rows from offset 19.
    let code = c.cursor_key();
    let row = screen.lines().nth(2 + 30 - 19).unwrap_or_default();
    assert!(row.starts_with(&code), "{row:?} shows {code}");
    insta::assert_snapshot!("resize_after_80x24", c.screen_with_styles(80, 24));
}

// ---- found as bugs, now fixed

#[test]
fn list_rows_fill_the_list_pane() {
    for (w, h) in SIZES {
        let c = Console::sized(vim(), w, h);
        let buffer = draw(&c.app, w, h);
        let screen = screen_text(&buffer);
        // Row 1 is the list's title (ASCII) up to the separator.
        let pane = screen
            .lines()
            .nth(1)
            .and_then(|l| l.chars().position(|ch| ch == '│'))
            .unwrap_or_else(|| panic!("the separator"));
        for x in 0..pane as u16 {
            let title = buffer[(x, 1)].style().add_modifier;
            assert!(title.contains(Modifier::BOLD), "{w}x{h}: title column {x}");
            let cursor = buffer[(x, 2)].style().add_modifier;
            assert!(
                cursor.contains(Modifier::REVERSED),
                "{w}x{h}: the cursor row stops before column {x} of {pane}"
            );
        }
    }
}

#[test]
fn the_more_lines_hint_is_cut_with_an_ellipsis() {
    let mut c = Console::sized(vim(), 80, 24);
    c.keys("gt");
    let screen = c.screen(80, 24);
    let line = screen
        .lines()
        .find(|l| l.contains("more lines"))
        .unwrap_or_else(|| panic!("a hint in\n{screen}"));
    let hint = line.split('│').nth(1).unwrap_or_default().trim_end();
    assert!(hint.ends_with(')') || hint.ends_with('…'), "{hint:?}");
}
