//! A window: a list pane and, beside it, the detail of the record under its
//! cursor. Windows split and close like vim's; each keeps its own list.

use super::detail::DetailView;
use super::list::ListView;
use super::record::AnyRecord;
use super::rows::Catalog;
use crate::model::Collection;
use crate::store::{Store, StoreError};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    List,
    Detail,
}

#[derive(Debug)]
pub struct Window {
    pub list: ListView,
    pub detail: DetailView,
    pub focus: Focus,
}

impl Window {
    pub fn new(collection: Collection, catalog: &Catalog) -> Window {
        Window {
            list: ListView::new(collection, catalog),
            detail: DetailView::default(),
            focus: Focus::List,
        }
    }

    /// A copy for a split: same list settings and cursor, no draft or edit.
    pub fn split_copy(&self) -> Window {
        Window {
            list: self.list.clone(),
            detail: DetailView::showing(
                if self.detail.is_draft() {
                    None
                } else {
                    self.detail.record.clone()
                },
                self.detail.field,
            ),
            focus: Focus::List,
        }
    }

    pub fn collection(&self) -> Collection {
        self.list.collection
    }

    /// Loads the record under the list's cursor into the detail, unless the
    /// detail holds a new record or an open edit.
    pub fn sync_detail(&mut self, store: &Store, catalog: &Catalog) -> Result<(), StoreError> {
        if self.detail.is_editing() {
            return Ok(());
        }
        let id = self.list.selected_id(catalog);
        if self.detail.record.as_ref().map(AnyRecord::id) == id {
            return Ok(());
        }
        self.detail.below = 0;
        self.detail.record = match id {
            Some(id) => AnyRecord::load(store, self.collection(), id)?,
            None => None,
        };
        Ok(())
    }

    /// Reloads the detail's record from the store (after a change).
    /// A field being edited keeps the record it began from: saving it
    /// checks that the stored record is still that one.
    pub fn reload_detail(&mut self, store: &Store, catalog: &Catalog) -> Result<(), StoreError> {
        if !self.detail.is_editing() {
            self.detail.record = None;
        }
        self.sync_detail(store, catalog)
    }
}
