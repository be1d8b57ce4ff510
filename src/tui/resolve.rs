//! Resolving a conflict: nothing is saved over someone else's change
//! unasked. The console shows both versions, field by field, and asks:
//! keep mine (`m`), take theirs (`t`), or merge by field (`f`: their record
//! with the fields I changed); Esc goes back to the edit.

use super::action::Mode;
use super::app::App;
use super::conflict::Conflict;
use crate::model::AnyRecord;
use crate::store::StoreError;

impl App {
    /// Shows a conflict for the edit that met it.
    pub(super) fn start_conflict(&mut self, base: AnyRecord, mine: AnyRecord, error: StoreError) {
        let StoreError::Conflict { theirs, key, .. } = error else {
            self.report(&error);
            return;
        };
        let theirs = theirs.map(|b| *b);
        let gone = theirs.is_none();
        self.workspace
            .focused_mut()
            .detail
            .meet_conflict(Conflict { base, mine, theirs });
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

    /// `m`: my version, saved over theirs (or again, when they removed it).
    pub(super) fn keep_mine(&mut self) {
        if let Some(conflict) = self.conflict().cloned() {
            let mine = conflict.mine.clone();
            self.save_resolved(conflict, mine, "kept mine");
        }
    }

    /// `f`: their record with the fields I changed.
    pub(super) fn merge_fields(&mut self) {
        let Some(conflict) = self.conflict().cloned() else {
            return;
        };
        match conflict.merged() {
            Some(Ok(merged)) => self.save_resolved(conflict, merged, "merged"),
            Some(Err(e)) => self.error(format!("cannot merge: {e}; m keeps mine, t takes theirs")),
            None => self.error("nothing to merge with: they removed it (m saves mine, t drops it)"),
        }
    }

    /// `t`: their version stays, my edit is dropped.
    pub(super) fn take_theirs(&mut self) {
        let Some(conflict) = self.conflict().cloned() else {
            return;
        };
        self.close_edit();
        self.after_change(&[(conflict.mine.collection(), conflict.mine.id())]);
        self.info("took their version; my edit is dropped");
    }

    /// Saves `record` over their version, only if it is still theirs.
    fn save_resolved(&mut self, conflict: Conflict, record: AnyRecord, how: &str) {
        let base = conflict.theirs.clone();
        match record.put_over(&self.store, base.as_ref()) {
            Ok((stored, batch)) => {
                self.close_edit();
                self.record_batch(batch);
                self.after_change(&[(stored.collection(), stored.id())]);
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
        self.workspace.focused_mut().detail.leave_conflict();
        self.info("back to the edit; saving it meets the same conflict");
    }

    fn close_edit(&mut self) {
        let w = self.workspace.focused_mut();
        w.detail.close_editor();
        w.detail.record = None;
        if self.mode == Mode::Insert {
            self.mode = Mode::Normal;
        }
    }
}
