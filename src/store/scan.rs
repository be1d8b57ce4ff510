//! Reading many records: through an index, in its order, a page at a time.

use std::ops::Bound;

use uuid::Uuid;

use super::{Engine, StoreError};
use crate::model::Record;

impl Engine {
    /// Every record, lazily, in the order of `sort` (one of `R::sorts()`; `None` is the natural key).
    pub fn scan<R: Record>(&self, sort: Option<&str>) -> Result<Scan<'_, R>, StoreError> {
        self.scan_after(sort, None)
    }

    /// Like [`Engine::scan`], starting after the index entry `after` (a
    /// cursor from [`Engine::scan_page`]).
    fn scan_after<R: Record>(
        &self,
        sort: Option<&str>,
        after: Option<&[u8]>,
    ) -> Result<Scan<'_, R>, StoreError> {
        let trees = self.trees(R::COLLECTION);
        let range = |tree: &sled::Tree| match after {
            None => tree.iter(),
            Some(a) => tree.range::<&[u8], _>((Bound::Excluded(a), Bound::Unbounded)),
        };
        let index = match sort {
            None => IndexKind::Key(range(&trees.by_key)),
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
                                std::iter::once(R::COLLECTION.key_name().as_str())
                                    .chain(R::sorts().iter().copied())
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ),
                        )
                        .into(),
                    })?;
                IndexKind::Sort(range(&trees.sorts[pos]))
            }
        };
        Ok(Scan {
            store: self,
            index,
            last: None,
            _record: std::marker::PhantomData,
        })
    }

    /// Up to `limit` records in the order of `sort`, after the index entry
    /// `after` (or from the start, skipping `skip`), and the cursor where
    /// the next page starts (None at the end). Pages by cursor cost the
    /// same deep in a collection as at its start.
    pub fn scan_page<R: Record>(
        &self,
        sort: Option<&str>,
        after: Option<&[u8]>,
        skip: usize,
        limit: usize,
    ) -> Result<(Vec<R>, Option<Vec<u8>>), StoreError> {
        let mut scan = self.scan_after::<R>(sort, after)?;
        if after.is_none() {
            scan = scan.skip_ids(skip);
        }
        let mut records = Vec::new();
        while records.len() < limit {
            match scan.next() {
                Some(r) => records.push(r?),
                None => return Ok((records, None)),
            }
        }
        Ok((records, scan.last))
    }

    /// Up to `limit` records in id order after `after`, and the last id.
    pub fn all_page<R: Record>(
        &self,
        after: Option<Uuid>,
        limit: usize,
    ) -> Result<(Vec<R>, Option<Uuid>), StoreError> {
        let tree = &self.trees(R::COLLECTION).records;
        let iter = match after {
            None => tree.iter(),
            Some(a) => {
                tree.range::<&[u8], _>((Bound::Excluded(a.as_bytes().as_slice()), Bound::Unbounded))
            }
        };
        let mut records = Vec::new();
        let mut last = None;
        for item in iter.take(limit) {
            let (id, bytes) = item.map_err(|e| self.storage(e))?;
            records.push(self.decode::<R>(&id, &bytes)?);
            last = Uuid::from_slice(&id).ok();
        }
        let next = if records.len() == limit { last } else { None };
        Ok((records, next))
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
    store: &'s Engine,
    index: IndexKind,
    /// The index entry of the record read last: where a next page starts.
    last: Option<Vec<u8>>,
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
        let last = &mut self.last;
        match &mut self.index {
            IndexKind::Key(iter) => iter.next().map(|r| {
                r.map(|(k, id)| {
                    *last = Some(k.to_vec());
                    id.to_vec()
                })
                .map_err(|e| store.storage(e))
            }),
            IndexKind::Sort(iter) => iter.next().map(|r| {
                r.map_err(|e| store.storage(e)).and_then(|(k, _)| {
                    *last = Some(k.to_vec());
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
