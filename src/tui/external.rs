//! `e`: the focused record in `$EDITOR`, as `clusterdesk edit` does it.

use super::app::App;
use super::record::AnyRecord;
use crate::editor::{self, EditError, Edited, SaveOutcome};
use crate::model::Record;
use crate::store::{Store, StoreError};

/// Runs the edit (the terminal is released by the caller) and reports the
/// outcome in the status line.
pub fn edit_focused(app: &mut App) {
    let Some(record) = app.workspace.focused().detail.record.clone() else {
        app.error("no record to edit here");
        return;
    };
    if app.workspace.focused().detail.draft {
        app.error("a new record is filled in field by field (i); :w saves it");
        return;
    }
    let result = match &record {
        AnyRecord::Member(r) => edit(&app.store, r).map(|o| o.map(|(r, b)| ((r.key(), r.id()), b))),
        AnyRecord::Indicator(r) => {
            edit(&app.store, r).map(|o| o.map(|(r, b)| ((r.key(), r.id()), b)))
        }
        AnyRecord::News(r) => edit(&app.store, r).map(|o| o.map(|(r, b)| ((r.key(), r.id()), b))),
        AnyRecord::Meeting(r) => {
            edit(&app.store, r).map(|o| o.map(|(r, b)| ((r.key(), r.id()), b)))
        }
    };
    match result {
        Ok(Some(((key, id), batch))) => {
            app.record_batch(batch);
            app.after_change(&[(record.collection(), id)]);
            app.info(format!("saved {} {key}", record.collection().singular()));
        }
        Ok(None) => app.info("no changes"),
        Err(e) => app.error(e.to_string().replace('\n', "; ")),
    }
}

type Stored<R> = Option<(R, Option<uuid::Uuid>)>;

fn edit<R: Record>(store: &Store, original: &R) -> Result<Stored<R>, EditError> {
    let mut batch_id = None;
    let save = |record: R| -> SaveOutcome<R> {
        let mut batch = store.batch();
        let put = batch
            .put(record)
            .and_then(|stored| batch.commit().map(|s| (stored, s.id)));
        match put {
            Ok((stored, id)) => {
                batch_id = Some(id);
                SaveOutcome::Saved(stored)
            }
            Err(StoreError::Invalid { errors, .. }) => SaveOutcome::Invalid(errors.to_string()),
            Err(e) => SaveOutcome::Fatal(e.to_string()),
        }
    };
    match editor::edit(original, save)? {
        Edited::Saved(stored) => Ok(Some((stored, batch_id))),
        Edited::Unchanged => Ok(None),
    }
}
