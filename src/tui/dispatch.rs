//! What each action does: one arm per action, each a few lines or a call to
//! one function. A key's behaviour is found in one hop: keymap entry ->
//! action name -> here.

use ratatui::layout::Direction;

use super::action::{Action, Mode};
use super::app::{App, Effect, PromptKind};
use super::window::Focus;

/// The smallest window a split may make.
const MIN_WINDOW_WIDTH: u16 = 24;
const MIN_WINDOW_HEIGHT: u16 = 5;

impl App {
    pub fn run_action(&mut self, action: Action, count: Option<usize>) {
        let n = count.unwrap_or(1);
        let page = self.list_height();
        match action {
            Action::MoveDown => self.move_cursor(n as isize),
            Action::MoveUp => self.move_cursor(-(n as isize)),
            Action::MoveTop => self.jump(count.map_or(0, |c| c.saturating_sub(1))),
            Action::MoveBottom => self.jump(count.map_or(usize::MAX, |c| c.saturating_sub(1))),
            Action::HalfPageDown => self.move_cursor((page / 2 * n) as isize),
            Action::HalfPageUp => self.move_cursor(-((page / 2 * n) as isize)),
            Action::PageDown => self.move_cursor((page * n) as isize),
            Action::PageUp => self.move_cursor(-((page * n) as isize)),
            Action::Open => self.open(),
            Action::Back => self.back(),
            Action::NextTab => self.switch_tab(|ws| ws.next_tab(n)),
            Action::PrevTab => self.switch_tab(|ws| ws.prev_tab(n)),
            Action::SplitVertical => self.split(Direction::Horizontal, None),
            Action::SplitHorizontal => self.split(Direction::Vertical, None),
            Action::FocusLeft => self.focus(-1, 0),
            Action::FocusRight => self.focus(1, 0),
            Action::FocusUp => self.focus(0, -1),
            Action::FocusDown => self.focus(0, 1),
            Action::FocusNext => self.workspace.focus_next(),
            Action::ClosePane => self.close_window(),
            Action::OnlyPane => self.only_window(),
            Action::CommandMode => self.open_prompt(PromptKind::Command),
            Action::SearchForward => self.start_search(true),
            Action::SearchBackward => self.start_search(false),
            Action::SearchNext => self.search_step(true),
            Action::SearchPrev => self.search_step(false),
            Action::VisualMode => self.visual(),
            Action::NormalMode => self.normal(),
            Action::EditField => self.edit_field(),
            Action::NewRecord => self.new_record(),
            Action::EditExternal => self.effects.push(Effect::EditExternal),
            Action::Delete => self.delete(n),
            Action::Undo => self.undo(n),
            Action::Redo => self.redo(n),
            Action::Yank => self.yank(n),
            Action::Submit => self.submit(false),
            Action::SubmitLine => self.submit(true),
            Action::Cancel => self.cancel(),
            Action::DeleteToLineStart => self.delete_to_line_start(),
            Action::Help => self.help = Some(0),
            Action::Write => {
                self.write();
            }
            Action::Quit => self.quit(false),
            Action::ForceQuit => self.quit(true),
            Action::WriteQuit => {
                if self.write() {
                    self.quit(false);
                }
            }
            Action::Suspend => self.effects.push(Effect::Suspend),
            Action::Noop => {}
        }
    }

    fn move_cursor(&mut self, delta: isize) {
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

    fn jump(&mut self, index: usize) {
        let w = self.workspace.focused_mut();
        match w.focus {
            Focus::List => {
                w.list.move_to(index);
                self.sync_focused();
            }
            Focus::Detail => w.detail.move_to(index),
        }
    }

    fn open(&mut self) {
        let w = self.workspace.focused_mut();
        match w.focus {
            Focus::List if w.detail.record.is_some() => w.focus = Focus::Detail,
            Focus::List => self.error("nothing to open: the list is empty"),
            Focus::Detail => self.edit_field(),
        }
    }

    fn back(&mut self) {
        let w = self.workspace.focused_mut();
        if w.focus == Focus::Detail && w.detail.draft {
            self.error(format!(
                "the new record is not saved: {}",
                self.draft_hint()
            ));
            return;
        }
        w.focus = Focus::List;
    }

    fn close_window(&mut self) {
        if self.workspace.focused().detail.draft {
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

    fn only_window(&mut self) {
        let focus = self.workspace.focus_id();
        let others_unsaved = self
            .workspace
            .tab()
            .root
            .windows()
            .into_iter()
            .any(|id| id != focus && self.workspace.window(id).is_some_and(|w| w.detail.draft));
        if others_unsaved {
            self.error("another window holds an unsaved new record: :w it there first");
            return;
        }
        self.workspace.only();
    }

    fn switch_tab(&mut self, f: impl FnOnce(&mut super::workspace::Workspace)) {
        if self.mode == Mode::Visual {
            self.normal();
        }
        f(&mut self.workspace);
        self.sync_focused();
    }

    pub fn split(&mut self, direction: Direction, collection: Option<crate::model::Collection>) {
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

    fn focus(&mut self, dx: i32, dy: i32) {
        if self.mode == Mode::Visual {
            self.normal();
        }
        let area = self.main_area();
        self.workspace.focus_direction(area, dx, dy);
    }

    fn start_search(&mut self, forward: bool) {
        self.workspace.focused_mut().focus = Focus::List;
        self.workspace.focused_mut().list.forward = forward;
        self.open_prompt(PromptKind::Search { forward });
    }

    fn search_step(&mut self, same_direction: bool) {
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

    fn visual(&mut self) {
        let w = self.workspace.focused_mut();
        // Visual mode selects records: from a record's fields, back to its list.
        if w.focus == Focus::Detail && !w.detail.draft {
            w.focus = Focus::List;
        }
        if w.focus != Focus::List || w.list.is_empty() {
            self.error("visual mode selects records in a list");
            return;
        }
        w.list.anchor = Some(w.list.cursor);
        self.mode = Mode::Visual;
    }

    /// Back to normal mode; no window keeps a visual selection.
    pub fn normal(&mut self) {
        for w in self.workspace.windows_mut() {
            w.list.anchor = None;
        }
        self.mode = Mode::Normal;
    }
}
