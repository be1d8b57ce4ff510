//! The list pane: one collection's records in an order, narrowed by filters
//! and a search, with a cursor and (in visual mode) a selection.

use uuid::Uuid;

use super::rows::{self, Catalog, Row};
use super::search::Searcher;
use crate::model::Collection;

#[derive(Debug, Clone)]
pub struct ListView {
    pub collection: Collection,
    pub sort: String,
    pub descending: bool,
    /// `:filter` conditions: column = value (case-insensitive).
    pub filters: Vec<(String, String)>,
    /// The search typed with `/` (kept after Enter until `:nohl`).
    pub query: String,
    /// Whether `/` searches forward (`?` backward): `n` follows it.
    pub forward: bool,
    /// Every row, in the list's order (indices into the catalog's rows).
    order: Vec<u32>,
    /// What the list shows: `order` narrowed by filters and search.
    pub visible: Vec<u32>,
    pub cursor: usize,
    pub offset: usize,
    /// Where a visual selection started (an index into `visible`).
    pub anchor: Option<usize>,
    generation: u64,
    /// The query the current `visible` was computed for.
    searched: String,
}

impl ListView {
    pub fn new(collection: Collection, catalog: &Catalog) -> ListView {
        let mut view = ListView {
            collection,
            sort: collection.default_sort().0.to_string(),
            descending: collection.default_sort().1,
            filters: Vec::new(),
            query: String::new(),
            forward: true,
            order: Vec::new(),
            visible: Vec::new(),
            cursor: 0,
            offset: 0,
            anchor: None,
            generation: u64::MAX,
            searched: String::new(),
        };
        view.sync(catalog, &mut Searcher::default(), None);
        view
    }

    pub fn selected_id(&self, catalog: &Catalog) -> Option<Uuid> {
        self.row_at(catalog, self.cursor).map(|r| r.id)
    }

    pub fn row_at<'c>(&self, catalog: &'c Catalog, index: usize) -> Option<&'c Row> {
        let i = *self.visible.get(index)?;
        catalog.rows(self.collection).get(i as usize)
    }

    /// Recomputes order and visibility after the catalog or the view's
    /// settings changed, keeping the cursor on the same record.
    ///
    /// When the catalog changed since the last sync, this view's indices
    /// point into rows that are gone: the caller passes the id it noted
    /// before the change (see `App::cursors`).
    pub fn sync(&mut self, catalog: &Catalog, searcher: &mut Searcher, noted: Option<Uuid>) {
        let keep = if self.generation == catalog.generation {
            self.selected_id(catalog)
        } else {
            noted
        };
        if self.generation != catalog.generation {
            self.order = rows::order(
                catalog.rows(self.collection),
                self.collection,
                &self.sort,
                self.descending,
            );
            self.generation = catalog.generation;
        }
        self.recompute(catalog, searcher, keep);
    }

    /// Re-applies filters after `:filter` changed them.
    pub fn sync_filters(&mut self, catalog: &Catalog, searcher: &mut Searcher) {
        let keep = self.selected_id(catalog);
        self.recompute(catalog, searcher, keep);
    }

    /// Forces a new order (after `:sort`).
    pub fn resort(&mut self, catalog: &Catalog, searcher: &mut Searcher) {
        let keep = self.selected_id(catalog);
        self.generation = u64::MAX;
        self.sync(catalog, searcher, keep);
    }

    fn recompute(&mut self, catalog: &Catalog, searcher: &mut Searcher, keep: Option<Uuid>) {
        let all = catalog.rows(self.collection);
        let columns = rows::columns(self.collection);
        let filtered: Vec<u32> = if self.filters.is_empty() {
            self.order.clone()
        } else {
            let wanted: Vec<(usize, String)> = self
                .filters
                .iter()
                .filter_map(|(f, v)| {
                    columns
                        .iter()
                        .position(|c| c == f)
                        .map(|i| (i, crate::model::text::fold(v)))
                })
                .collect();
            self.order
                .iter()
                .copied()
                .filter(|&i| {
                    let row = &all[i as usize];
                    wanted.iter().all(|(col, v)| row.folded(*col) == v)
                })
                .collect()
        };
        self.visible = searcher.filter(all, &filtered, &self.query);
        self.searched = self.query.clone();
        self.cursor = keep
            .and_then(|id| self.visible.iter().position(|&i| all[i as usize].id == id))
            .unwrap_or_else(|| self.cursor.min(self.visible.len().saturating_sub(1)));
        if self.anchor.is_some_and(|a| a >= self.visible.len()) {
            self.anchor = None;
        }
    }

    /// Narrows the list as a search is typed. A query that only grew is
    /// matched against the current matches alone.
    pub fn set_query(&mut self, catalog: &Catalog, searcher: &mut Searcher, query: &str) {
        let grew = !self.searched.is_empty() && query.starts_with(&self.searched);
        self.query = query.to_string();
        if grew {
            let all = catalog.rows(self.collection);
            self.visible = searcher.filter(all, &self.visible.clone(), query);
            self.searched = query.to_string();
        } else {
            // A cleared search keeps the record the cursor is on, as in vim.
            let keep = if query.is_empty() {
                self.selected_id(catalog)
            } else {
                None
            };
            self.recompute(catalog, searcher, keep);
            if keep.is_some() {
                return;
            }
        }
        // Typing a search puts the cursor on the best match.
        self.cursor = 0;
        self.offset = 0;
    }

    pub fn len(&self) -> usize {
        self.visible.len()
    }

    pub fn is_empty(&self) -> bool {
        self.visible.is_empty()
    }

    /// Moves the cursor by `delta` rows, stopping at the ends.
    pub fn move_by(&mut self, delta: isize) {
        if self.visible.is_empty() {
            return;
        }
        let last = self.visible.len() - 1;
        self.cursor = self.cursor.saturating_add_signed(delta).min(last);
    }

    pub fn move_to(&mut self, index: usize) {
        self.cursor = index.min(self.visible.len().saturating_sub(1));
    }

    /// Keeps the cursor on screen for a list `height` rows tall. When it
    /// leaves the screen the list moves half a page, not one row: over a
    /// slow link a one-row scroll redraws every row for every `j`, while a
    /// jump redraws them once in half a page of `j`s.
    pub fn scroll_into_view(&mut self, height: usize) {
        let height = height.max(1);
        if self.cursor < self.offset {
            self.offset = self.cursor.saturating_sub(height / 2);
        } else if self.cursor >= self.offset + height {
            self.offset = self.cursor + 1 + height / 2 - height;
        }
        let max_offset = self.visible.len().saturating_sub(height);
        self.offset = self.offset.min(max_offset);
    }

    /// The selected rows: the visual range, or `count` rows from the cursor.
    pub fn selection(&self, count: usize) -> std::ops::Range<usize> {
        match self.anchor {
            Some(a) => a.min(self.cursor)..a.max(self.cursor) + 1,
            None => self.cursor..(self.cursor + count.max(1)).min(self.visible.len()),
        }
    }

    pub fn ids_in(&self, catalog: &Catalog, range: std::ops::Range<usize>) -> Vec<Uuid> {
        range
            .filter_map(|i| self.row_at(catalog, i).map(|r| r.id))
            .collect()
    }

    /// Where the next row matching the search is, from the cursor onwards
    /// (`n`), or backwards (`N`). Search narrows the list, so this wraps.
    pub fn next_match(&self, forward: bool) -> usize {
        if self.visible.is_empty() {
            return 0;
        }
        let n = self.visible.len();
        if forward {
            (self.cursor + 1) % n
        } else {
            (self.cursor + n - 1) % n
        }
    }
}
