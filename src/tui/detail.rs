//! The detail pane's state: the record under the list's cursor (or a new
//! record being filled in), a cursor over its fields, and the field being
//! edited inline.

use ratatui_textarea::TextArea;

use super::conflict::Conflict;
use super::record::AnyRecord;
use crate::display::sanitize;
use crate::model::FieldKind;
use crate::model::text::Lines;

/// A field open for editing (insert mode).
pub struct FieldEditor {
    pub field: &'static str,
    pub multiline: bool,
    pub text: TextArea<'static>,
    /// Why the field refused the text when it was last kept: the editor
    /// stays with the text (in normal mode) and the reason shows at the
    /// field until `i` resumes it or another edit replaces it.
    pub refused: Option<String>,
}

impl std::fmt::Debug for FieldEditor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FieldEditor")
            .field("field", &self.field)
            .field("text", &self.text.lines())
            .field("refused", &self.refused)
            .finish()
    }
}

impl FieldEditor {
    pub fn value(&self) -> String {
        self.text.lines().join("\n")
    }
}

/// Where the editing of a detail stands: one state, changed only by the
/// transitions below (`editing.rs`, `resolve.rs`, `external.rs` call them).
#[derive(Debug, Default)]
pub enum Edit {
    /// Showing the record under the list's cursor.
    #[default]
    Idle,
    /// A field of the stored record open (insert mode), or refused and kept
    /// with its text and reason (normal mode).
    Field(FieldEditor),
    /// A new record being filled in (`DetailView::record`, not stored yet),
    /// with one of its fields open or none.
    Draft(Option<FieldEditor>),
    /// A save met someone else's change: the versions, and the field edit
    /// it came from (none when the record was edited in `$EDITOR`). Keys go
    /// to the keymap's `[conflict]` section until it is resolved.
    Conflict(Box<Conflict>, Option<FieldEditor>),
}

#[derive(Debug, Default)]
pub struct DetailView {
    pub record: Option<AnyRecord>,
    /// Private: through the transitions below.
    edit: Edit,
    /// Index into the record's fields.
    pub field: usize,
    /// Lines scrolled past the last field, to read what follows the fields
    /// (contacts, actions, the meetings and news that name a member).
    pub below: usize,
}

impl DetailView {
    /// A detail showing `record`, its cursor on field `field`, editing nothing.
    pub fn showing(record: Option<AnyRecord>, field: usize) -> DetailView {
        DetailView {
            record,
            field,
            ..DetailView::default()
        }
    }

    pub fn edit(&self) -> &Edit {
        &self.edit
    }

    /// The record is new and not stored yet.
    pub fn is_draft(&self) -> bool {
        matches!(self.edit, Edit::Draft(_))
    }

    /// Anything but showing the record under the list's cursor: the
    /// detail keeps what it holds while the list moves.
    pub fn is_editing(&self) -> bool {
        !matches!(self.edit, Edit::Idle)
    }

    /// The field open for editing, or refused and kept (or waiting behind a
    /// conflict).
    pub fn editor(&self) -> Option<&FieldEditor> {
        match &self.edit {
            Edit::Field(e) | Edit::Draft(Some(e)) | Edit::Conflict(_, Some(e)) => Some(e),
            Edit::Idle | Edit::Draft(None) | Edit::Conflict(_, None) => None,
        }
    }

    pub fn editor_mut(&mut self) -> Option<&mut FieldEditor> {
        match &mut self.edit {
            Edit::Field(e) | Edit::Draft(Some(e)) | Edit::Conflict(_, Some(e)) => Some(e),
            Edit::Idle | Edit::Draft(None) | Edit::Conflict(_, None) => None,
        }
    }

    pub fn conflict(&self) -> Option<&Conflict> {
        match &self.edit {
            Edit::Conflict(c, _) => Some(c),
            _ => None,
        }
    }

    /// A save of this detail's record met someone else's change (again).
    /// A new record cannot meet one (it is added, not saved over).
    pub fn meet_conflict(&mut self, conflict: Conflict) {
        self.edit = match std::mem::take(&mut self.edit) {
            Edit::Field(e) => Edit::Conflict(Box::new(conflict), Some(e)),
            Edit::Conflict(_, e) => Edit::Conflict(Box::new(conflict), e),
            Edit::Idle => Edit::Conflict(Box::new(conflict), None),
            draft @ Edit::Draft(_) => draft,
        };
    }

    /// Back from a conflict to the edit it came from, still open.
    pub fn leave_conflict(&mut self) {
        if let Edit::Conflict(_, editor) = std::mem::take(&mut self.edit) {
            self.edit = editor.map_or(Edit::Idle, Edit::Field);
        }
    }

    /// Idle or a draft: a new record, its first field not open yet.
    pub fn start_draft(&mut self, record: AnyRecord) {
        self.record = Some(record);
        self.edit = Edit::Draft(None);
    }

    /// The draft is stored or dropped: back to showing `record`.
    pub fn end_draft(&mut self, record: Option<AnyRecord>) {
        self.record = record;
        self.edit = Edit::Idle;
    }

    /// The open field closes (kept or dropped; a conflict resolved); a
    /// draft stays a draft.
    pub fn close_editor(&mut self) -> Option<FieldEditor> {
        match std::mem::take(&mut self.edit) {
            Edit::Field(e) => Some(e),
            Edit::Conflict(_, e) => e,
            Edit::Draft(e) => {
                self.edit = Edit::Draft(None);
                e
            }
            Edit::Idle => None,
        }
    }

    fn open(&mut self, editor: FieldEditor) {
        self.edit = match std::mem::take(&mut self.edit) {
            Edit::Draft(_) => Edit::Draft(Some(editor)),
            // Keys go to the conflict until it is resolved.
            conflict @ Edit::Conflict(..) => conflict,
            Edit::Idle | Edit::Field(_) => Edit::Field(editor),
        };
    }

    pub fn field_count(&self) -> usize {
        self.record.as_ref().map_or(0, |r| r.fields().len())
    }

    /// Moves the field cursor; past the last field, scrolls on (the view
    /// stops at the end of what there is to show).
    pub fn move_by(&mut self, delta: isize) {
        let n = self.field_count();
        if n == 0 {
            return;
        }
        if delta < 0 && self.below > 0 {
            let back = delta.unsigned_abs();
            let used = back.min(self.below);
            self.below -= used;
            self.field = self.field.saturating_sub(back - used);
            return;
        }
        let target = self.field.saturating_add_signed(delta);
        if target >= n && self.editor().is_none() {
            self.below = self.below.saturating_add(target - (n - 1));
        }
        self.field = target.min(n - 1);
    }

    pub fn move_to(&mut self, index: usize) {
        self.below = 0;
        self.field = index.min(self.field_count().saturating_sub(1));
    }

    /// The field under the cursor: its name and current text.
    pub fn current_field(&self) -> Option<(&'static str, FieldKind, String)> {
        let record = self.record.as_ref()?;
        let spec = record.fields().get(self.field)?;
        let value = record
            .get(spec.name)
            .map(|v| v.to_text())
            .unwrap_or_default();
        Some((spec.name, spec.kind, value))
    }

    /// Opens the field under the cursor in a text area (insert mode); an
    /// edit of it that was refused is resumed with its text.
    pub fn open_editor(&mut self) -> Option<&'static str> {
        let (field, kind, value) = self.current_field()?;
        if let Some(editor) = self.editor_mut().filter(|e| e.field == field) {
            editor.refused = None;
            return Some(field);
        }
        let multiline = kind == FieldKind::MultiLine;
        // Stored text has passed validation; sanitising again costs nothing
        // and keeps the terminal safe from a store written by anything else.
        let safe = sanitize(&value, if multiline { Lines::Many } else { Lines::One });
        let mut text = TextArea::new(safe.lines().map(str::to_string).collect());
        if text.lines().is_empty() {
            text = TextArea::default();
        }
        text.move_cursor(ratatui_textarea::CursorMove::Bottom);
        text.move_cursor(ratatui_textarea::CursorMove::End);
        self.open(FieldEditor {
            field,
            multiline,
            text,
            refused: None,
        });
        Some(field)
    }
}

#[cfg(test)]
mod tests {
    use super::{DetailView, Edit};
    use crate::model::Collection;
    use crate::tui::record::AnyRecord;

    #[test]
    fn a_draft_keeps_being_one_while_its_fields_open_and_close() {
        let mut d = DetailView::default();
        assert!(matches!(d.edit(), Edit::Idle));
        d.start_draft(AnyRecord::empty(Collection::Members));
        assert!(d.is_draft() && d.editor().is_none());
        assert_eq!(d.open_editor(), Some("code"));
        assert!(matches!(d.edit(), Edit::Draft(Some(_))));
        assert_eq!(d.close_editor().map(|e| e.field), Some("code"));
        assert!(matches!(d.edit(), Edit::Draft(None)), "still a draft");
        d.end_draft(None);
        assert!(matches!(d.edit(), Edit::Idle));
        assert!(d.record.is_none());
    }

    #[test]
    fn a_field_of_a_stored_record_opens_and_closes_to_idle() {
        let mut d = DetailView::showing(Some(AnyRecord::empty(Collection::Members)), 1);
        assert_eq!(d.open_editor(), Some("name"));
        assert!(matches!(d.edit(), Edit::Field(_)) && !d.is_draft());
        // A refused edit is resumed, not replaced, when the same field opens.
        if let Some(e) = d.editor_mut() {
            e.text.insert_str("typed");
            e.refused = Some("no".into());
        }
        d.open_editor();
        assert_eq!(d.editor().map(|e| e.value()).as_deref(), Some("typed"));
        assert!(d.editor().is_some_and(|e| e.refused.is_none()));
        d.close_editor();
        assert!(matches!(d.edit(), Edit::Idle));
    }

    #[test]
    fn a_conflict_holds_the_edit_it_came_from_until_resolved() {
        use crate::tui::conflict::Conflict;
        let record = AnyRecord::empty(Collection::Members);
        let conflict = Conflict {
            base: record.clone(),
            mine: record.clone(),
            theirs: None,
        };
        let mut d = DetailView::showing(Some(record), 1);
        d.open_editor();
        d.meet_conflict(conflict.clone());
        assert!(d.conflict().is_some() && d.editor().is_some());
        assert_eq!(d.open_editor(), Some("name"));
        assert!(d.conflict().is_some(), "keys go to the conflict meanwhile");
        d.leave_conflict();
        assert!(matches!(d.edit(), Edit::Field(_)), "back to the edit");
        d.meet_conflict(conflict.clone());
        d.close_editor();
        assert!(matches!(d.edit(), Edit::Idle), "resolved");
        // From $EDITOR: no field edit to go back to.
        d.meet_conflict(conflict);
        d.leave_conflict();
        assert!(matches!(d.edit(), Edit::Idle));
    }
}
