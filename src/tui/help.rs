//! The help screen's state: open (on the keys or on the last messages),
//! scrolled, closed (`view/help.rs` draws it).
//! While it is open, keys go to the keymap's `[help]` section; a key bound
//! there scrolls or closes it, any other key closes it.

use super::app::{App, Page};

impl App {
    pub(super) fn open_help(&mut self) {
        self.page = Page::Keys;
        self.help = Some(0);
    }

    /// `:messages`: the last messages, whole, newest at the bottom (shown
    /// scrolled to them).
    pub(super) fn open_messages(&mut self) {
        self.page = Page::Messages;
        self.help = Some(usize::MAX);
        self.scroll_help(0);
    }

    /// Scrolls by `lines` (up when negative), within the text.
    pub(super) fn scroll_help(&mut self, lines: isize) {
        let Some(scroll) = self.help else {
            return;
        };
        let max = super::view::help::max_scroll(self, self.main_area().height as usize);
        self.help = Some(scroll.saturating_add_signed(lines).min(max));
    }

    pub(super) fn close_help(&mut self) {
        self.help = None;
    }
}
