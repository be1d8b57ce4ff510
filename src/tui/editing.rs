//! Editing records in the console: a field inline (insert mode), a new
//! record as a form (`o`, then `:w`), and leaving the console with nothing
//! unsaved.

use super::action::{Action, Mode};
use super::app::{App, PromptKind};
use super::record::AnyRecord;
use super::window::Focus;

impl App {
    pub(super) fn edit_field(&mut self) {
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

    pub(super) fn new_record(&mut self) {
        let w = self.workspace.focused_mut();
        if w.detail.is_draft() {
            self.error(format!(
                "a new record is already being filled in: {}",
                self.draft_hint()
            ));
            return;
        }
        let collection = w.collection();
        let record = AnyRecord::empty(collection);
        // Start at the first field the record needs (a slug is derived).
        w.detail.field = record.fields().iter().position(|f| f.required).unwrap_or(0);
        w.detail.start_draft(record);
        w.focus = Focus::Detail;
        self.edit_field();
        self.info(format!(
            "new {}: fill in the fields ({} keeps a field, {}/{} move), {} saves",
            collection.singular(),
            self.hint(Mode::Insert, Action::Submit),
            self.hint(Mode::Normal, Action::MoveDown),
            self.hint(Mode::Normal, Action::MoveUp),
            self.hint(Mode::Normal, Action::Write),
        ));
    }

    pub(super) fn submit(&mut self, line: bool) {
        match self.mode {
            Mode::Insert => {
                let w = self.workspace.focused_mut();
                if line && w.detail.editor().is_some_and(|e| e.multiline) {
                    if let Some(e) = w.detail.editor_mut() {
                        e.text.insert_newline();
                    }
                    return;
                }
                // Enter in a new record's form goes on to the next field;
                // Esc stays on this one, as vim's Esc leaves the cursor.
                self.save_field(line);
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

    pub(super) fn delete_to_line_start(&mut self) {
        if let Some(e) = self.workspace.focused_mut().detail.editor_mut() {
            e.text.delete_line_by_head();
        } else if let Some(p) = self.prompt.as_mut() {
            p.text.delete_line_by_head();
            if let PromptKind::Search { .. } = p.kind {
                let query = p.value();
                self.search_typed(&query);
            }
        }
    }

    pub(super) fn cancel(&mut self) {
        match self.mode {
            Mode::Insert => {
                self.workspace.focused_mut().detail.close_editor();
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

    /// Stores the field being edited (in a new record, keeps it in the
    /// form; `advance` moves on to the next field). A value the field
    /// refuses is not stored: the console goes back to normal mode with the
    /// typed text kept at the field and the reason shown there, so the next
    /// keys are commands (`i` resumes the text, the cancel key drops it).
    pub(super) fn save_field(&mut self, advance: bool) {
        let w = self.workspace.focused_mut();
        let (Some(editor), Some(record)) = (w.detail.editor(), w.detail.record.as_ref()) else {
            self.mode = Mode::Normal;
            return;
        };
        let field = editor.field;
        let value = editor.value();
        let mut changed = record.clone();
        if let Err(e) = changed.set_text(field, &value) {
            self.refuse_field(e.to_string());
            return;
        }
        if w.detail.is_draft() {
            w.detail.record = Some(changed);
            w.detail.close_editor();
            if advance {
                w.detail.move_by(1);
            }
            self.mode = Mode::Normal;
            return;
        }
        if &changed == record {
            w.detail.close_editor();
            self.mode = Mode::Normal;
            self.info("no change");
            return;
        }
        // The record the edit began from: if the stored one is not that any
        // more, someone else saved meanwhile (a conflict, not an overwrite).
        let base = record.clone();
        match changed.put_over(&self.store, Some(&base)) {
            Ok((stored, batch)) => {
                let w = self.workspace.focused_mut();
                w.detail.close_editor();
                self.mode = Mode::Normal;
                self.record_batch(batch);
                let key = stored.key();
                self.after_change(&[(stored.collection(), stored.id())]);
                self.info(format!("saved {field} of {key}"));
            }
            Err(e @ crate::store::StoreError::Conflict { .. }) => {
                self.start_conflict(base, changed, e);
            }
            Err(e) => {
                let reason = e.to_string();
                self.refuse_field(reason);
            }
        }
    }

    /// `:w`: stores a new record being filled in. Returns whether nothing is
    /// left unsaved.
    pub fn write(&mut self) -> bool {
        let w = self.workspace.focused_mut();
        if !w.detail.is_draft() {
            return true;
        }
        let Some(record) = w.detail.record.clone() else {
            return true;
        };
        match record.put(&self.store) {
            Ok((stored, batch)) => {
                let w = self.workspace.focused_mut();
                w.detail.end_draft(Some(stored.clone()));
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
            self.error(format!(
                "a new record is not saved: {}, {} quits without it",
                self.draft_hint(),
                self.hint(Mode::Normal, Action::ForceQuit)
            ));
            return;
        }
        self.quit = true;
    }

    /// The field refused the text: normal mode, the text and the reason
    /// kept at the field.
    fn refuse_field(&mut self, reason: String) {
        let first = reason.lines().next().unwrap_or_default().to_string();
        if let Some(editor) = self.workspace.focused_mut().detail.editor_mut() {
            editor.refused = Some(first.clone());
        }
        self.mode = Mode::Normal;
        let resume = self.hint(Mode::Normal, Action::EditField);
        let drop = self.hint(Mode::Normal, Action::Back);
        self.error(format!(
            "{first} (nothing saved; {resume} edits the text again, {drop} drops it)"
        ));
        // The whole reason, when the status line shows only its first line.
        if reason.lines().nth(1).is_some() {
            self.remember(&reason, true);
        }
    }

    /// Drops a refused edit's text (the field shows its stored value
    /// again); false when there is none.
    pub(super) fn drop_refused_edit(&mut self) -> bool {
        let w = self.workspace.focused_mut();
        if w.detail.editor().is_some_and(|e| e.refused.is_some()) {
            let field = w.detail.close_editor().map_or("", |e| e.field);
            self.info(format!("the refused text of {field} is dropped"));
            true
        } else {
            false
        }
    }

    /// `:e!`: drops the new record being filled in (vim's "discard changes").
    pub(super) fn drop_draft(&mut self) {
        let w = self.workspace.focused_mut();
        if !w.detail.is_draft() {
            self.info("nothing to drop: every change is stored as it is made");
            return;
        }
        w.detail.end_draft(None);
        w.focus = Focus::List;
        self.mode = Mode::Normal;
        self.sync_focused();
        self.info("new record dropped");
    }

    /// `:w`: saves the new record; says so when there is none.
    pub(super) fn write_command(&mut self) {
        if !self.workspace.focused().detail.is_draft() {
            self.info("nothing to write: every change is stored as it is made");
        } else {
            self.write();
        }
    }

    /// `ZZ`, `:wq`: saves the new record, if any, and quits.
    pub(super) fn write_quit(&mut self) {
        if self.write() {
            self.quit(false);
        }
    }

    /// Backspace: deletes the character before the cursor; on an empty
    /// command line or search, leaves it, as in vim.
    pub(super) fn delete_back(&mut self) {
        if self.mode == Mode::Insert {
            if let Some(e) = self.workspace.focused_mut().detail.editor_mut() {
                e.text.delete_char();
            }
            return;
        }
        let Some(prompt) = self.prompt.as_mut() else {
            return;
        };
        if prompt.value().is_empty() {
            self.cancel();
            return;
        }
        prompt.text.delete_char();
        if let PromptKind::Search { .. } = prompt.kind {
            let query = prompt.value();
            self.search_typed(&query);
        }
    }
}
