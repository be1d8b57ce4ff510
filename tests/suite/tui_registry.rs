//! The command registry (issue 10): keys and `:` lines resolve through one
//! list, help is made from it, and every key the console reacts to is in a
//! keymap section, so a user's keymap can move it.

use crate::fixtures::tui as common;

use clusterdesk::model::Member;
use clusterdesk::tui::action::Mode;
use clusterdesk::tui::keymap::Keymap;
use clusterdesk::tui::registry::COMMANDS;
use common::*;

fn user(text: &str) -> Keymap {
    Keymap::from_user_text("keymap.toml", text).unwrap_or_else(|e| panic!("{e}"))
}

/// Every line the help shows, scrolled through to the end.
fn whole_help(c: &mut Console) -> String {
    c.keys("<F1>");
    let mut seen = String::new();
    for _ in 0..40 {
        seen.push_str(&c.screen(120, 24));
        c.keys("<C-d>");
    }
    c.keys("q");
    seen
}

#[test]
fn help_lists_every_command_the_command_line_runs() {
    let mut c = Console::demo();
    let help = whole_help(&mut c);
    for command in COMMANDS {
        for alias in command.aliases {
            assert!(
                help.contains(&format!(":{alias} ")) || help.contains(&format!(":{alias})")),
                ":{alias} ({}) is missing from the help",
                command.action.name()
            );
        }
    }
    // What drifted before the registry: :e!, :tabn, :undo, :redo.
    for form in [
        ":edit! (:e!)",
        ":tabnext (:tabn)",
        ":undo (:u)",
        ":redo (:red)",
    ] {
        assert!(help.contains(form), "{form}");
    }
    assert!(help.contains("help mode"), "the [help] section is listed");
    assert!(
        help.contains("conflict mode"),
        "the [conflict] section is listed"
    );
}

#[test]
fn each_listed_command_runs_what_its_key_runs() {
    let mut c = Console::demo();
    c.keys(":tabnext<Enter>");
    assert_eq!(
        c.focused().collection(),
        clusterdesk::model::Collection::News
    );
    c.keys(":tabp<Enter>");
    assert_eq!(
        c.focused().collection(),
        clusterdesk::model::Collection::Members
    );
    c.keys(":vs news<Enter>");
    assert_eq!(
        c.focused().collection(),
        clusterdesk::model::Collection::News
    );
    c.keys(":vs nothing<Enter>");
    assert!(c.message_is_error());
    assert!(
        c.message().contains("no collection \"nothing\""),
        "{}",
        c.message()
    );
}

#[test]
fn set_takes_several_fields_in_one_batch() {
    let mut c = Console::demo();
    let code = c.cursor_key();
    c.keys(":set city=Kaunas Centras phone=+370 600 00001<Enter>");
    assert_eq!(c.message(), "set city, phone on 1 member (u undoes)");
    let m: Member = c.member(&code).expect("the member");
    assert_eq!(m.city, "Kaunas Centras");
    assert_eq!(m.phone, "+370 600 00001");
    assert_eq!(c.app.undo_depth(), 1, "one batch");
    c.keys("u");
    let m: Member = c.member(&code).expect("the member");
    assert_ne!(m.city, "Kaunas Centras", "one undo takes back both");
    assert_ne!(m.phone, "+370 600 00001");

    c.keys(":set city=Vilnius sector=nonsense<Enter>");
    assert!(c.message_is_error(), "{}", c.message());
    let m: Member = c.member(&code).expect("the member");
    assert_ne!(m.city, "Vilnius", "all or none");

    c.keys(":set colour=red<Enter>");
    assert!(
        c.message().starts_with("no field colour here"),
        "{}",
        c.message()
    );
}

#[test]
fn esc_after_a_count_drops_the_count_and_stays() {
    let mut c = Console::demo();
    c.keys("j5<Esc>");
    assert_eq!(c.list().cursor, 1);
    c.keys("j");
    assert_eq!(c.list().cursor, 2, "the 5 was dropped");
    c.keys("l3<Esc>");
    assert!(c.detail_key().is_some());
    assert_eq!(
        c.focused().focus,
        clusterdesk::tui::window::Focus::Detail,
        "Esc after a count stays in the detail"
    );
}

#[test]
fn a_user_keymap_moves_the_help_keys_backspace_and_the_wheel() {
    let keymap = user(
        r#"
[help]
prepend_keymap = [ { on = "n", run = "scroll_down" } ]

[command]
prepend_keymap = [ { on = "<Backspace>", run = "noop" } ]

[normal]
prepend_keymap = [ { on = "<ScrollDown>", run = "move_bottom" } ]
"#,
    );
    let mut c = Console::with_keymap(keymap);
    c.keys("<F1>n");
    let screen = c.screen(80, 24);
    assert!(
        !screen.contains("Help: keymap"),
        "n scrolled past the title:\n{screen}"
    );
    c.keys("x");
    assert!(!c.screen(80, 24).contains("Help: keymap"));

    c.keys(":<Backspace>");
    assert_eq!(
        c.app.mode(),
        Mode::Command,
        "Backspace unbound: the prompt stays"
    );
    c.keys("<Esc>");

    c.keys(":set mouse<Enter>");
    c.mouse(ratatui::crossterm::event::MouseEventKind::ScrollDown);
    assert_eq!(
        c.list().cursor,
        c.list().len() - 1,
        "the wheel ran move_bottom"
    );
}

#[test]
fn the_wheel_moves_three_records_in_the_default_keymap() {
    let mut c = Console::demo();
    c.mouse(ratatui::crossterm::event::MouseEventKind::ScrollDown);
    assert_eq!(c.list().cursor, 0, "the wheel is off until :set mouse");
    c.keys(":set mouse<Enter>");
    c.mouse(ratatui::crossterm::event::MouseEventKind::ScrollDown);
    assert_eq!(c.list().cursor, 3);
    c.mouse(ratatui::crossterm::event::MouseEventKind::ScrollUp);
    assert_eq!(c.list().cursor, 0);
}

#[test]
fn undo_and_redo_say_what_they_undid_and_where() {
    let mut c = Console::demo();
    let code = c.cursor_key();
    c.keys(":set city=Zarasai<Enter>u");
    assert_eq!(
        c.message(),
        format!("undone: city of member {code} (<C-r> redoes)")
    );
    c.keys("<C-r>");
    assert_eq!(c.message(), format!("redone: city of member {code}"));

    c.keys("gt");
    c.keys("u");
    assert_eq!(
        c.message(),
        format!("undone: city of member {code} (in members) (<C-r> redoes)"),
        "an undo of another tab's change names it"
    );
    assert_ne!(c.member(&code).map(|m| m.city).as_deref(), Some("Zarasai"));
}

#[test]
fn messages_shows_what_the_status_line_cut_off() {
    let mut c = Console::demo();
    c.keys(":set city=Zarasai<Enter>");
    c.keys(":nonsense<Enter>");
    c.keys(":messages<Enter>");
    let screen = c.screen(100, 24);
    assert!(screen.contains("Messages, newest last"), "{screen}");
    assert!(screen.contains("set city on 1 member"), "{screen}");
    assert!(screen.contains("unknown command :nonsense"), "{screen}");
    c.keys("x");
    assert!(!c.screen(100, 24).contains("Messages, newest last"));
    assert_eq!(c.list().cursor, 0, "the closing key went nowhere else");
}

#[test]
fn an_enter_typed_before_the_console_started_still_runs_the_command() {
    // Typed while the terminal was still in line mode, Enter arrives as
    // Ctrl-J (the terminal's newline); the text field would take it as
    // "delete to the line's start" and lose the command.
    let mut c = Console::demo();
    let code = c.cursor_key();
    c.keys(":set city=Zarasai<C-j>");
    assert_eq!(c.app.mode(), Mode::Normal);
    assert_eq!(c.message(), "set city on 1 member (u undoes)");
    assert_eq!(c.member(&code).map(|m| m.city).as_deref(), Some("Zarasai"));
    c.keys("/zaibo<C-j>");
    assert_eq!(c.app.mode(), Mode::Normal);
    assert!(c.message().contains("matching /zaibo"), "{}", c.message());
    c.keys("<C-j>");
    assert!(c.detail_key().is_some(), "Ctrl-J opens as Enter does");
}
