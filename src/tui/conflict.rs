//! An edit whose record someone else changed meanwhile: nothing is saved
//! over their change unasked. The console shows both versions, field by
//! field, and asks: keep mine (`m`), take theirs (`t`), or merge by field
//! (`f`: their record with the fields I changed); Esc goes back to the edit.

use super::action::Mode;
use super::app::App;
use crate::model::AnyRecord;
use crate::store::StoreError;

/// A save refused because the record changed since the edit began.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    /// The record as the edit began from it.
    pub base: AnyRecord,
    /// The record as I would save it.
    pub mine: AnyRecord,
    /// The record as it is stored now (None: someone removed it).
    pub theirs: Option<AnyRecord>,
}

/// One field that differs, as the conflict view lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    pub field: &'static str,
    pub theirs: String,
    pub mine: String,
    /// Both changed it, to different values.
    pub both: bool,
}

fn text(record: &AnyRecord, field: &str) -> String {
    record.get(field).map(|v| v.to_text()).unwrap_or_default()
}

impl Conflict {
    /// Fields where mine and theirs differ.
    pub fn differences(&self) -> Vec<Difference> {
        let Some(theirs) = &self.theirs else {
            return Vec::new();
        };
        self.mine
            .fields()
            .iter()
            .filter_map(|f| {
                let (t, m, b) = (
                    text(theirs, f.name),
                    text(&self.mine, f.name),
                    text(&self.base, f.name),
                );
                (t != m).then(|| Difference {
                    field: f.name,
                    both: t != b && m != b,
                    theirs: t,
                    mine: m,
                })
            })
            .collect()
    }

    /// Their record with every field I changed set to mine; None when they
    /// removed it. A field of mine their record refuses (a rule between
    /// fields) is an error: a merge never drops one of my changes quietly.
    pub fn merged(&self) -> Option<Result<AnyRecord, crate::model::FieldError>> {
        let mut merged = self.theirs.clone()?;
        for f in self.mine.fields() {
            let mine = text(&self.mine, f.name);
            if mine != text(&self.base, f.name)
                && let Err(e) = merged.set_text(f.name, &mine)
            {
                return Some(Err(e));
            }
        }
        Some(Ok(merged))
    }
}

impl App {
    /// Shows a conflict for the edit that met it.
    pub(super) fn start_conflict(&mut self, base: AnyRecord, mine: AnyRecord, error: StoreError) {
        let StoreError::Conflict { theirs, key, .. } = error else {
            self.report(&error);
            return;
        };
        let theirs = theirs.map(|b| *b);
        let gone = theirs.is_none();
        self.conflict = Some(Conflict { base, mine, theirs });
        if gone {
            self.error(format!(
                "{key} was removed by someone else: m saves mine again, t drops my edit, Esc goes back"
            ));
        } else {
            self.error(format!(
                "{key} was changed by someone else: m keeps mine, t takes theirs, f merges by field, Esc goes back"
            ));
        }
    }

    /// A key while a conflict is shown.
    pub(super) fn conflict_key(&mut self, key: char) {
        let Some(conflict) = self.conflict.clone() else {
            return;
        };
        let resolved = match key {
            'm' => Some(conflict.mine.clone()),
            'f' => match conflict.merged() {
                Some(Ok(merged)) => Some(merged),
                Some(Err(e)) => {
                    self.error(format!("cannot merge: {e}; m keeps mine, t takes theirs"));
                    return;
                }
                None => None,
            },
            't' => {
                self.conflict = None;
                self.close_edit();
                self.after_change(&[(conflict.mine.collection(), conflict.mine.id())]);
                self.info("took their version; my edit is dropped");
                return;
            }
            _ => return,
        };
        let Some(record) = resolved else {
            return;
        };
        // Saved over their version only if it is still theirs.
        let base = conflict.theirs.clone();
        match record.put_over(&self.store, base.as_ref()) {
            Ok((stored, batch)) => {
                self.conflict = None;
                self.close_edit();
                self.record_batch(batch);
                self.after_change(&[(stored.collection(), stored.id())]);
                let how = if key == 'm' { "kept mine" } else { "merged" };
                self.info(format!("{how}: saved {}", stored.key()));
            }
            Err(e @ StoreError::Conflict { .. }) => {
                // Changed again while we looked: show the newer one.
                self.start_conflict(conflict.base, conflict.mine, e);
            }
            Err(e) => self.report(&e),
        }
    }

    /// Esc: back to the edit, which is still open.
    pub(super) fn leave_conflict(&mut self) {
        self.conflict = None;
        self.info("back to the edit; saving it meets the same conflict");
    }

    fn close_edit(&mut self) {
        let w = self.workspace.focused_mut();
        w.detail.editor = None;
        w.detail.record = None;
        if self.mode == Mode::Insert {
            self.mode = Mode::Normal;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Collection, Record};
    use uuid::Uuid;

    fn member(phone: &str, city: &str) -> AnyRecord {
        let mut m = crate::model::Member::empty(Uuid::nil());
        m.set_text("code", "LT1").unwrap();
        m.set_text("name", "UAB A").unwrap();
        m.set_text("sector", "ict").unwrap();
        m.set_text("phone", phone).unwrap();
        m.set_text("city", city).unwrap();
        AnyRecord::Member(m)
    }

    #[test]
    fn differences_name_each_field_and_whether_both_changed_it() {
        let conflict = Conflict {
            base: member("+370 600 00001", "Vilnius"),
            mine: member("+370 600 00002", "Vilnius"),
            theirs: Some(member("+370 600 00003", "Kaunas")),
        };
        let d = conflict.differences();
        let fields: Vec<&str> = d.iter().map(|d| d.field).collect();
        assert_eq!(fields, ["city", "phone"]);
        assert!(!d[0].both, "only they changed the city");
        assert!(d[1].both, "both changed the phone");
        assert_eq!(conflict.mine.collection(), Collection::Members);
    }

    #[test]
    fn a_merge_keeps_their_fields_and_my_changed_ones() {
        let conflict = Conflict {
            base: member("+370 600 00001", "Vilnius"),
            mine: member("+370 600 00002", "Vilnius"),
            theirs: Some(member("+370 600 00001", "Kaunas")),
        };
        let merged = conflict.merged().unwrap().unwrap();
        assert_eq!(text(&merged, "phone"), "+370 600 00002");
        assert_eq!(text(&merged, "city"), "Kaunas");
    }
}
