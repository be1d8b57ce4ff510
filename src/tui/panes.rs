//! Tabs and panes: what the pane keys and `:vsplit`/`:split`/`:tabnext`
//! of the registry (`registry.rs`) call.

use ratatui::layout::Direction;

use super::action::Mode;
use super::app::App;
use crate::model::Collection;

/// The smallest window a split may make.
const MIN_WINDOW_WIDTH: u16 = 24;
const MIN_WINDOW_HEIGHT: u16 = 5;

impl App {
    pub(super) fn switch_tab(&mut self, f: impl FnOnce(&mut super::workspace::Workspace)) {
        if self.mode == Mode::Visual {
            self.normal();
        }
        f(&mut self.workspace);
        self.sync_focused();
    }

    /// `:members`, `:news`, `:meetings`.
    pub(super) fn goto_tab(&mut self, name: &str) {
        match Collection::parse(name) {
            Some(c) => {
                self.workspace.goto_tab(c);
                self.sync_focused();
            }
            None => self.error(format!(
                "no tab \"{}\" ({})",
                crate::model::text::sanitize_for_message(name),
                Collection::names()
            )),
        }
    }

    /// `:vsplit [C]`, `:split [C]`, `<C-w>v`, `<C-w>s`.
    pub(super) fn split_command(&mut self, direction: Direction, rest: &str) {
        let rest = rest.trim();
        if rest.is_empty() {
            self.split(direction, None);
            return;
        }
        match Collection::parse(rest) {
            Some(c) => self.split(direction, Some(c)),
            None => self.error(format!(
                "no collection \"{}\" ({})",
                crate::model::text::sanitize_for_message(rest),
                Collection::names()
            )),
        }
    }

    pub fn split(&mut self, direction: Direction, collection: Option<Collection>) {
        // Like vim's E36: a window too small to read is not made.
        let focus = self.workspace.focus_id();
        let room = self
            .workspace
            .areas(self.main_area())
            .into_iter()
            .find(|(id, _)| *id == focus)
            .map(|(_, r)| r);
        let fits = room.is_some_and(|r| match direction {
            Direction::Horizontal => r.width / 2 >= MIN_WINDOW_WIDTH,
            Direction::Vertical => r.height / 2 >= MIN_WINDOW_HEIGHT,
        });
        if !fits {
            self.error("not enough room for another window");
            return;
        }
        self.workspace.split(direction, collection, &self.catalog);
        self.sync_windows();
    }

    pub(super) fn focus(&mut self, dx: i32, dy: i32) {
        if self.mode == Mode::Visual {
            self.normal();
        }
        let area = self.main_area();
        self.workspace.focus_direction(area, dx, dy);
    }

    pub(super) fn focus_next(&mut self) {
        self.workspace.focus_next();
    }

    pub(super) fn close_window(&mut self) {
        if self.workspace.focused().detail.is_draft() {
            self.error(format!(
                "the new record is not saved: {}",
                self.draft_hint()
            ));
            return;
        }
        if let Err(e) = self.workspace.close() {
            self.error(e);
        }
    }

    pub(super) fn only_window(&mut self) {
        let focus = self.workspace.focus_id();
        let others_unsaved = self.workspace.tab().root.windows().into_iter().any(|id| {
            id != focus
                && self
                    .workspace
                    .window(id)
                    .is_some_and(|w| w.detail.is_draft())
        });
        if others_unsaved {
            self.error("another window holds an unsaved new record: :w it there first");
            return;
        }
        self.workspace.only();
    }
}
