//! Edits in the console that meet someone else's change (issue 5), driven
//! by keys on a `TestBackend`: the other coordinator's save is made on the
//! same store while the field is open. Nothing is saved over it unasked;
//! both versions are shown; `m`, `t` and `f` do what they say; a bulk
//! change over a changed record is refused whole.

use crate::fixtures::tui as common;

use clusterdesk::model::{Member, Record};
use clusterdesk::tui::action::Mode;
use common::*;

const CODE: &str = "300513767";

/// Opens the member's phone, types `mine`, and meanwhile "someone else"
/// saves `their_phone` and `their_city`; then Esc tries to save.
fn meet_a_conflict(c: &mut Console, mine: &str, their_phone: &str, their_city: &str) {
    c.keys("/zaibo<Enter>l");
    c.goto_field("phone");
    c.keys("i<C-u>");
    c.text(mine);
    let mut theirs = c.member(CODE).expect("the member");
    theirs.set_text("phone", their_phone).expect("phone");
    theirs.set_text("city", their_city).expect("city");
    c.app.store().put(theirs).expect("the other save");
    c.keys("<Esc>");
}

fn phone_and_city(c: &Console) -> (String, String) {
    let m: Member = c.member(CODE).expect("the member");
    (m.phone.clone(), m.city.clone())
}

#[test]
fn a_conflict_saves_nothing_and_shows_both_versions() {
    let mut c = Console::demo();
    meet_a_conflict(&mut c, "+370 611 11111", "+370 622 22222", "Kaunas");
    assert!(c.app.conflict().is_some(), "{}", c.message());
    assert!(c.message_is_error());
    assert!(
        c.message().contains("changed by someone else"),
        "{}",
        c.message()
    );
    assert_eq!(
        phone_and_city(&c),
        ("+370 622 22222".into(), "Kaunas".into()),
        "their save stands"
    );
    let screen = c.screen(120, 40);
    assert!(screen.contains("changed meanwhile"), "{screen}");
    assert!(screen.contains("theirs +370 622 22222"), "{screen}");
    assert!(screen.contains("mine   +370 611 11111"), "{screen}");
    assert!(screen.contains("theirs Kaunas"), "{screen}");

    // Esc goes back to the edit, still open with what was typed.
    c.keys("<Esc>");
    assert!(c.app.conflict().is_none());
    assert_eq!(c.app.mode(), Mode::Insert);
    assert_eq!(c.editor_text().as_deref(), Some("+370 611 11111"));
}

#[test]
fn f_merges_their_fields_with_the_one_i_changed() {
    let mut c = Console::demo();
    let city = phone_and_city(&c).1;
    // They change only the city (the phone stays as it was).
    meet_a_conflict(&mut c, "+370 611 11111", "+370 667 42251", "Kaunas");
    assert_ne!(city, "Kaunas");
    c.keys("f");
    assert!(c.app.conflict().is_none());
    assert_eq!(c.app.mode(), Mode::Normal);
    assert_eq!(
        phone_and_city(&c),
        ("+370 611 11111".into(), "Kaunas".into()),
        "my phone, their city"
    );
    assert!(c.message().starts_with("merged"), "{}", c.message());
}

#[test]
fn m_keeps_mine_whole_and_t_takes_theirs() {
    let mut c = Console::demo();
    let before = phone_and_city(&c);
    meet_a_conflict(&mut c, "+370 611 11111", "+370 622 22222", "Kaunas");
    c.keys("m");
    // Mine is the record as I had it, with my phone: their city goes too.
    assert_eq!(
        phone_and_city(&c),
        ("+370 611 11111".into(), before.1.clone())
    );

    let mut c = Console::demo();
    meet_a_conflict(&mut c, "+370 611 11111", "+370 622 22222", "Kaunas");
    c.keys("t");
    assert!(c.app.conflict().is_none());
    assert_eq!(c.app.mode(), Mode::Normal);
    assert_eq!(
        phone_and_city(&c),
        ("+370 622 22222".into(), "Kaunas".into())
    );
    let shown = c.focused().detail.current_field().map(|(_, _, v)| v);
    assert_eq!(
        shown.as_deref(),
        Some("+370 622 22222"),
        "the detail shows theirs"
    );
}

#[test]
fn a_record_removed_meanwhile_is_a_conflict_too() {
    let mut c = Console::demo();
    let mut lone = Member::empty(uuid::Uuid::now_v7());
    lone.set_text("code", "ZZ1").expect("code");
    lone.set_text("name", "UAB Vienišas").expect("name");
    lone.set_text("sector", "ict").expect("sector");
    c.app.store().put(lone).expect("added");
    c.app.reload_all();
    c.keys("/vienisas<Enter>l");
    assert_eq!(c.detail_key().as_deref(), Some("ZZ1"));
    c.goto_field("phone");
    c.keys("i<C-u>");
    c.text("+370 611 11111");
    c.app
        .store()
        .remove::<Member>(&["ZZ1"])
        .expect("someone removes it");
    c.keys("<Esc>");
    assert!(c.app.conflict().is_some(), "{}", c.message());
    assert!(
        c.message().contains("removed by someone else"),
        "{}",
        c.message()
    );
    // m saves mine again: the member is back, with my phone.
    c.keys("m");
    assert_eq!(
        c.member("ZZ1").map(|m| m.phone).as_deref(),
        Some("+370 611 11111")
    );
}

#[test]
fn the_conflict_keys_are_a_keymap_section_a_user_can_change() {
    let keymap = clusterdesk::tui::keymap::Keymap::from_user_text(
        "keymap.toml",
        r#"
[conflict]
prepend_keymap = [
    { on = "M", run = "keep_mine" },
    { on = "m", run = "noop" },
]
"#,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let mut c = Console::with_keymap(keymap);
    let before = phone_and_city(&c);
    meet_a_conflict(&mut c, "+370 611 11111", "+370 622 22222", "Kaunas");
    assert!(c.app.conflict().is_some());
    c.keys("m");
    assert!(c.app.conflict().is_some(), "m is unbound here");
    c.keys("M");
    assert!(c.app.conflict().is_none(), "{}", c.message());
    assert_eq!(
        phone_and_city(&c),
        ("+370 611 11111".into(), before.1),
        "M kept mine"
    );
}
