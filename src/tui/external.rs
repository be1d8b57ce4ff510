//! `e`: the focused record in `$EDITOR`, as `clusterdesk edit` does it.

use super::app::App;
use super::record::AnyRecord;
use crate::editor::{self, EditError, Edited, SaveOutcome};
use crate::model::Record;
use crate::ops::save::{Over, save};
use crate::signals::Signals;
use crate::store::{Store, StoreError};

/// Runs the edit (the terminal is released by the caller) and reports the
/// outcome in the status line.
pub fn edit_focused(app: &mut App, signals: &Signals) {
    let Some(record) = app.workspace.focused().detail.record.clone() else {
        app.error("no record to edit here");
        return;
    };
    if app.workspace.focused().detail.is_draft() {
        app.error("a new record is filled in field by field (i); :w saves it");
        return;
    }
    let result = match &record {
        AnyRecord::Member(r) => edit(&app.store, r, signals),
        AnyRecord::Indicator(r) => edit(&app.store, r, signals),
        AnyRecord::News(r) => edit(&app.store, r, signals),
        AnyRecord::Meeting(r) => edit(&app.store, r, signals),
    };
    match result {
        Ok(Outcome::Saved { key, id, batch }) => {
            app.record_batch(batch);
            app.after_change(&[(record.collection(), id)]);
            app.info(format!("saved {} {key}", record.collection().singular()));
        }
        Ok(Outcome::Unchanged) => app.info("no changes"),
        Ok(Outcome::Conflict { mine, error }) => app.start_conflict(record, *mine, error),
        // The console's loop sees the signal and closes; nothing to show.
        Err(EditError::Stopped(_)) => {}
        Err(e) => app.error(e.to_string().replace('\n', "; ")),
    }
}

enum Outcome {
    Saved {
        key: String,
        id: uuid::Uuid,
        batch: Option<uuid::Uuid>,
    },
    Unchanged,
    /// Someone changed the record during the edit: `mine` is the edit.
    Conflict {
        mine: Box<AnyRecord>,
        error: StoreError,
    },
}

fn edit<R: Record>(store: &Store, original: &R, signals: &Signals) -> Result<Outcome, EditError> {
    let mut batch_id = None;
    let mut conflict = None;
    let save_form = |record: R| -> SaveOutcome<R> {
        match save(store, record.clone(), Over::Unchanged(Some(original))) {
            Ok(saved) => {
                batch_id = saved.batch;
                SaveOutcome::Saved(saved.record)
            }
            Err(StoreError::Invalid { errors, .. }) => SaveOutcome::Invalid(errors.to_string()),
            Err(e @ StoreError::Conflict { .. }) => {
                let text = e.to_string();
                conflict = Some((record, e));
                SaveOutcome::Fatal(text)
            }
            Err(e) => SaveOutcome::Fatal(e.to_string()),
        }
    };
    let edited = editor::edit(original, signals, save_form);
    if let Some((mine, error)) = conflict {
        return Ok(Outcome::Conflict {
            mine: Box::new(mine.into_any()),
            error,
        });
    }
    Ok(match edited? {
        Edited::Saved(stored) => Outcome::Saved {
            key: stored.key(),
            id: stored.id(),
            batch: batch_id,
        },
        Edited::Unchanged => Outcome::Unchanged,
    })
}
