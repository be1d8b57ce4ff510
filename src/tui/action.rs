//! Everything a key can do, by name. A keymap entry names one of these
//! (`run = "move_top"`); the name leads to one function in `tui::dispatch`.

/// The console's modes, each with its own section in a keymap file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Mode {
    Normal,
    Visual,
    Insert,
    Command,
    Search,
}

impl Mode {
    pub const ALL: [Mode; 5] = [
        Mode::Normal,
        Mode::Visual,
        Mode::Insert,
        Mode::Command,
        Mode::Search,
    ];

    /// The section name in a keymap file.
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Normal => "normal",
            Mode::Visual => "visual",
            Mode::Insert => "insert",
            Mode::Command => "command",
            Mode::Search => "search",
        }
    }

    pub fn parse(name: &str) -> Option<Mode> {
        Mode::ALL.into_iter().find(|m| m.as_str() == name)
    }
}

macro_rules! actions {
    ($($(#[$doc:meta])* $variant:ident = $name:literal),+ $(,)?) => {
        /// A thing the console can be asked to do.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Action { $($(#[$doc])* $variant),+ }

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

actions! {
    // Moving in a list or a record.
    MoveDown = "move_down",
    MoveUp = "move_up",
    MoveTop = "move_top",
    MoveBottom = "move_bottom",
    HalfPageDown = "half_page_down",
    HalfPageUp = "half_page_up",
    PageDown = "page_down",
    PageUp = "page_up",
    /// Into the record's detail (from the list).
    Open = "open",
    /// Back to the list (from the detail).
    Back = "back",
    // Tabs and panes.
    NextTab = "next_tab",
    PrevTab = "prev_tab",
    SplitVertical = "split_vertical",
    SplitHorizontal = "split_horizontal",
    FocusLeft = "focus_left",
    FocusDown = "focus_down",
    FocusUp = "focus_up",
    FocusRight = "focus_right",
    FocusNext = "focus_next",
    ClosePane = "close_pane",
    OnlyPane = "only_pane",
    // Modes.
    CommandMode = "command_mode",
    SearchForward = "search_forward",
    SearchBackward = "search_backward",
    SearchNext = "search_next",
    SearchPrev = "search_prev",
    VisualMode = "visual_mode",
    /// Leaves visual mode (or clears a pending message) back to normal.
    NormalMode = "normal_mode",
    // Changing records.
    EditField = "edit_field",
    NewRecord = "new_record",
    EditExternal = "edit_external",
    Delete = "delete",
    Undo = "undo",
    Redo = "redo",
    Yank = "yank",
    // In insert, command and search modes.
    Submit = "submit",
    /// Enter in a field: submits a one-line field, breaks the line in a
    /// multi-line one.
    SubmitLine = "submit_line",
    Cancel = "cancel",
    /// Deletes from the text cursor back to the start of the line.
    DeleteToLineStart = "delete_to_line_start",
    // The rest.
    Help = "help",
    Write = "write",
    Quit = "quit",
    ForceQuit = "force_quit",
    WriteQuit = "write_quit",
    Suspend = "suspend",
    /// Unbinds a key sequence (in a user keymap).
    Noop = "noop",
}
