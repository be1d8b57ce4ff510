//! Moving in a list or a record, modes and search steps: what the motion
//! keys of the registry (`registry.rs`) call.

use super::action::Mode;
use super::app::{App, PromptKind};
use super::window::Focus;

impl App {
    pub(super) fn move_cursor(&mut self, delta: isize) {
        let w = self.workspace.focused_mut();
        match w.focus {
            Focus::List => {
                w.list.move_by(delta);
                self.sync_focused();
            }
            Focus::Detail => {
                w.detail.move_by(delta);
                let w = self.workspace.focused();
                let below = w
                    .detail
                    .record
                    .as_ref()
                    .map_or(0, |r| super::view::detail::lines_below_fields(self, r));
                let w = self.workspace.focused_mut();
                w.detail.below = w.detail.below.min(below);
            }
        }
    }

    /// Moves by `pages` pages of the list, or half pages when `divisor` is 2.
    pub(super) fn move_pages(&mut self, pages: isize, divisor: usize) {
        let step = (self.list_height() / divisor) as isize;
        self.move_cursor(step.saturating_mul(pages));
    }

    pub(super) fn jump(&mut self, index: usize) {
        let w = self.workspace.focused_mut();
        match w.focus {
            Focus::List => {
                w.list.move_to(index);
                self.sync_focused();
            }
            Focus::Detail => w.detail.move_to(index),
        }
    }

    pub(super) fn open(&mut self) {
        let w = self.workspace.focused_mut();
        match w.focus {
            Focus::List if w.detail.record.is_some() => w.focus = Focus::Detail,
            Focus::List => self.error("nothing to open: the list is empty"),
            Focus::Detail => self.edit_field(),
        }
    }

    /// A count typed before it, or a refused edit's text, is dropped
    /// instead, as Esc drops what is pending in vim.
    pub(super) fn back(&mut self, count: Option<usize>) {
        if count.is_some() || self.drop_refused_edit() {
            return;
        }
        let w = self.workspace.focused_mut();
        if w.focus == Focus::Detail && w.detail.is_draft() {
            self.error(format!(
                "the new record is not saved: {}",
                self.draft_hint()
            ));
            return;
        }
        w.focus = Focus::List;
    }

    pub(super) fn start_search(&mut self, forward: bool) {
        self.workspace.focused_mut().focus = Focus::List;
        self.workspace.focused_mut().list.forward = forward;
        self.open_prompt(PromptKind::Search { forward });
    }

    pub(super) fn search_step(&mut self, same_direction: bool) {
        let w = self.workspace.focused_mut();
        if w.list.query.is_empty() {
            self.error("no search: / searches");
            return;
        }
        let forward = w.list.forward == same_direction;
        let next = w.list.next_match(forward);
        w.list.move_to(next);
        self.sync_focused();
    }

    /// `:nohl`: the list shows every record again.
    pub(super) fn clear_search(&mut self) {
        let w = self.workspace.focused_mut();
        w.list.set_query(&self.catalog, &mut self.searcher, "");
        self.sync_focused();
    }

    pub(super) fn visual(&mut self) {
        let w = self.workspace.focused_mut();
        // Visual mode selects records: from a record's fields, back to its list.
        if w.focus == Focus::Detail && !w.detail.is_draft() {
            w.focus = Focus::List;
        }
        if w.focus != Focus::List || w.list.is_empty() {
            self.error("visual mode selects records in a list");
            return;
        }
        w.list.anchor = Some(w.list.cursor);
        self.mode = Mode::Visual;
    }

    /// Esc in visual mode; a count typed before it is dropped instead.
    pub(super) fn normal_mode(&mut self, count: Option<usize>) {
        if count.is_none() {
            self.normal();
        }
    }

    /// Back to normal mode; no window keeps a visual selection.
    pub fn normal(&mut self) {
        for w in self.workspace.windows_mut() {
            w.list.anchor = None;
        }
        self.mode = Mode::Normal;
    }
}
