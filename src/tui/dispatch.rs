//! What each action does: one arm per action, each a few lines or a call to
//! one function. A key's behaviour is found in one hop: keymap entry ->
//! action name -> here.

use ratatui::layout::Direction;

use super::action::{Action, Mode};
use super::app::{App, Effect, PromptKind};
use super::ops;
use super::record::AnyRecord;
use super::window::Focus;

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
            Focus::Detail => w.detail.move_by(delta),
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
            self.error("the new record is not saved: :w saves it, :q! discards it");
            return;
        }
        w.focus = Focus::List;
    }

    fn close_window(&mut self) {
        if self.workspace.focused().detail.draft {
            self.error("the new record is not saved: :w saves it first");
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

    fn edit_field(&mut self) {
        let w = self.workspace.focused_mut();
        if w.detail.record.is_none() {
            self.error("no record to edit here (o makes a new one)");
            return;
        }
        w.focus = Focus::Detail;
        if w.detail.open_editor().is_some() {
            self.mode = Mode::Insert;
        }
    }

    fn new_record(&mut self) {
        let w = self.workspace.focused_mut();
        if w.detail.draft {
            self.error("a new record is already being filled in: :w saves it, :q! drops it");
            return;
        }
        let collection = w.collection();
        let record = AnyRecord::empty(collection);
        // Start at the first field the record needs (a slug is derived).
        w.detail.field = record.fields().iter().position(|f| f.required).unwrap_or(0);
        w.detail.record = Some(record);
        w.detail.draft = true;
        w.focus = Focus::Detail;
        self.edit_field();
        self.info(format!(
            "new {}: fill in the fields (Esc keeps a field, j/k move), :w saves",
            collection.singular()
        ));
    }

    fn delete(&mut self, count: usize) {
        let w = self.workspace.focused_mut();
        if w.detail.draft && w.focus == Focus::Detail {
            self.error("the new record is not saved; :q! discards it");
            return;
        }
        let range = w.list.selection(count);
        let ids = w.list.ids_in(&self.catalog, range);
        let collection = w.collection();
        if ids.is_empty() {
            self.error("nothing to delete");
            return;
        }
        match ops::delete(&self.store, collection, &ids) {
            Ok(batch) => {
                self.record_batch(batch);
                self.normal();
                let changed: Vec<_> = ids.iter().map(|&id| (collection, id)).collect();
                self.after_change(&changed);
                let what = if ids.len() == 1 {
                    collection.singular()
                } else {
                    collection.as_str()
                };
                self.info(format!("deleted {} {what} (u undoes)", ids.len()));
            }
            Err(e) => self.report(&e),
        }
    }

    pub fn record_batch(&mut self, batch: Option<uuid::Uuid>) {
        if let Some(b) = batch {
            self.undo.done.push(b);
            self.undo.undone.clear();
        }
    }

    fn undo(&mut self, count: usize) {
        self.step_history(count, true);
    }

    fn redo(&mut self, count: usize) {
        self.step_history(count, false);
    }

    /// Undo (or redo) `count` batches: each is reverted by a new batch
    /// (`Store::undo_batch`), which is what the opposite step reverts.
    fn step_history(&mut self, count: usize, back: bool) {
        for _ in 0..count {
            let next = if back {
                self.undo.done.pop()
            } else {
                self.undo.undone.pop()
            };
            let Some(batch) = next else {
                self.info(if back {
                    "already at oldest change"
                } else {
                    "already at newest change"
                });
                return;
            };
            match self.store.undo_batch(batch) {
                Ok(summary) => {
                    if back {
                        self.undo.undone.push(summary.id);
                    } else {
                        self.undo.done.push(summary.id);
                    }
                    self.refresh_batch(summary.id);
                    self.info(if back {
                        "undone (Ctrl-r redoes)"
                    } else {
                        "redone"
                    });
                }
                Err(e) => {
                    // The batch stays where it was, so a later try can work.
                    if back {
                        self.undo.done.push(batch);
                    } else {
                        self.undo.undone.push(batch);
                    }
                    self.report(&e);
                    return;
                }
            }
        }
    }

    fn refresh_batch(&mut self, batch: uuid::Uuid) {
        match ops::touched(&self.store, batch) {
            Ok(changed) => self.after_change(&changed),
            Err(e) => self.report(&e),
        }
    }

    fn yank(&mut self, count: usize) {
        let w = self.workspace.focused();
        let text = match w.focus {
            // What is copied is pasted somewhere else later: no control or
            // bidi character goes with it.
            Focus::Detail => w.detail.current_field().map(|(_, _, v)| {
                crate::display::sanitize(&v, crate::model::text::Lines::Many).into_owned()
            }),
            Focus::List => {
                let range = w.list.selection(count);
                let keys: Vec<String> = range
                    .filter_map(|i| w.list.row_at(&self.catalog, i).map(|r| r.key().to_string()))
                    .collect();
                (!keys.is_empty()).then(|| keys.join("\n"))
            }
        };
        match text {
            Some(text) => {
                let shown = text.chars().count();
                self.effects.push(Effect::Clipboard(text));
                self.normal();
                self.info(format!("copied {shown} characters to the clipboard"));
            }
            None => self.error("nothing to copy"),
        }
    }

    fn submit(&mut self, line: bool) {
        match self.mode {
            Mode::Insert => {
                let w = self.workspace.focused_mut();
                if line && w.detail.editor.as_ref().is_some_and(|e| e.multiline) {
                    if let Some(e) = w.detail.editor.as_mut() {
                        e.text.insert_newline();
                    }
                    return;
                }
                self.save_field();
            }
            Mode::Command => {
                let text = self.prompt.take().map(|p| p.value()).unwrap_or_default();
                self.mode = Mode::Normal;
                self.run_command(&text);
            }
            Mode::Search => {
                self.prompt = None;
                self.mode = Mode::Normal;
                let w = self.workspace.focused();
                let n = w.list.len();
                if !w.list.query.is_empty() {
                    self.info(format!("{n} matching /{}", w.list.query));
                }
            }
            _ => {}
        }
    }

    fn delete_to_line_start(&mut self) {
        if let Some(e) = self.workspace.focused_mut().detail.editor.as_mut() {
            e.text.delete_line_by_head();
        } else if let Some(p) = self.prompt.as_mut() {
            p.text.delete_line_by_head();
            if let PromptKind::Search { .. } = p.kind {
                let query = p.value();
                self.search_typed(&query);
            }
        }
    }

    fn cancel(&mut self) {
        match self.mode {
            Mode::Insert => {
                self.workspace.focused_mut().detail.editor = None;
                self.mode = Mode::Normal;
            }
            Mode::Search => {
                if let Some(p) = self.prompt.take() {
                    self.search_typed(&p.previous_query);
                    let w = self.workspace.focused_mut();
                    if let Some(pos) = p.previous_record.and_then(|id| {
                        (0..w.list.len())
                            .find(|&i| w.list.row_at(&self.catalog, i).is_some_and(|r| r.id == id))
                    }) {
                        w.list.move_to(pos);
                        self.sync_focused();
                    }
                }
                self.mode = Mode::Normal;
            }
            _ => {
                self.prompt = None;
                self.normal();
            }
        }
    }

    /// Stores the field being edited. A value the field refuses keeps the
    /// field open with the reason in the status line; nothing is stored.
    fn save_field(&mut self) {
        let w = self.workspace.focused_mut();
        let (Some(editor), Some(record)) = (w.detail.editor.as_ref(), w.detail.record.as_ref())
        else {
            self.mode = Mode::Normal;
            return;
        };
        let field = editor.field;
        let value = editor.value();
        let mut changed = record.clone();
        if let Err(e) = changed.set_text(field, &value) {
            self.error(e.to_string());
            return;
        }
        if w.detail.draft {
            w.detail.record = Some(changed);
            w.detail.editor = None;
            w.detail.move_by(1);
            self.mode = Mode::Normal;
            return;
        }
        if &changed == record {
            w.detail.editor = None;
            self.mode = Mode::Normal;
            self.info("no change");
            return;
        }
        match changed.put(&self.store) {
            Ok((stored, batch)) => {
                let w = self.workspace.focused_mut();
                w.detail.editor = None;
                self.mode = Mode::Normal;
                self.record_batch(batch);
                let key = stored.key();
                self.after_change(&[(stored.collection(), stored.id())]);
                self.info(format!("saved {field} of {key}"));
            }
            Err(e) => self.report(&e),
        }
    }

    /// `:w`: stores a new record being filled in. Returns whether nothing is
    /// left unsaved.
    pub fn write(&mut self) -> bool {
        let w = self.workspace.focused_mut();
        if !w.detail.draft {
            return true;
        }
        let Some(record) = w.detail.record.clone() else {
            return true;
        };
        match record.put(&self.store) {
            Ok((stored, batch)) => {
                let w = self.workspace.focused_mut();
                w.detail.draft = false;
                w.detail.record = Some(stored.clone());
                w.focus = Focus::List;
                self.record_batch(batch);
                self.after_change(&[(stored.collection(), stored.id())]);
                let w = self.workspace.focused_mut();
                if let Some(pos) = w.list.visible.iter().position(|&i| {
                    self.catalog
                        .rows(stored.collection())
                        .get(i as usize)
                        .map(|r| r.id)
                        == Some(stored.id())
                }) {
                    w.list.move_to(pos);
                }
                self.sync_focused();
                self.info(format!(
                    "added {} {}",
                    stored.collection().singular(),
                    stored.key()
                ));
                true
            }
            Err(e) => {
                self.report(&e);
                false
            }
        }
    }

    pub fn quit(&mut self, force: bool) {
        if !force && self.has_unsaved() {
            self.error("a new record is not saved: :w saves it, :q! quits without it");
            return;
        }
        self.quit = true;
    }
}
