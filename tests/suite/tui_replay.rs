//! Key replays against the console, helix-style: a demo store, keys in
//! keymap notation, then the state (and the store, where a key writes)
//! asserted. No terminal: `App::handle_key`/`handle_event` directly.

use crate::fixtures::tui as common;

use clusterdesk::model::Collection;
use clusterdesk::model::text::sort_fold;
use clusterdesk::model::{Meeting, Member, Sector, Status};
use clusterdesk::tui::action::Mode;
use clusterdesk::tui::keymap::{Key, Keymap};
use clusterdesk::tui::window::Focus;
use clusterdesk::tui::workspace::TAB_COLLECTIONS;
use common::*;
use ratatui::crossterm::event::{Event, KeyCode, KeyModifiers};

/// Every member of the demo, read from the store.
fn members(c: &Console) -> Vec<Member> {
    c.app
        .store()
        .all::<Member>()
        .collect::<Result<Vec<_>, _>>()
        .unwrap_or_else(|e| panic!("members: {e}"))
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

/// Narrows the members list to the prospects: the demo members nothing else
/// refers to, so the only ones that can be deleted.
fn prospects_only(c: &mut Console) -> Vec<String> {
    c.keys(":filter status=prospect<Enter>");
    let keys = c.visible_keys();
    assert_eq!(keys.len(), 5, "the demo has five prospects: {keys:?}");
    keys
}

// ---- moving

#[test]
fn counts_repeat_a_move_and_stop_at_the_ends() {
    let mut c = Console::demo();
    assert_eq!(c.list().len(), 39);
    c.keys("5j");
    assert_eq!(c.list().cursor, 5);
    c.keys("3k");
    assert_eq!(c.list().cursor, 2);
    c.keys("j");
    assert_eq!(c.list().cursor, 3, "the count does not stick");
    c.keys("100j");
    assert_eq!(c.list().cursor, 38);
    c.keys("99999k");
    assert_eq!(c.list().cursor, 0);
    assert_eq!(c.app.count(), None);
    // The detail follows the cursor.
    c.keys("12j");
    assert_eq!(c.detail_key().as_deref(), Some(c.cursor_key().as_str()));
    assert_eq!(c.cursor_key(), "305846961");
}

#[test]
fn gg_and_g_go_to_the_ends_or_to_a_numbered_record() {
    let mut c = Console::demo();
    c.keys("G");
    assert_eq!(c.list().cursor, 38);
    assert_eq!(c.cursor_key(), "ITK-012");
    c.keys("gg");
    assert_eq!(c.list().cursor, 0);
    c.keys("10G");
    assert_eq!(c.list().cursor, 9);
    c.keys("gg:10<Enter>");
    assert_eq!(c.list().cursor, 9);
    assert_eq!(c.app.mode(), Mode::Normal);
    c.keys("3gg");
    assert_eq!(c.list().cursor, 2);
    c.keys("500G");
    assert_eq!(c.list().cursor, 38, "past the end is the last record");
}

#[test]
fn half_pages_and_pages_move_by_the_list_height() {
    let mut c = Console::demo();
    // 24 rows: tab bar, status, command line and the list's title leave 20.
    assert_eq!(c.app.list_height(), 20);
    c.keys("<C-d>");
    assert_eq!(c.list().cursor, 10);
    c.keys("<C-u>");
    assert_eq!(c.list().cursor, 0);
    c.keys("<C-f>");
    assert_eq!(c.list().cursor, 20);
    assert!(c.list().offset > 0, "the cursor is scrolled into view");
    assert!(c.list().cursor < c.list().offset + 20);
    c.keys("<C-b>");
    assert_eq!(c.list().cursor, 0);
    assert_eq!(c.list().offset, 0);
    c.keys("2<C-d>");
    assert_eq!(c.list().cursor, 20);
    c.keys("<C-f><C-f>");
    assert_eq!(c.list().cursor, 38);
}

#[test]
fn enter_and_l_open_the_detail_h_and_esc_go_back() {
    let mut c = Console::demo();
    c.keys("2j<Enter>");
    assert_eq!(c.focused().focus, Focus::Detail);
    assert_eq!(c.detail_key().as_deref(), Some("ITK-011"));
    // j/k move over the fields now, not the list.
    c.keys("3j");
    assert_eq!(c.focused().detail.field, 3);
    assert_eq!(c.list().cursor, 2);
    c.keys("h");
    assert_eq!(c.focused().focus, Focus::List);
    c.keys("j");
    assert_eq!(c.list().cursor, 3);
    c.keys("l");
    assert_eq!(c.focused().focus, Focus::Detail);
    assert_eq!(c.detail_key().as_deref(), Some("PL-00004597900"));
    c.keys("<Esc>");
    assert_eq!(c.focused().focus, Focus::List);
    assert_eq!(c.app.mode(), Mode::Normal);
}

// ---- tabs and windows

#[test]
fn gt_and_gt_cycle_the_tabs() {
    let mut c = Console::demo();
    let tab = |c: &Console| c.app.workspace().tab().collection;
    assert_eq!(
        TAB_COLLECTIONS,
        [Collection::Members, Collection::News, Collection::Meetings]
    );
    assert_eq!(tab(&c), Collection::Members);
    c.keys("gt");
    assert_eq!(tab(&c), Collection::News);
    assert_eq!(c.focused().collection(), Collection::News);
    c.keys("gt");
    assert_eq!(tab(&c), Collection::Meetings);
    c.keys("gt");
    assert_eq!(tab(&c), Collection::Members);
    c.keys("gT");
    assert_eq!(tab(&c), Collection::Meetings);
    c.keys("gT");
    assert_eq!(tab(&c), Collection::News);
    c.keys("2gt");
    assert_eq!(tab(&c), Collection::Members);
    // Each tab keeps its own cursor.
    c.keys("4j");
    c.keys("gt3jgT");
    assert_eq!(c.list().cursor, 4);
    c.keys("gt");
    assert_eq!(c.list().cursor, 3);
}

#[test]
fn ctrl_w_splits_moves_closes_and_each_window_keeps_its_cursor() {
    let mut c = Console::demo();
    let count = |c: &Console| c.app.workspace().areas(c.app.main_area()).len();
    let first = c.app.workspace().focus_id();
    c.keys("3j<C-w>v");
    assert_eq!(count(&c), 2);
    let right = c.app.workspace().focus_id();
    assert_ne!(right, first, "the new window takes the focus");
    assert_eq!(c.list().cursor, 3, "a split copies the cursor");
    // Side by side: the new one is on the right.
    let areas = c.app.workspace().areas(c.app.main_area());
    let rect = |id| areas.iter().find(|(i, _)| *i == id).map(|(_, r)| *r);
    assert!(rect(first).map(|r| r.x) < rect(right).map(|r| r.x));
    c.keys("5j");
    assert_eq!(c.list().cursor, 8);
    c.keys("<C-w>h");
    assert_eq!(c.app.workspace().focus_id(), first);
    assert_eq!(c.list().cursor, 3);
    c.keys("<C-w>l");
    assert_eq!(c.app.workspace().focus_id(), right);
    assert_eq!(c.list().cursor, 8);

    // One above the other, under the right window.
    c.keys("<C-w>s");
    assert_eq!(count(&c), 3);
    let below = c.app.workspace().focus_id();
    c.keys("<C-w>k");
    assert_eq!(c.app.workspace().focus_id(), right);
    c.keys("<C-w>j");
    assert_eq!(c.app.workspace().focus_id(), below);
    c.keys("<C-w>h");
    assert_eq!(c.app.workspace().focus_id(), first);

    // Ctrl-w w visits every window and comes back.
    let mut seen = vec![c.app.workspace().focus_id()];
    for _ in 0..2 {
        c.keys("<C-w>w");
        seen.push(c.app.workspace().focus_id());
    }
    assert_eq!(sorted_ids(seen), sorted_ids(vec![first, right, below]));
    c.keys("<C-w>w");
    assert_eq!(c.app.workspace().focus_id(), first);

    // Close the focused one; then keep only the focused one.
    c.keys("<C-w>c");
    assert_eq!(count(&c), 2);
    assert_ne!(c.app.workspace().focus_id(), first);
    c.keys("<C-w>o");
    assert_eq!(count(&c), 1);
    c.keys("<C-w>c");
    assert_eq!(count(&c), 1, "the last window of a tab stays");
    assert!(c.message_is_error());
    assert!(c.message().contains("last window"), "{}", c.message());
}

fn sorted_ids(mut v: Vec<usize>) -> Vec<usize> {
    v.sort_unstable();
    v
}

#[test]
fn split_commands_open_other_collections_with_their_own_filters() {
    let mut c = Console::demo();
    let members_window = c.app.workspace().focus_id();
    c.keys(":filter status=active<Enter>4j");
    let active = c.list().len();
    assert!(active < 39);
    let on = c.cursor_key();

    c.keys(":vsplit news<Enter>");
    assert_eq!(c.focused().collection(), Collection::News);
    assert!(c.list().filters.is_empty(), "a new window has no filter");
    assert_eq!(c.list().cursor, 0);
    let news_window = c.app.workspace().focus_id();
    c.keys("2j");

    c.keys(":split meetings<Enter>");
    assert_eq!(c.focused().collection(), Collection::Meetings);
    c.keys("G");
    let meetings = c.list().len();
    assert_eq!(c.list().cursor, meetings - 1);
    assert_eq!(c.app.workspace().areas(c.app.main_area()).len(), 3);
    // The meetings window is below the news window.
    c.keys("<C-w>k");
    assert_eq!(c.app.workspace().focus_id(), news_window);
    assert_eq!(c.list().cursor, 2);

    c.keys("<C-w>h");
    assert_eq!(c.app.workspace().focus_id(), members_window);
    assert_eq!(c.list().len(), active);
    assert_eq!(c.cursor_key(), on);
    assert_eq!(
        c.list().filters,
        vec![("status".to_string(), "active".to_string())]
    );

    c.keys(":vsplit nothing<Enter>");
    assert!(c.message_is_error());
    assert_eq!(c.app.workspace().areas(c.app.main_area()).len(), 3);
}

// ---- search, filter, sort

/// The members whose text holds `needle` with Lithuanian letters folded,
/// worked out from the records rather than from the console's rows.
fn members_matching(c: &Console, needle: &str) -> Vec<String> {
    members(c)
        .into_iter()
        .filter(|m| {
            let mut text = vec![
                m.code.clone(),
                m.name.clone(),
                m.city.clone(),
                m.email.clone(),
                m.phone.clone(),
                m.areas.join(" "),
            ];
            for contact in &m.contacts {
                text.extend([
                    contact.name.clone(),
                    contact.email.clone(),
                    contact.phone.clone(),
                ]);
            }
            sort_fold(&text.join(" ")).contains(needle)
        })
        .map(|m| m.code)
        .collect()
}

#[test]
fn search_narrows_as_typed_esc_restores_enter_keeps() {
    let mut c = Console::demo();
    let expected = sorted(members_matching(&c, "siaul"));
    assert!(expected.len() >= 3, "{expected:?}");
    for code in &expected {
        let m = c.member(code).unwrap_or_else(|| panic!("{code}"));
        assert!(
            sort_fold(&format!("{} {}", m.name, m.city)).contains("siaul"),
            "{code}: Šiauliai in the name or city"
        );
    }

    c.keys("5j/siau");
    assert_eq!(c.app.mode(), Mode::Search);
    assert!(c.list().len() >= expected.len());
    c.keys("l");
    assert_eq!(sorted(c.visible_keys()), expected);
    assert_eq!(c.list().cursor, 0);
    c.keys("<Esc>");
    assert_eq!(c.app.mode(), Mode::Normal);
    assert_eq!(c.list().len(), 39);
    assert_eq!(c.list().query, "");
    assert!(c.app.prompt().is_none());

    // Capitals and Lithuanian letters fold alike.
    c.keys("/ŠIAUL<Enter>");
    assert_eq!(c.app.mode(), Mode::Normal);
    assert_eq!(sorted(c.visible_keys()), expected);
    assert_eq!(c.list().query, "ŠIAUL");
    assert!(
        c.message()
            .contains(&format!("{} matching", expected.len())),
        "{}",
        c.message()
    );

    let n = expected.len();
    c.keys("n");
    assert_eq!(c.list().cursor, 1);
    c.keys("n");
    assert_eq!(c.list().cursor, 2 % n);
    c.keys("N");
    assert_eq!(c.list().cursor, 1);
    c.keys("NN");
    assert_eq!(c.list().cursor, n - 1, "N wraps to the last match");
    assert_eq!(c.detail_key().as_deref(), Some(c.cursor_key().as_str()));

    c.keys(":nohl<Enter>");
    assert_eq!(c.list().len(), 39);
    assert_eq!(c.list().query, "");
    c.keys("n");
    assert!(c.message_is_error(), "n without a search says so");
}

#[test]
fn backspace_on_an_empty_search_leaves_it() {
    let mut c = Console::demo();
    c.keys("/ka<Backspace><Backspace>");
    assert_eq!(c.app.mode(), Mode::Search);
    assert_eq!(c.list().len(), 39);
    c.keys("<Backspace>");
    assert_eq!(c.app.mode(), Mode::Normal);
    assert!(c.app.prompt().is_none());
}

#[test]
fn filter_shows_matching_columns_and_clears() {
    let mut c = Console::demo();
    let expected: Vec<String> = sorted(
        members(&c)
            .into_iter()
            .filter(|m| m.status == Status::Active && m.sector == Some(Sector::Ict))
            .map(|m| m.code)
            .collect(),
    );
    assert!(!expected.is_empty());
    c.keys(":filter status=active sector=ict<Enter>");
    assert_eq!(sorted(c.visible_keys()), expected);
    assert!(
        c.message()
            .starts_with(&format!("{} members where", expected.len())),
        "{}",
        c.message()
    );
    // Case does not matter in the value.
    c.keys(":filter status=ACTIVE sector=Ict<Enter>");
    assert_eq!(sorted(c.visible_keys()), expected);

    c.keys(":filter<Enter>");
    assert_eq!(c.list().len(), 39);
    assert_eq!(c.message(), "filter cleared");

    c.keys(":filter colour=red<Enter>");
    assert!(c.message_is_error());
    assert!(
        c.message().contains("can filter members on"),
        "{}",
        c.message()
    );
    assert_eq!(c.list().len(), 39);
}

#[test]
fn sort_orders_by_a_column_and_keeps_the_cursor_on_its_record() {
    let mut c = Console::demo();
    c.keys("7j");
    let on = c.cursor_key();
    c.keys(":sort joined<Enter>");
    assert_eq!(c.cursor_key(), on, "the cursor stays on its record");
    let joined = c.visible_column(5);
    assert!(joined.windows(2).all(|w| w[0] <= w[1]), "{joined:?}");
    assert_eq!(c.list().sort, "joined");
    assert!(!c.list().descending);

    c.keys(":sort -name<Enter>");
    assert_eq!(c.cursor_key(), on);
    let names: Vec<String> = c.visible_column(1).iter().map(|n| sort_fold(n)).collect();
    assert!(names.windows(2).all(|w| w[0] >= w[1]), "{names:?}");
    assert!(c.list().descending);
    c.keys("gg");
    assert_eq!(
        c.cursor_value(1),
        "VšĮ „Klaipėdos mokslo ir technologijų parkas“"
    );

    c.keys(":sort colour<Enter>");
    assert!(c.message_is_error());
    assert_eq!(c.list().sort, "name");
}

// ---- editing a field

/// Finds the member by a search, opens it and starts editing `field`.
fn edit(c: &mut Console, search: &str, field: &str) {
    c.keys(&format!("/{search}<Enter>l"));
    assert_eq!(c.focused().focus, Focus::Detail);
    c.goto_field(field);
    c.keys("i");
    assert_eq!(c.app.mode(), Mode::Insert);
    assert_eq!(c.focused().detail.editor().map(|e| e.field), Some(field));
}

#[test]
fn fixing_a_phone_stores_it() {
    let mut c = Console::demo();
    edit(&mut c, "zaibo", "phone");
    assert_eq!(c.detail_key().as_deref(), Some("300513767"));
    assert_eq!(c.editor_text().as_deref(), Some("+370 667 42251"));
    c.keys("<C-u>");
    assert_eq!(c.editor_text().as_deref(), Some(""));
    c.text("+370 600 12345");
    assert_eq!(c.editor_text().as_deref(), Some("+370 600 12345"));
    c.keys("<Esc>");
    assert_eq!(c.app.mode(), Mode::Normal);
    assert!(c.focused().detail.editor().is_none());
    assert_eq!(c.message(), "saved phone of 300513767");
    assert!(!c.message_is_error());
    let stored = c.member("300513767").map(|m| m.phone);
    assert_eq!(stored.as_deref(), Some("+370 600 12345"));
    // The detail and the list show the stored value.
    let shown = c.focused().detail.current_field().map(|(_, _, v)| v);
    assert_eq!(shown.as_deref(), Some("+370 600 12345"));
    assert_eq!(c.app.undo_depth(), 1);

    c.keys("u");
    let stored = c.member("300513767").map(|m| m.phone);
    assert_eq!(stored.as_deref(), Some("+370 667 42251"));
}

#[test]
fn enter_keeps_a_one_line_field() {
    let mut c = Console::demo();
    edit(&mut c, "zaibo", "city");
    c.keys("<C-u>");
    c.text("Kaunas");
    c.keys("<Enter>");
    assert_eq!(c.app.mode(), Mode::Normal);
    assert_eq!(
        c.member("300513767").map(|m| m.city).as_deref(),
        Some("Kaunas")
    );
}

#[test]
fn an_invalid_value_returns_to_normal_mode_with_the_text_and_reason_kept() {
    let mut c = Console::demo();
    let before = c.member("300513767");
    edit(&mut c, "zaibo", "joined");
    c.keys("<C-u>");
    c.text("2014-13-01");
    c.keys("<Esc>");
    assert_eq!(c.app.mode(), Mode::Normal, "the next keys are commands");
    assert!(c.message_is_error());
    assert!(c.message().contains("joined"), "{}", c.message());
    assert!(c.message().contains("2014-13-01"), "{}", c.message());
    assert!(
        c.message()
            .contains("nothing saved; i edits the text again, <Esc> drops it"),
        "{}",
        c.message()
    );
    assert_eq!(
        c.editor_text().as_deref(),
        Some("2014-13-01"),
        "the text is kept"
    );
    let screen = c.screen(120, 40);
    assert!(
        screen.contains("! joined"),
        "the reason at the field:\n{screen}"
    );
    assert_eq!(c.member("300513767"), before);
    assert!(c.app.undo_depth() == 0);

    // Keys are commands now: j moves, k comes back, i resumes the text.
    c.keys("j");
    assert_ne!(c.detail_field(), Some("joined"));
    c.keys("k");
    assert_eq!(c.detail_field(), Some("joined"));
    c.keys("i");
    assert_eq!(c.app.mode(), Mode::Insert);
    assert_eq!(c.editor_text().as_deref(), Some("2014-13-01"));
    c.keys("<Esc>");
    assert_eq!(c.app.mode(), Mode::Normal);

    // Esc in normal mode drops the refused text; the record is as it was.
    c.keys("<Esc>");
    assert!(c.focused().detail.editor().is_none());
    assert_eq!(c.message(), "the refused text of joined is dropped");
    assert_eq!(c.member("300513767"), before);
    assert!(c.focused().focus == clusterdesk::tui::window::Focus::Detail);
}

#[test]
fn ctrl_c_cancels_an_edit_without_writing() {
    let mut c = Console::demo();
    let before = c.member("300513767");
    edit(&mut c, "zaibo", "city");
    c.keys("<C-u>");
    c.text("Kaunas");
    c.keys("<C-c>");
    assert_eq!(c.app.mode(), Mode::Normal);
    assert!(c.focused().detail.editor().is_none());
    assert_eq!(c.member("300513767"), before);
    let shown = c.focused().detail.current_field().map(|(_, _, v)| v);
    assert_eq!(shown.as_deref(), Some("Šiauliai"));
    assert!(c.app.undo_depth() == 0);
}

#[test]
fn alt_letter_in_insert_mode_is_esc_then_the_letter() {
    let mut c = Console::demo();
    edit(&mut c, "zaibo", "phone");
    c.keys("<C-u>");
    c.text("+370 600 00000");
    // Esc and j typed fast arrive as one Alt+j event.
    c.key_event(KeyCode::Char('j'), KeyModifiers::ALT);
    assert_eq!(c.app.mode(), Mode::Normal, "the Esc ended the edit");
    assert_eq!(
        c.member("300513767").map(|m| m.phone).as_deref(),
        Some("+370 600 00000")
    );
    assert_eq!(
        c.detail_field(),
        Some("contact_name"),
        "and j moved down a field"
    );
    assert!(c.editor_text().is_none());
}

// ---- new records

#[test]
fn o_on_meetings_fills_a_new_meeting_and_w_stores_it() {
    let mut c = Console::demo();
    c.keys("gtgt");
    assert_eq!(c.focused().collection(), Collection::Meetings);
    let before = c.list().len();
    c.keys("o");
    assert_eq!(c.app.mode(), Mode::Insert);
    assert!(c.focused().detail.is_draft());
    assert_eq!(
        c.detail_field(),
        Some("title"),
        "starts at the first required field"
    );
    c.text("Valdybos posėdis: biudžetas");
    c.keys("<Esc>");
    assert_eq!(c.app.mode(), Mode::Normal);
    assert_eq!(
        c.detail_field(),
        Some("title"),
        "Esc keeps the field and stays on it"
    );
    c.keys("i<Enter>");
    assert_eq!(
        c.detail_field(),
        Some("date"),
        "Enter keeps the field and moves on"
    );
    c.keys("i");
    c.text("2025-10-20");
    c.keys("<Enter>");
    c.goto_field("kind");
    c.keys("i");
    c.text("board");
    c.keys("<Esc>");
    c.goto_field("location");
    c.keys("i");
    c.text("Šiauliai, Vilniaus g. 1");
    c.keys("<Esc>");
    c.goto_field("attendees");
    c.keys("i");
    c.text("300513767, ITK-037");
    c.keys("<Esc>");
    assert_eq!(c.app.mode(), Mode::Normal, "{}", c.message());
    assert!(
        c.app.store().all::<Meeting>().count() == before,
        "nothing stored before :w"
    );

    c.keys(":w<Enter>");
    let slug = "2025-10-20-valdybos-posedis-biudzetas";
    assert_eq!(c.message(), format!("added meeting {slug}"));
    let stored = c
        .app
        .store()
        .get::<Meeting>(slug)
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("meeting {slug} stored"));
    assert_eq!(stored.title, "Valdybos posėdis: biudžetas");
    assert_eq!(stored.attendees, ["300513767", "ITK-037"]);
    assert_eq!(stored.location, "Šiauliai, Vilniaus g. 1");
    assert_eq!(
        stored.date.map(|d| d.to_string()).as_deref(),
        Some("2025-10-20")
    );
    assert!(!c.focused().detail.is_draft());
    assert_eq!(c.focused().focus, Focus::List);
    assert_eq!(c.list().len(), before + 1);
    assert_eq!(c.cursor_key(), slug, "the list shows the new meeting");
    // The members it names list it.
    assert_eq!(
        c.app
            .catalog()
            .meetings_of("ITK-037")
            .first()
            .map(|m| m.title.as_str()),
        Some("Valdybos posėdis: biudžetas")
    );

    c.keys("u");
    assert!(c.app.store().get::<Meeting>(slug).ok().flatten().is_none());
    assert_eq!(c.list().len(), before);
}

#[test]
fn q_refuses_an_unsaved_new_record_and_q_bang_quits() {
    let mut c = Console::demo();
    c.keys("o");
    assert_eq!(c.detail_field(), Some("code"));
    c.text("NEW-1");
    c.keys("<Esc>");
    c.keys("h");
    assert_eq!(
        c.focused().focus,
        Focus::Detail,
        "h cannot leave a new record"
    );
    assert!(c.message_is_error());
    c.keys(":q<Enter>");
    assert!(!c.app.quitting());
    assert!(c.message_is_error());
    assert!(c.message().contains("not saved"), "{}", c.message());
    c.keys("ZZ");
    assert!(!c.app.quitting(), "ZZ cannot save a member without a name");
    c.keys(":q!<Enter>");
    assert!(c.app.quitting());
    assert!(c.member("NEW-1").is_none());
}

#[test]
fn q_quits_when_nothing_is_unsaved() {
    let mut c = Console::demo();
    c.keys(":q<Enter>");
    assert!(c.app.quitting());
}

// ---- several records at once

#[test]
fn three_dd_deletes_three_in_one_batch_u_brings_them_back_ctrl_r_again() {
    let mut c = Console::demo();
    let keys = prospects_only(&mut c);
    c.keys("3dd");
    assert_eq!(c.message(), "deleted 3 members (u undoes)");
    for k in &keys[..3] {
        assert!(c.member(k).is_none(), "{k} deleted");
    }
    for k in &keys[3..] {
        assert!(c.member(k).is_some(), "{k} kept");
    }
    assert_eq!(c.member_codes().len(), 36);
    assert_eq!(c.visible_keys(), keys[3..]);
    assert_eq!(c.app.undo_depth(), 1, "one batch");

    c.keys("u");
    assert_eq!(c.member_codes().len(), 39);
    for k in &keys {
        assert!(c.member(k).is_some(), "{k} back");
    }
    assert_eq!(sorted(c.visible_keys()), sorted(keys.clone()));

    c.keys("<C-r>");
    assert_eq!(c.member_codes().len(), 36);
    for k in &keys[..3] {
        assert!(c.member(k).is_none(), "{k} deleted again");
    }
    c.keys("<C-r>");
    assert_eq!(c.message(), "already at newest change");
}

#[test]
fn dd_refuses_a_member_others_refer_to() {
    let mut c = Console::demo();
    c.keys("dd");
    assert!(c.message_is_error());
    assert!(c.message().contains("cannot be removed"), "{}", c.message());
    assert_eq!(c.member_codes().len(), 39);
    assert!(c.app.undo_depth() == 0);
}

#[test]
fn visual_set_changes_three_members_in_one_batch() {
    let mut c = Console::demo();
    let keys: Vec<String> = c.visible_keys()[..3].to_vec();
    for k in &keys {
        assert_eq!(c.member(k).map(|m| m.status), Some(Status::Active));
    }
    c.keys("Vjj");
    assert_eq!(c.app.mode(), Mode::Visual);
    assert_eq!(c.list().anchor, Some(0));
    assert_eq!(c.list().selection(1), 0..3);
    c.keys(":set status=suspended<Enter>");
    assert_eq!(c.app.mode(), Mode::Normal);
    assert_eq!(c.list().anchor, None);
    for k in &keys {
        assert_eq!(
            c.member(k).map(|m| m.status),
            Some(Status::Suspended),
            "{k}"
        );
    }
    assert_eq!(c.message(), "set status on 3 members (u undoes)");
    assert_eq!(c.app.undo_depth(), 1, "one batch");
    // The untouched neighbour.
    let fourth = &c.visible_keys()[3];
    assert_eq!(c.member(fourth).map(|m| m.status), Some(Status::Active));

    c.keys("u");
    for k in &keys {
        assert_eq!(
            c.member(k).map(|m| m.status),
            Some(Status::Active),
            "{k} restored"
        );
    }
}

#[test]
fn set_without_a_selection_changes_the_record_under_the_cursor() {
    let mut c = Console::demo();
    c.keys("j:set city=Kaunas<Enter>");
    let second = c.cursor_key();
    assert_eq!(c.member(&second).map(|m| m.city).as_deref(), Some("Kaunas"));
    assert_eq!(c.message(), "set city on 1 member (u undoes)");
    c.keys(":set joined=2014-13-01<Enter>");
    assert!(c.message_is_error());
    assert!(c.message().contains("2014-13-01"), "{}", c.message());
    assert_eq!(c.app.undo_depth(), 1);
}

#[test]
fn visual_d_deletes_the_selection() {
    let mut c = Console::demo();
    let keys = prospects_only(&mut c);
    c.keys("Vjjd");
    assert_eq!(c.app.mode(), Mode::Normal);
    assert_eq!(c.member_codes().len(), 36);
    for k in &keys[..3] {
        assert!(c.member(k).is_none(), "{k} deleted");
    }
    assert_eq!(c.visible_keys(), keys[3..]);
    c.keys("u");
    assert_eq!(c.member_codes().len(), 39);
}

#[test]
fn visual_selection_extends_upwards_and_esc_ends_it() {
    let mut c = Console::demo();
    c.keys("5jVkk");
    assert_eq!(c.list().selection(1), 3..6);
    c.keys("<Esc>");
    assert_eq!(c.app.mode(), Mode::Normal);
    assert_eq!(c.list().anchor, None);
}

// ---- clipboard and paste

#[test]
fn yy_copies_the_member_code_in_the_list_and_the_field_in_the_detail() {
    let mut c = Console::demo();
    c.keys("yy");
    assert_eq!(c.take_clipboard(), ["100301128"]);
    assert_eq!(c.message(), "copied 9 characters to the clipboard");
    c.keys("2yy");
    assert_eq!(c.take_clipboard(), ["100301128\n103462655"]);
    c.keys("l");
    c.goto_field("city");
    c.keys("yy");
    assert_eq!(c.take_clipboard(), ["Kaunas"]);
    c.goto_field("name");
    c.keys("yy");
    assert_eq!(c.take_clipboard(), ["AB „Kauno elektros įranga“"]);
    assert_eq!(c.message(), "copied 26 characters to the clipboard");
}

#[test]
fn visual_y_copies_the_selected_codes() {
    let mut c = Console::demo();
    c.keys("Vjy");
    assert_eq!(c.take_clipboard(), ["100301128\n103462655"]);
    assert_eq!(c.app.mode(), Mode::Normal);
}

#[test]
fn a_paste_in_normal_mode_is_never_run_as_keys() {
    let mut c = Console::demo();
    let keys = prospects_only(&mut c);
    c.app.handle_event(Event::Paste("dd".into()));
    c.app.handle_event(Event::Paste("3dd:q!\r".into()));
    assert_eq!(c.member_codes().len(), 39);
    assert_eq!(c.visible_keys(), keys);
    assert!(!c.app.quitting());
    assert!(c.message_is_error());
    assert!(c.message().contains("paste ignored"), "{}", c.message());
    assert_eq!(c.app.mode(), Mode::Normal);
}

#[test]
fn a_paste_in_insert_mode_is_text() {
    let mut c = Console::demo();
    edit(&mut c, "zaibo", "city");
    c.keys("<C-u>");
    c.app.handle_event(Event::Paste("Kaunas\r\nLT".into()));
    assert_eq!(
        c.editor_text().as_deref(),
        Some("Kaunas LT"),
        "one line stays one line"
    );
    c.keys("<C-u>");
    c.app.handle_event(Event::Paste("dd\x1b[2J".into()));
    assert_eq!(
        c.editor_text().as_deref(),
        Some("dd[2J"),
        "controls are dropped, not stored as marks"
    );
    assert_eq!(c.app.mode(), Mode::Insert);
    assert_eq!(c.member_codes().len(), 39);
}

#[test]
fn a_paste_in_the_search_prompt_searches() {
    let mut c = Console::demo();
    c.keys("/");
    c.app.handle_event(Event::Paste("Šiaul\n".into()));
    assert_eq!(c.app.mode(), Mode::Search);
    assert_eq!(c.list().query, "Šiaul ");
    assert_eq!(
        sorted(c.visible_keys()),
        sorted(members_matching(&c, "siaul"))
    );
}

// ---- help, unknown and pending keys

#[test]
fn f1_and_help_open_the_help_and_any_key_closes_it() {
    let mut c = Console::demo();
    c.keys("<F1>");
    assert_eq!(c.app.help_scroll(), Some(0));
    c.keys("jj");
    assert_eq!(c.app.help_scroll(), Some(2), "j scrolls the help");
    c.keys("k");
    assert_eq!(c.app.help_scroll(), Some(1));
    c.keys("x");
    assert_eq!(c.app.help_scroll(), None);
    assert_eq!(
        c.list().cursor,
        0,
        "the keys went to the help, not the list"
    );

    c.keys(":help<Enter>");
    assert_eq!(c.app.help_scroll(), Some(0));
    assert!(c.screen(80, 24).contains("Help: keymap vim"));
    c.keys("d");
    assert_eq!(c.app.help_scroll(), None);
    c.keys("d");
    assert_eq!(c.app.pending_keys().len(), 1, "the closing d was not kept");
    c.keys("<Esc>");
}

#[test]
fn unknown_keys_say_so() {
    let mut c = Console::demo();
    c.keys("X");
    assert!(c.message_is_error());
    assert_eq!(c.message(), "X is not mapped (F1 or :help lists the keys)");
    c.keys("gx");
    assert_eq!(c.message(), "gx is not mapped (F1 or :help lists the keys)");
    assert!(c.app.pending_keys().is_empty());
    c.keys("j");
    assert!(
        c.app.message().is_none(),
        "a key that runs clears the message"
    );
    c.keys(":frobnicate<Enter>");
    assert!(
        c.message().starts_with("unknown command :frobnicate"),
        "{}",
        c.message()
    );
}

#[test]
fn a_pending_key_is_held_and_shown_in_the_status_line() {
    let mut c = Console::demo();
    c.keys("g");
    assert_eq!(c.app.pending_keys(), vec![Key::char('g')]);
    let status = status_line(&c);
    assert!(status.starts_with(" NORMAL  g "), "{status:?}");
    c.keys("g");
    assert!(c.app.pending_keys().is_empty());
    assert!(
        status_line(&c).starts_with(" NORMAL  "),
        "{}",
        status_line(&c)
    );

    c.keys("12");
    assert_eq!(c.app.count(), Some(12));
    c.keys("<C-w>");
    let status = status_line(&c);
    assert!(status.starts_with(" NORMAL  12<C-w> "), "{status:?}");
    c.keys("<Esc>");
    assert!(c.app.pending_keys().is_empty());
    assert_eq!(c.app.count(), None);
}

fn status_line(c: &Console) -> String {
    c.screen(80, 24)
        .lines()
        .nth(22)
        .unwrap_or_default()
        .to_string()
}

// ---- other keymaps

#[test]
fn a_user_keymap_can_add_and_unbind_keys() {
    let text = r#"
[normal]
prepend_keymap = [
    { on = "x", run = "move_down", desc = "Down" },
    { on = ["d", "d"], run = "noop" },
]
"#;
    let keymap = Keymap::from_user_text("keymap.toml", text).unwrap_or_else(|e| panic!("{e}"));
    let mut c = Console::with_keymap(keymap);
    c.keys("xx");
    assert_eq!(c.list().cursor, 2);
    let keys = prospects_only(&mut c);
    c.keys("dd");
    assert_eq!(c.member_codes().len(), 39, "dd is unbound");
    assert_eq!(c.visible_keys(), keys);
    assert!(!c.message_is_error(), "{}", c.message());
    // The rest of vim is still there.
    c.keys("G");
    assert_eq!(c.list().cursor, 4);
    c.keys("Vd");
    assert_eq!(c.member_codes().len(), 38, "visual d is still bound");
}

#[test]
fn the_plain_keymap_moves_with_arrows_and_edits_with_f2() {
    let keymap = Keymap::builtin("plain")
        .unwrap_or_else(|| panic!("plain is built in"))
        .unwrap_or_else(|e| panic!("{e}"));
    let mut c = Console::with_keymap(keymap);
    c.keys("<Down><Down>");
    assert_eq!(c.list().cursor, 2);
    c.keys("j");
    assert_eq!(c.list().cursor, 2, "j is not a key in plain");
    c.keys("<F2>");
    assert_eq!(c.app.mode(), Mode::Insert);
    assert_eq!(c.focused().focus, Focus::Detail);
    c.keys("<Esc>");
    assert_eq!(c.app.mode(), Mode::Normal, "Esc drops the edit in plain");
    c.keys("<Down><Down><Down><Down><Down><Down><Down><F2>");
    assert_eq!(c.detail_field(), Some("city"));
    c.keys("<End>");
    c.text("-2");
    c.keys("<Enter>");
    assert_eq!(
        c.member("ITK-011").map(|m| m.city).as_deref(),
        Some("Alytus-2")
    );
    c.keys("<C-z>");
    assert_eq!(
        c.member("ITK-011").map(|m| m.city).as_deref(),
        Some("Alytus")
    );
}

// ---- bugs found (ignored until fixed)

#[test]
fn esc_in_a_search_returns_the_cursor_to_its_record() {
    let mut c = Console::demo();
    c.keys("5j");
    let before = c.cursor_key();
    c.keys("/siaul<Esc>");
    assert_eq!(c.list().len(), 39);
    assert_eq!(
        c.cursor_key(),
        before,
        "back where it was, as vim's incsearch does"
    );
    assert_eq!(c.detail_key(), Some(before));
}

#[test]
fn a_command_that_moves_the_focus_from_visual_mode_ends_the_selection() {
    let mut c = Console::demo();
    let keys = prospects_only(&mut c);
    c.keys("Vj:vsplit<Enter>");
    assert_eq!(c.app.mode(), Mode::Normal);
    c.keys("<C-w>h");
    assert_eq!(
        c.list().anchor,
        None,
        "the selection ended with visual mode"
    );
    // dd deletes the record under the cursor, not the old selection.
    c.keys("dd");
    assert_eq!(c.member_codes().len(), 38, "one record deleted");
    assert!(
        c.member(&keys[0]).is_some(),
        "{} was only in the old selection",
        keys[0]
    );

    let mut c = Console::demo();
    c.keys("Vj:tabn<Enter>gT");
    assert_eq!(c.app.mode(), Mode::Normal);
    assert_eq!(c.list().anchor, None);
    c.keys(":set city=Kaunas<Enter>");
    assert_eq!(c.message(), "set city on 1 member (u undoes)");
}

#[test]
fn closing_the_window_of_an_unsaved_new_record_is_refused() {
    let mut c = Console::demo();
    c.keys("o");
    c.text("NEW-1");
    c.keys("<Esc><C-w>v");
    assert!(c.app.has_unsaved());
    c.keys("<C-w>o");
    assert!(c.app.has_unsaved(), "Ctrl-w o kept the new record");
    assert!(c.message_is_error());

    let mut c = Console::demo();
    c.keys("o");
    c.text("NEW-1");
    c.keys("<Esc><C-w>v<C-w>h<C-w>c");
    assert!(c.app.has_unsaved(), "Ctrl-w c kept the new record");
    assert!(c.message_is_error());
}

#[test]
fn o_does_not_drop_a_new_record_being_filled_in() {
    let mut c = Console::demo();
    c.keys("o");
    c.text("NEW-1");
    c.keys("<Esc>o");
    assert_eq!(
        c.detail_key().as_deref(),
        Some("NEW-1"),
        "the typed code is kept"
    );
    assert!(c.message_is_error(), "{}", c.message());
}

#[test]
fn the_mouse_wheel_does_not_move_away_from_an_open_editor() {
    use ratatui::crossterm::event::{MouseEvent, MouseEventKind};
    let mut c = Console::demo();
    c.keys(":set mouse<Enter>l");
    c.goto_field("city");
    c.keys("i");
    c.app.handle_event(Event::Mouse(MouseEvent {
        kind: MouseEventKind::ScrollDown,
        column: 50,
        row: 5,
        modifiers: KeyModifiers::NONE,
    }));
    assert_eq!(c.app.mode(), Mode::Insert);
    assert_eq!(
        c.detail_field(),
        c.focused().detail.editor().map(|e| e.field),
        "the field under the cursor is the one being edited"
    );
}

#[test]
fn k_scrolls_the_help_back_at_once_after_scrolling_past_the_end() {
    let mut c = Console::demo();
    c.keys("<F1>");
    for _ in 0..200 {
        c.keys("j");
    }
    let at_end = c.screen(80, 24);
    c.keys("k");
    assert_ne!(c.screen(80, 24), at_end, "k scrolled up");
}

// ---- found in review, now fixed

#[test]
fn a_pasted_note_keeps_its_line_breaks_sent_as_bare_returns() {
    let mut c = Console::demo();
    edit(&mut c, "zaibo", "notes");
    c.keys("<C-u>");
    // Terminals (tmux too) send a pasted line break as a bare \r.
    c.app
        .handle_event(Event::Paste("Line A\rLine B\x1b[2J\x07end\rLine C".into()));
    let text = c.editor_text().unwrap_or_default();
    assert!(text.ends_with("Line A\nLine B[2Jend\nLine C"), "{text:?}");
}

#[test]
fn a_new_record_can_be_dropped_and_insert_errors_say_how_to_get_out() {
    let mut c = Console::demo();
    c.keys("o");
    assert!(c.focused().detail.is_draft());
    // Esc on an empty required field: refused, with the way out named.
    c.keys("<Esc>");
    assert_eq!(c.app.mode(), Mode::Normal);
    assert!(c.message().contains("<Esc> drops it"), "{}", c.message());
    c.keys("<Esc>");
    assert!(c.focused().detail.editor().is_none());
    c.keys("h");
    assert!(c.message().contains(":e! drops it"), "{}", c.message());
    c.keys(":e!<Enter>");
    assert!(!c.focused().detail.is_draft());
    assert!(!c.app.quitting(), ":e! drops the record, not the console");
    assert_eq!(c.member_codes().len(), 39);
}

#[test]
fn a_members_meetings_and_news_can_be_scrolled_to_at_80x24() {
    let mut c = Console::sized(vim(), 80, 24);
    c.keys("/zaibo<Enter>l");
    let code = c.cursor_key();
    let fields = c.focused().detail.field_count();
    c.keys(&format!("{}j", fields + 40));
    let screen = c.screen(80, 24);
    assert!(screen.contains("meetings naming it"), "{code}:\n{screen}");
    // Back up to the fields.
    c.keys(&format!("{}k", fields + 60));
    assert_eq!(c.focused().detail.field, 0);
    assert_eq!(c.focused().detail.below, 0);
}

#[test]
fn a_refused_visual_set_keeps_the_selection() {
    let mut c = Console::demo();
    c.keys("Vjj:set status=bogus<Enter>");
    assert!(c.message_is_error(), "{}", c.message());
    assert_eq!(c.app.mode(), Mode::Visual);
    assert_eq!(c.list().selection(1).len(), 3);
}

#[test]
fn esc_abandons_a_pending_sequence_silently() {
    let mut c = Console::demo();
    c.keys("d<Esc>");
    assert!(c.app.pending_keys().is_empty());
    assert_eq!(c.message(), "");
    c.keys("5<Esc>j");
    assert_eq!(c.list().cursor, 1, "the count was dropped");
}

#[test]
fn a_split_without_room_is_refused() {
    let mut c = Console::sized(vim(), 80, 24);
    c.keys("<C-w>v");
    assert_eq!(c.app.workspace().tab().root.windows().len(), 2);
    c.keys("<C-w>v<C-w>v<C-w>v");
    let n = c.app.workspace().tab().root.windows().len();
    assert!(n < 5, "{n} windows at 80 columns");
    assert!(c.message().contains("not enough room"), "{}", c.message());
}

#[test]
fn messages_name_the_keys_of_the_plain_keymap() {
    let plain = Keymap::builtin("plain")
        .expect("plain exists")
        .expect("plain loads");
    let mut c = Console::with_keymap(plain);
    c.keys(":filter status=prospect<Enter><Delete>");
    assert!(c.message().contains("<C-z> undoes"), "{}", c.message());
    c.keys("<C-z>");
    assert!(c.message().contains("<C-y> redoes"), "{}", c.message());
}
