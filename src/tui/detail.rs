//! The detail pane's state: the record under the list's cursor (or a new
//! record being filled in), a cursor over its fields, and the field being
//! edited inline.

use ratatui_textarea::TextArea;

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

#[derive(Debug, Default)]
pub struct DetailView {
    pub record: Option<AnyRecord>,
    /// The record is new and not stored yet.
    pub draft: bool,
    /// Index into the record's fields.
    pub field: usize,
    /// Lines scrolled past the last field, to read what follows the fields
    /// (contacts, actions, the meetings and news that name a member).
    pub below: usize,
    pub editor: Option<FieldEditor>,
}

impl DetailView {
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
        if target >= n && self.editor.is_none() {
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
        if let Some(editor) = self.editor.as_mut().filter(|e| e.field == field) {
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
        self.editor = Some(FieldEditor {
            field,
            multiline,
            text,
            refused: None,
        });
        Some(field)
    }
}
