//! The console's modes, each with its section in a keymap file, and the
//! registry's [`Action`]s (what a keymap entry's `run` names; see
//! `registry.rs`).

pub use super::registry::Action;

/// The console's modes, each with its own section in a keymap file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Mode {
    Normal,
    Visual,
    Insert,
    Command,
    Search,
    /// While the help screen is shown (a layer over the mode).
    Help,
    /// While a conflict is shown (a layer over the mode).
    Conflict,
}

impl Mode {
    pub const ALL: [Mode; 7] = [
        Mode::Normal,
        Mode::Visual,
        Mode::Insert,
        Mode::Command,
        Mode::Search,
        Mode::Help,
        Mode::Conflict,
    ];

    /// The section name in a keymap file.
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Normal => "normal",
            Mode::Visual => "visual",
            Mode::Insert => "insert",
            Mode::Command => "command",
            Mode::Search => "search",
            Mode::Help => "help",
            Mode::Conflict => "conflict",
        }
    }

    pub fn parse(name: &str) -> Option<Mode> {
        Mode::ALL.into_iter().find(|m| m.as_str() == name)
    }
}
