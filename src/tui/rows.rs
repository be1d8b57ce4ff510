//! What the lists show: one light row per record (its key, a few columns and
//! the text search looks through), kept in memory for the whole collection
//! so moving and searching never wait on the store.

use std::collections::HashMap;

use uuid::Uuid;

use crate::model::text::sort_fold;
use crate::model::{Collection, Indicator, Meeting, Member, NewsItem, Record};
use crate::store::{Store, StoreError};

/// The columns a collection's list shows, the first being the key.
pub fn columns(c: Collection) -> &'static [&'static str] {
    match c {
        Collection::Members => &["code", "name", "status", "city", "sector", "joined"],
        Collection::Indicators => &["member", "year", "turnover_eur", "export_eur", "rnd_eur"],
        Collection::News => &["slug", "title", "status", "lang", "created"],
        Collection::Meetings => &["slug", "title", "date", "kind", "location"],
    }
}

/// The column that names a record for people (a member's name, a title).
pub fn title_column(c: Collection) -> usize {
    match c {
        Collection::Indicators => 0,
        _ => 1,
    }
}

/// The order a list starts in.
pub fn default_sort(c: Collection) -> &'static str {
    match c {
        Collection::Members => "name",
        Collection::Indicators => "member",
        Collection::News => "created",
        Collection::Meetings => "date",
    }
}

/// Whether the default order is newest first.
pub fn default_descending(c: Collection) -> bool {
    matches!(c, Collection::News | Collection::Meetings)
}

#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub id: Uuid,
    /// One value per `columns()` entry.
    pub values: Vec<String>,
    /// Name, code, city, contacts, tags...: what `/` searches.
    pub hay: String,
}

impl Row {
    pub fn key(&self) -> &str {
        self.values.first().map(String::as_str).unwrap_or("")
    }
}

fn values_of<R: Record>(r: &R) -> Vec<String> {
    columns(R::COLLECTION)
        .iter()
        .map(|c| r.get(c).map(|v| v.to_text()).unwrap_or_default())
        .collect()
}

/// The searchable text beyond the columns, per collection.
fn extra_hay(record: &dyn std::any::Any) -> String {
    if let Some(m) = record.downcast_ref::<Member>() {
        let mut parts = vec![m.email.clone(), m.phone.clone(), m.areas.join(" ")];
        for c in &m.contacts {
            parts.extend([c.name.clone(), c.email.clone(), c.phone.clone()]);
        }
        return parts.join(" ");
    }
    if let Some(n) = record.downcast_ref::<NewsItem>() {
        return format!("{} {} {}", n.author, n.tags.join(" "), n.members.join(" "));
    }
    if let Some(m) = record.downcast_ref::<Meeting>() {
        return m.attendees.join(" ");
    }
    String::new()
}

pub fn row_of<R: Record>(r: &R) -> Row {
    let values = values_of(r);
    let mut hay = values.join(" ");
    let extra = extra_hay(r);
    if !extra.trim().is_empty() {
        hay.push(' ');
        hay.push_str(extra.trim());
    }
    Row {
        id: r.id(),
        values,
        hay: super::search::fold(&hay),
    }
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
        self.rows.insert(c, rows);
        self.generation += 1;
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

pub fn load_rows(store: &Store, c: Collection) -> Result<Vec<Row>, StoreError> {
    fn all<R: Record>(store: &Store) -> Result<Vec<Row>, StoreError> {
        store.all::<R>().map(|r| r.map(|r| row_of(&r))).collect()
    }
    match c {
        Collection::Members => all::<Member>(store),
        Collection::Indicators => all::<Indicator>(store),
        Collection::News => all::<NewsItem>(store),
        Collection::Meetings => all::<Meeting>(store),
    }
}

/// The first `n` rows in the collection's default order, read through its
/// index: enough for a first frame without reading the whole collection.
pub fn first_rows(store: &Store, c: Collection, n: usize) -> Result<Vec<Row>, StoreError> {
    fn page<R: Record>(
        store: &Store,
        sort: Option<&str>,
        n: usize,
    ) -> Result<Vec<Row>, StoreError> {
        Ok(store.page::<R>(sort, 0, n)?.iter().map(row_of).collect())
    }
    match c {
        Collection::Members => page::<Member>(store, Some("name"), n),
        // Newest-first lists need the end of their index; they are small.
        Collection::Indicators => page::<Indicator>(store, None, n),
        Collection::News => load_rows(store, c),
        Collection::Meetings => load_rows(store, c),
    }
}

fn load_row(store: &Store, c: Collection, id: Uuid) -> Result<Option<Row>, StoreError> {
    Ok(match c {
        Collection::Members => store.get_by_id::<Member>(id)?.map(|r| row_of(&r)),
        Collection::Indicators => store.get_by_id::<Indicator>(id)?.map(|r| row_of(&r)),
        Collection::News => store.get_by_id::<NewsItem>(id)?.map(|r| row_of(&r)),
        Collection::Meetings => store.get_by_id::<Meeting>(id)?.map(|r| row_of(&r)),
    })
}

/// The order of `rows` by `column` (folded text; dates and codes sort as text),
/// ties by key; indices into `rows`.
pub fn order(rows: &[Row], c: Collection, column: &str, descending: bool) -> Vec<u32> {
    let col = columns(c)
        .iter()
        .position(|&name| name == column)
        .unwrap_or(0);
    let numeric = matches!(
        column,
        "year" | "turnover_eur" | "export_eur" | "rnd_eur" | "employees"
    );
    let mut keyed: Vec<(String, u32)> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let v = r.values.get(col).map(String::as_str).unwrap_or("");
            let k = if numeric {
                format!("{v:0>20}")
            } else {
                sort_fold(v)
            };
            (k, i as u32)
        })
        .collect();
    keyed.sort_by(|a, b| {
        a.0.cmp(&b.0)
            .then_with(|| rows[a.1 as usize].key().cmp(rows[b.1 as usize].key()))
    });
    if descending {
        keyed.reverse();
    }
    keyed.into_iter().map(|(_, i)| i).collect()
}
