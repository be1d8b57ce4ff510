//! Changes to whole records from the list: delete (`dd`, visual `d`), undo
//! and redo through the store's history, and copying (`yy`).

use super::action::{Action, Mode};
use super::app::{App, Effect};
use super::window::Focus;
use crate::ops::change as ops;

impl App {
    pub(super) fn delete(&mut self, count: usize) {
        let w = self.workspace.focused_mut();
        if w.detail.is_draft() && w.focus == Focus::Detail {
            self.error(format!(
                "the new record is not saved: {}",
                self.draft_hint()
            ));
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
                let undo = self.hint(Mode::Normal, Action::Undo);
                self.info(format!("deleted {} {what} ({undo} undoes)", ids.len()));
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

    pub(super) fn undo(&mut self, count: usize) {
        self.step_history(count, true);
    }

    pub(super) fn redo(&mut self, count: usize) {
        self.step_history(count, false);
    }

    /// Undo (or redo) `count` batches: each is reverted by a new batch
    /// (`Store::undo_batch`), which is what the opposite step reverts.
    pub(super) fn step_history(&mut self, count: usize, back: bool) {
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
            // Said before it is reverted: what the batch did, by name.
            let what =
                ops::describe(&self.store, batch, !back).unwrap_or_else(|_| "a change".into());
            match self.store.undo_batch(batch) {
                Ok(summary) => {
                    if back {
                        self.undo.undone.push(summary.id);
                    } else {
                        self.undo.done.push(summary.id);
                    }
                    let elsewhere = self.outside_focused_tab(summary.id);
                    self.refresh_batch(summary.id);
                    let redo = self.hint(Mode::Normal, Action::Redo);
                    self.info(if back {
                        format!("undone: {what}{elsewhere} ({redo} redoes)")
                    } else {
                        format!("redone: {what}{elsewhere}")
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

    /// " (in news)" when the batch changed records of a collection the
    /// focused tab does not show, so an undo never acts out of sight unsaid.
    fn outside_focused_tab(&self, batch: uuid::Uuid) -> String {
        let shown = self.workspace.focused().collection();
        let mut others: Vec<&str> = ops::touched(&self.store, batch)
            .unwrap_or_default()
            .into_iter()
            .filter(|(c, _)| *c != shown)
            .map(|(c, _)| c.as_str())
            .collect();
        others.dedup();
        if others.is_empty() {
            String::new()
        } else {
            format!(" (in {})", others.join(", "))
        }
    }

    pub(super) fn refresh_batch(&mut self, batch: uuid::Uuid) {
        match ops::touched(&self.store, batch) {
            Ok(changed) => self.after_change(&changed),
            Err(e) => self.report(&e),
        }
    }

    pub(super) fn yank(&mut self, count: usize) {
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
}
