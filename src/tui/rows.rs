//! What the lists show: one light row per record (its key, a few columns and
//! the text search looks through), kept in memory for the whole collection
//! so moving and searching never wait on the store.

use std::collections::HashMap;

use uuid::Uuid;

use crate::each_record;
use crate::model::{Collection, Meeting, NewsItem, Record};
use crate::store::{Store, StoreError};

/// The columns a collection's list shows, the first being the key.
pub fn columns(c: Collection) -> &'static [&'static str] {
    c.list_columns()
}

/// The column that names a record for people (a member's name, a title).
pub fn title_column(c: Collection) -> usize {
    columns(c)
        .iter()
        .position(|f| *f == c.title_field())
        .unwrap_or(0)
}

/// Separates columns inside a row's texts (a control character, so never
/// part of stored text).
const SEP: char = '\u{1f}';

/// One record as a list shows it. Two allocations a row (display text and
/// search text), so 100,000 members stay small and quick to walk.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub id: Uuid,
    /// One value per `columns()` entry, joined by `SEP`.
    values: Box<str>,
    /// The values folded (see `model::text::fold`), then name, code, city,
    /// contacts, tags...: what `/` searches and what lists sort by.
    pub hay: Box<str>,
}

impl Row {
    pub fn new(id: Uuid, values: &[&str], extra: &str) -> Row {
        let joined = values.join(&SEP.to_string());
        let mut hay = crate::model::text::fold(&joined);
        if !extra.trim().is_empty() {
            hay.push(SEP);
            hay.push_str(&crate::model::text::fold(extra.trim()));
        }
        Row {
            id,
            values: joined.into_boxed_str(),
            hay: hay.into_boxed_str(),
        }
    }

    /// The value of column `i` as stored.
    pub fn value(&self, i: usize) -> &str {
        self.values.split(SEP).nth(i).unwrap_or("")
    }

    /// The value of column `i` folded, for sorting and filtering.
    pub fn folded(&self, i: usize) -> &str {
        self.hay.split(SEP).nth(i).unwrap_or("")
    }

    pub fn key(&self) -> &str {
        self.value(0)
    }

    /// Bytes the row holds on the heap (for the memory figures).
    pub fn heap_bytes(&self) -> usize {
        self.values.len() + self.hay.len()
    }
}

pub fn row_of<R: Record>(r: &R) -> Row {
    let values: Vec<String> = columns(R::COLLECTION)
        .iter()
        .map(|c| r.get(c).map(|v| v.to_text()).unwrap_or_default())
        .collect();
    let values: Vec<&str> = values.iter().map(String::as_str).collect();
    Row::new(r.id(), &values, &r.search_text())
}

/// A meeting or news item that names a member, for the member's detail.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Mention {
    pub date: String,
    pub title: String,
}

/// Every collection's rows, and which meetings and news name each member.
#[derive(Debug, Default)]
pub struct Catalog {
    rows: HashMap<Collection, Vec<Row>>,
    /// Bumped on every change, so lists know to recompute what they show.
    pub generation: u64,
    meetings_of: HashMap<String, Vec<Mention>>,
    /// The widest value of each column, per collection, in terminal columns.
    widths: HashMap<Collection, Vec<usize>>,
    news_of: HashMap<String, Vec<Mention>>,
}

impl Catalog {
    /// Reads every collection. At 100,000 members this is the slow part of
    /// start-up; see `tui::run` for how the first frame avoids waiting on it.
    pub fn load(store: &Store) -> Result<Catalog, StoreError> {
        let mut catalog = Catalog::default();
        for c in Collection::ALL {
            catalog.rows.insert(c, load_rows(store, c)?);
        }
        catalog.rebuild_mentions(store)?;
        Ok(catalog)
    }

    pub fn rows(&self, c: Collection) -> &[Row] {
        self.rows.get(&c).map(Vec::as_slice).unwrap_or(&[])
    }

    pub fn set_rows(&mut self, c: Collection, rows: Vec<Row>) {
        let mut widths = vec![0; columns(c).len()];
        for row in &rows {
            widen(&mut widths, row);
        }
        self.widths.insert(c, widths);
        self.rows.insert(c, rows);
        self.generation += 1;
    }

    /// The widest value of each column of a collection (it only grows).
    pub fn widths(&self, c: Collection) -> &[usize] {
        self.widths.get(&c).map(Vec::as_slice).unwrap_or(&[])
    }

    pub fn find(&self, c: Collection, id: Uuid) -> Option<&Row> {
        self.rows(c).iter().find(|r| r.id == id)
    }

    /// Re-reads the given records after a change (gone ones are dropped).
    pub fn refresh(
        &mut self,
        store: &Store,
        c: Collection,
        ids: &[Uuid],
    ) -> Result<(), StoreError> {
        for &id in ids {
            let fresh = load_row(store, c, id)?;
            if let Some(row) = &fresh {
                let widths = self
                    .widths
                    .entry(c)
                    .or_insert_with(|| vec![0; columns(c).len()]);
                widen(widths, row);
            }
            let rows = self.rows.entry(c).or_default();
            match (rows.iter().position(|r| r.id == id), fresh) {
                (Some(i), Some(row)) => rows[i] = row,
                (Some(i), None) => {
                    rows.remove(i);
                }
                (None, Some(row)) => rows.push(row),
                (None, None) => {}
            }
        }
        if matches!(c, Collection::Meetings | Collection::News) {
            self.rebuild_mentions(store)?;
        }
        self.generation += 1;
        Ok(())
    }

    pub fn meetings_of(&self, code: &str) -> &[Mention] {
        self.meetings_of.get(code).map(Vec::as_slice).unwrap_or(&[])
    }

    pub fn news_of(&self, code: &str) -> &[Mention] {
        self.news_of.get(code).map(Vec::as_slice).unwrap_or(&[])
    }

    fn rebuild_mentions(&mut self, store: &Store) -> Result<(), StoreError> {
        self.meetings_of.clear();
        self.news_of.clear();
        for m in store.all::<Meeting>() {
            let m = m?;
            let date = m.date.map(|d| d.to_string()).unwrap_or_default();
            for code in &m.attendees {
                self.meetings_of
                    .entry(code.clone())
                    .or_default()
                    .push(Mention {
                        date: date.clone(),
                        title: m.title.clone(),
                    });
            }
        }
        for n in store.all::<NewsItem>() {
            let n = n?;
            let date = n.created.map(|d| d.to_string()).unwrap_or_default();
            for code in &n.members {
                self.news_of.entry(code.clone()).or_default().push(Mention {
                    date: date.clone(),
                    title: n.title.clone(),
                });
            }
        }
        for list in self
            .meetings_of
            .values_mut()
            .chain(self.news_of.values_mut())
        {
            list.sort_by(|a, b| b.cmp(a));
        }
        Ok(())
    }
}

fn widen(widths: &mut [usize], row: &Row) {
    for (i, w) in widths.iter_mut().enumerate() {
        *w = (*w).max(crate::display::width(row.value(i)));
    }
}

pub fn load_rows(store: &Store, c: Collection) -> Result<Vec<Row>, StoreError> {
    each_record!(type of c, R => store.all::<R>().map(|r| r.map(|r| row_of(&r))).collect())
}

/// The first `n` rows in the collection's default order, read through its
/// index: enough for a first frame without reading the whole collection.
pub fn first_rows(store: &Store, c: Collection, n: usize) -> Result<Vec<Row>, StoreError> {
    if whole_at_first(c) {
        return load_rows(store, c);
    }
    let (sort, _) = c.default_sort();
    // The natural key's order needs no index of its own.
    let sort = (c.key_fields().first() != Some(&sort)).then_some(sort);
    each_record!(type of c, R => Ok(store.page::<R>(sort, 0, n)?.iter().map(row_of).collect()))
}

/// Whether [`first_rows`] reads the whole collection: newest-first lists
/// need the end of their index, and they are small (news, meetings).
pub fn whole_at_first(c: Collection) -> bool {
    c.default_sort().1
}

fn load_row(store: &Store, c: Collection, id: Uuid) -> Result<Option<Row>, StoreError> {
    each_record!(type of c, R => Ok(store.get_by_id::<R>(id)?.map(|r| row_of(&r))))
}

/// The order of `rows` by `column` (folded text; dates and codes sort as
/// text, amounts as numbers), ties by key; indices into `rows`. Compares the
/// rows' own folded text: no key is built per row.
pub fn order(rows: &[Row], c: Collection, column: &str, descending: bool) -> Vec<u32> {
    let col = columns(c)
        .iter()
        .position(|&name| name == column)
        .unwrap_or(0);
    let numeric = c
        .fields()
        .iter()
        .any(|f| f.name == column && f.kind == crate::model::FieldKind::Number);
    let mut order: Vec<u32> = (0..rows.len() as u32).collect();
    let key = |i: u32| &rows[i as usize];
    order.sort_by(|&a, &b| {
        let (a, b) = (key(a), key(b));
        let by_value = if numeric {
            let n = |r: &Row| r.value(col).parse::<u64>().ok();
            n(a).cmp(&n(b))
        } else {
            a.folded(col).cmp(b.folded(col))
        };
        by_value.then_with(|| a.key().cmp(b.key()))
    });
    if descending {
        order.reverse();
    }
    order
}
