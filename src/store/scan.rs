//! Reading many records: through an index, in its order, a page at a time.

use super::{Store, StoreError};
use crate::model::Record;

impl Store {
    /// Records in the order of `sort` (one of `R::sorts()`; `None` is the
    /// natural key), reading only what the page needs.
    pub fn page<R: Record>(
        &self,
        sort: Option<&str>,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<R>, StoreError> {
        self.scan::<R>(sort)?.skip_ids(offset).take(limit).collect()
    }

    /// Every record, lazily, in the order of `sort` (see [`Store::page`]).
    pub fn scan<R: Record>(&self, sort: Option<&str>) -> Result<Scan<'_, R>, StoreError> {
        let trees = self.trees(R::COLLECTION);
        let index = match sort {
            None => IndexKind::Key(trees.by_key.iter()),
            Some(s) => {
                let pos = R::sorts()
                    .iter()
                    .position(|&known| known == s)
                    .ok_or_else(|| StoreError::Invalid {
                        collection: R::COLLECTION,
                        key: String::new(),
                        errors: crate::model::FieldError::new(
                            "sort",
                            format!(
                                "{s:?} is not a kept order of {} (kept: {})",
                                R::COLLECTION,
                                std::iter::once(R::COLLECTION.key_name())
                                    .chain(R::sorts().iter().copied())
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ),
                        )
                        .into(),
                    })?;
                IndexKind::Sort(trees.sorts[pos].iter())
            }
        };
        Ok(Scan {
            store: self,
            index,
            _record: std::marker::PhantomData,
        })
    }

    /// Every record in id (creation) order: the quickest way to read a whole
    /// collection, walking one tree in order.
    pub fn all<R: Record>(&self) -> impl Iterator<Item = Result<R, StoreError>> + '_ {
        self.trees(R::COLLECTION).records.iter().map(move |item| {
            let (id, bytes) = item.map_err(|e| self.storage(e))?;
            self.decode(&id, &bytes)
        })
    }

    /// Natural keys of the collection, in order, without reading the records.
    pub fn keys<R: Record>(&self) -> Result<Vec<String>, StoreError> {
        self.trees(R::COLLECTION)
            .by_key
            .iter()
            .keys()
            .map(|k| {
                k.map(|k| String::from_utf8_lossy(&k).into_owned())
                    .map_err(|e| self.storage(e))
            })
            .collect()
    }
}

enum IndexKind {
    Key(sled::Iter),
    Sort(sled::Iter),
}

/// Records read through an index, one at a time.
pub struct Scan<'s, R> {
    store: &'s Store,
    index: IndexKind,
    _record: std::marker::PhantomData<R>,
}

impl<R: Record> Scan<'_, R> {
    /// Skips `n` records without reading them.
    pub fn skip_ids(mut self, n: usize) -> Self {
        for _ in 0..n {
            if self.next_id().is_none() {
                break;
            }
        }
        self
    }

    fn next_id(&mut self) -> Option<Result<Vec<u8>, StoreError>> {
        let store = self.store;
        match &mut self.index {
            IndexKind::Key(iter) => iter
                .next()
                .map(|r| r.map(|(_, id)| id.to_vec()).map_err(|e| store.storage(e))),
            IndexKind::Sort(iter) => iter.next().map(|r| {
                r.map_err(|e| store.storage(e)).and_then(|(k, _)| {
                    // The id is the last 16 bytes of a sort key.
                    k.len()
                        .checked_sub(16)
                        .map(|start| k[start..].to_vec())
                        .ok_or_else(|| store.corrupt("sort index", "entry shorter than an id"))
                })
            }),
        }
    }
}

impl<R: Record> Iterator for Scan<'_, R> {
    type Item = Result<R, StoreError>;

    fn next(&mut self) -> Option<Self::Item> {
        let id = match self.next_id()? {
            Ok(id) => id,
            Err(e) => return Some(Err(e)),
        };
        Some(match self.store.get_by_id_bytes::<R>(&id) {
            Ok(Some(r)) => Ok(r),
            Ok(None) => Err(self.store.corrupt(
                "index",
                format!(
                    "an index names a {} that is not there",
                    R::COLLECTION.singular()
                ),
            )),
            Err(e) => Err(e),
        })
    }
}
