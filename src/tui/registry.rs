//! The console's one list of commands: each has a name (what a keymap
//! entry's `run` says), the `:` names it answers to, a one-line doc and the
//! one function it runs. Keymaps and the command line both resolve here,
//! and `:help` is made from this list and the keymap in use, so neither can
//! drift from what the console does.
//!
//! A key's behaviour is found in one hop: keymap entry -> entry here ->
//! the method it calls, in the file named for its kind of work (`motion.rs`,
//! `panes.rs`, `editing.rs`, `changes.rs`, `command.rs`, `resolve.rs`,
//! `help.rs`).

use ratatui::layout::Direction;

use super::app::{App, Effect, PromptKind};

/// What a command is called with: a count typed before its key (`5j`) or
/// given as `:N`, and the words after a `:` name.
#[derive(Debug, Clone, Copy, Default)]
pub struct Call<'a> {
    pub count: Option<usize>,
    pub args: &'a str,
}

impl Call<'_> {
    /// The count, 1 when none was typed.
    pub fn n(&self) -> usize {
        self.count.unwrap_or(1)
    }
}

/// One entry of the registry.
pub struct Command {
    pub action: Action,
    /// The `:` names, the first the one help shows; none when the command
    /// is only for keys.
    pub aliases: &'static [&'static str],
    /// What follows the `:` name, for help: `C`, `F=V ...`.
    pub args: &'static str,
    pub doc: &'static str,
    pub run: fn(&mut App, &Call),
}

impl Command {
    /// How help writes the `:` form: `:vsplit C`.
    pub fn usage(&self) -> Option<String> {
        let name = self.aliases.first()?;
        Some(match self.args {
            "" => format!(":{name}"),
            args => format!(":{name} {args}"),
        })
    }
}

macro_rules! registry {
    ($(
        $variant:ident = $name:literal, [$($alias:literal),*], $args:literal, $doc:literal,
        $run:expr;
    )+) => {
        /// A thing the console can be asked to do, by key or by `:` name.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Action { $($variant),+ }

        /// Every command, in the order of [`Action`].
        pub static COMMANDS: &[Command] = &[$(Command {
            action: Action::$variant,
            aliases: &[$($alias),*],
            args: $args,
            doc: $doc,
            run: $run,
        }),+];

        impl Action {
            pub const ALL: &'static [Action] = &[$(Action::$variant),+];

            /// The name a keymap file uses.
            pub fn name(self) -> &'static str {
                match self { $(Action::$variant => $name),+ }
            }

            pub fn parse(name: &str) -> Option<Action> {
                match name { $($name => Some(Action::$variant),)+ _ => None }
            }
        }
    };
}

impl Action {
    /// The command's entry.
    pub fn command(self) -> &'static Command {
        // COMMANDS is written in Action's order by the macro.
        &COMMANDS[self as usize]
    }

    pub fn doc(self) -> &'static str {
        self.command().doc
    }

    /// The command a `:` name stands for.
    pub fn by_alias(name: &str) -> Option<Action> {
        COMMANDS
            .iter()
            .find(|c| c.aliases.contains(&name))
            .map(|c| c.action)
    }
}

impl App {
    /// Runs a command as a key runs it, with the count typed before the key.
    pub fn run_action(&mut self, action: Action, count: Option<usize>) {
        self.run_call(action, &Call { count, args: "" });
    }

    pub fn run_call(&mut self, action: Action, call: &Call) {
        (action.command().run)(self, call);
    }
}

registry! {
    // Moving in a list or a record (motion.rs).
    MoveDown = "move_down", [], "", "Down one record or field",
        |app, c| app.move_cursor(c.n() as isize);
    MoveUp = "move_up", [], "", "Up one record or field",
        |app, c| app.move_cursor(-(c.n() as isize));
    MoveTop = "move_top", [], "", "First record (with a count N: record N)",
        |app, c| app.jump(c.count.map_or(0, |n| n.saturating_sub(1)));
    MoveBottom = "move_bottom", [], "", "Last record (with a count N: record N)",
        |app, c| app.jump(c.count.map_or(usize::MAX, |n| n.saturating_sub(1)));
    HalfPageDown = "half_page_down", [], "", "Down half a page",
        |app, c| app.move_pages(c.n() as isize, 2);
    HalfPageUp = "half_page_up", [], "", "Up half a page",
        |app, c| app.move_pages(-(c.n() as isize), 2);
    PageDown = "page_down", [], "", "Down a page",
        |app, c| app.move_pages(c.n() as isize, 1);
    PageUp = "page_up", [], "", "Up a page",
        |app, c| app.move_pages(-(c.n() as isize), 1);
    WheelDown = "wheel_down", [], "", "Down three records (mouse wheel)",
        |app, c| app.move_cursor(3 * c.n() as isize);
    WheelUp = "wheel_up", [], "", "Up three records (mouse wheel)",
        |app, c| app.move_cursor(-3 * c.n() as isize);
    Open = "open", [], "", "Into the record's detail (from the list); edit the field (in it)",
        |app, _| app.open();
    Back = "back", [], "", "Back to the list (first drops a count or refused text)",
        |app, c| app.back(c.count);

    // Tabs and panes (panes.rs).
    NextTab = "next_tab", ["tabnext", "tabn"], "", "Next tab",
        |app, c| app.switch_tab(|ws| ws.next_tab(c.n()));
    PrevTab = "prev_tab", ["tabprevious", "tabp"], "", "Previous tab",
        |app, c| app.switch_tab(|ws| ws.prev_tab(c.n()));
    GotoTab = "goto_tab", [], "C", "Go to the tab of collection C (:members, :news, :meetings)",
        |app, c| app.goto_tab(c.args);
    SplitVertical = "split_vertical", ["vsplit", "vs", "vnew"], "C",
        "Split side by side (the new one on C)",
        |app, c| app.split_command(Direction::Horizontal, c.args);
    SplitHorizontal = "split_horizontal", ["split", "sp", "new"], "C",
        "Split one above the other (the new one on C)",
        |app, c| app.split_command(Direction::Vertical, c.args);
    FocusLeft = "focus_left", [], "", "Pane to the left", |app, _| app.focus(-1, 0);
    FocusDown = "focus_down", [], "", "Pane below", |app, _| app.focus(0, 1);
    FocusUp = "focus_up", [], "", "Pane above", |app, _| app.focus(0, -1);
    FocusRight = "focus_right", [], "", "Pane to the right", |app, _| app.focus(1, 0);
    FocusNext = "focus_next", [], "", "Next pane", |app, _| app.focus_next();
    ClosePane = "close_pane", [], "", "Close this pane", |app, _| app.close_window();
    OnlyPane = "only_pane", [], "", "Close the other panes", |app, _| app.only_window();

    // Modes, search and the list's view (motion.rs, command.rs).
    CommandMode = "command_mode", [], "", "Command line",
        |app, _| app.open_prompt(PromptKind::Command);
    SearchForward = "search_forward", [], "", "Search forward", |app, _| app.start_search(true);
    SearchBackward = "search_backward", [], "", "Search backward",
        |app, _| app.start_search(false);
    SearchNext = "search_next", [], "", "Next match", |app, _| app.search_step(true);
    SearchPrev = "search_prev", [], "", "Previous match", |app, _| app.search_step(false);
    ClearSearch = "clear_search", ["nohlsearch", "nohl", "noh"], "", "Clear the search",
        |app, _| app.clear_search();
    Filter = "filter", ["filter"], "F=V ...",
        "Only records whose F is V (none: clears)",
        |app, c| app.filter(c.args);
    Sort = "sort", ["sort"], "F | -F", "Order by column F (-F: descending)",
        |app, c| app.sort(c.args);
    VisualMode = "visual_mode", [], "", "Select records (visual)", |app, _| app.visual();
    NormalMode = "normal_mode", [], "", "End the selection (after a count: drops the count)",
        |app, c| app.normal_mode(c.count);

    // Changing records (editing.rs, changes.rs, command.rs).
    EditField = "edit_field", [], "", "Edit the field", |app, _| app.edit_field();
    NewRecord = "new_record", [], "", "New record", |app, _| app.new_record();
    EditExternal = "edit_external", [], "", "Edit the record in $EDITOR",
        |app, _| app.effects.push(Effect::EditExternal);
    SetFields = "set_fields", ["set", "se"], "F=V ... | [no]mouse",
        "Set fields (record or selection); the wheel",
        |app, c| app.set(c.args);
    Delete = "delete", [], "", "Delete the record (or the selection)",
        |app, c| app.delete(c.n());
    Undo = "undo", ["undo", "u"], "", "Undo the last change", |app, c| app.undo(c.n());
    Redo = "redo", ["redo", "red"], "", "Redo what was undone", |app, c| app.redo(c.n());
    Yank = "yank", [], "", "Copy the field (or the selected records) to the clipboard",
        |app, c| app.yank(c.n());
    Write = "write", ["write", "w"], "", "Save the new record being filled in",
        |app, _| app.write_command();
    DropDraft = "drop_draft", ["edit!", "e!"], "", "Drop the new record being filled in",
        |app, _| app.drop_draft();

    // In insert, command and search modes (editing.rs).
    Submit = "submit", [], "", "Keep the text (field), run the command, go to the match",
        |app, _| app.submit(false);
    SubmitLine = "submit_line", [], "",
        "Enter in a field: keeps a one-line field, breaks the line in notes",
        |app, _| app.submit(true);
    Cancel = "cancel", [], "", "Drop the text and leave", |app, _| app.cancel();
    DeleteToLineStart = "delete_to_line_start", [], "", "Delete back to the start of the line",
        |app, _| app.delete_to_line_start();
    DeleteBack = "delete_back", [], "",
        "Delete the character before the cursor; on an empty command line, leave it",
        |app, _| app.delete_back();

    // A conflict shown (resolve.rs).
    KeepMine = "keep_mine", [], "", "Save my version over theirs", |app, _| app.keep_mine();
    TakeTheirs = "take_theirs", [], "", "Take their version, drop my edit",
        |app, _| app.take_theirs();
    MergeFields = "merge_fields", [], "", "Their record with the fields I changed",
        |app, _| app.merge_fields();
    BackToEdit = "back_to_edit", [], "", "Back to the edit, still open",
        |app, _| app.leave_conflict();

    // The help screen (help.rs).
    Help = "help", ["help", "h"], "", "Help: every key and command", |app, _| app.open_help();
    Messages = "messages", ["messages", "mes"], "", "The last messages, whole",
        |app, _| app.open_messages();
    ScrollDown = "scroll_down", [], "", "Scroll down", |app, c| app.scroll_help(c.n() as isize);
    ScrollUp = "scroll_up", [], "", "Scroll up", |app, c| app.scroll_help(-(c.n() as isize));
    ScrollPageDown = "scroll_page_down", [], "", "Scroll down a page",
        |app, c| app.scroll_help(10 * c.n() as isize);
    ScrollPageUp = "scroll_page_up", [], "", "Scroll up a page",
        |app, c| app.scroll_help(-10 * c.n() as isize);
    CloseHelp = "close_help", [], "", "Close the help", |app, _| app.close_help();

    // Leaving.
    Quit = "quit", ["quit", "q", "qa"], "", "Quit (not while a new record is unsaved)",
        |app, _| app.quit(false);
    ForceQuit = "force_quit", ["quit!", "q!", "qa!"], "", "Quit, dropping a new record",
        |app, _| app.quit(true);
    WriteQuit = "write_quit", ["xit", "x", "wq"], "", "Save the new record and quit",
        |app, _| app.write_quit();
    Suspend = "suspend", [], "", "Suspend to the shell", |app, _| app.effects.push(Effect::Suspend);
    Noop = "noop", [], "", "Nothing (unbinds a key in a user keymap)", |_, _| {};
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_entry_sits_at_its_actions_place_and_names_are_unique() {
        let mut names = std::collections::HashSet::new();
        let mut aliases = std::collections::HashSet::new();
        for (i, command) in COMMANDS.iter().enumerate() {
            assert_eq!(command.action as usize, i);
            assert_eq!(command.action.command().action, command.action);
            assert!(
                names.insert(command.action.name()),
                "{}",
                command.action.name()
            );
            for alias in command.aliases {
                assert!(aliases.insert(*alias), "the alias :{alias} is given twice");
            }
            assert!(!command.doc.is_empty());
        }
        assert_eq!(Action::by_alias("vs"), Some(Action::SplitVertical));
        assert_eq!(Action::by_alias("move_down"), None);
    }
}
