//! History entries: who changed what, when, in which batch, before and after.

use crate::each_record;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{Engine, StoreError, codec};
use crate::model::Collection;

/// How an entry is stored: the record images are kept in their own envelopes,
/// so they upgrade on read like any record.
#[derive(Serialize, Deserialize)]
pub(super) struct StoredEntry {
    pub at: Timestamp,
    pub who: String,
    pub collection: u8,
    pub id: Uuid,
    pub key: String,
    pub before: Option<Vec<u8>>,
    pub after: Option<Vec<u8>>,
}

pub(super) fn collection_tag(c: Collection) -> u8 {
    c.tag()
}

pub(super) fn collection_of(tag: u8) -> Option<Collection> {
    Collection::ALL
        .into_iter()
        .find(|&c| collection_tag(c) == tag)
}

/// History key: batch id then sequence, so entries list batch by batch in time order.
pub(super) fn entry_key(batch: Uuid, seq: u32) -> [u8; 20] {
    let mut key = [0u8; 20];
    key[..16].copy_from_slice(batch.as_bytes());
    key[16..].copy_from_slice(&seq.to_be_bytes());
    key
}

/// One change, as the history shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HistoryEntry {
    pub batch: Uuid,
    pub seq: u32,
    pub at: Timestamp,
    pub who: String,
    pub collection: Collection,
    pub id: Uuid,
    pub key: String,
    /// The record before the change (none when it was created), as JSON.
    pub before: Option<serde_json::Value>,
    /// The record after the change (none when it was removed), as JSON.
    pub after: Option<serde_json::Value>,
}

fn image_json(c: Collection, bytes: &[u8]) -> Result<serde_json::Value, String> {
    fn json<R: serde::Serialize + serde::de::DeserializeOwned>(
        bytes: &[u8],
    ) -> Result<serde_json::Value, String> {
        let record: R = codec::decode(bytes)?;
        serde_json::to_value(record).map_err(|e| e.to_string())
    }
    each_record!(type of c, R => json::<R>(bytes))
}

impl Engine {
    /// Every history entry, oldest batch first.
    pub fn history(&self) -> Result<Vec<HistoryEntry>, StoreError> {
        let mut out = Vec::new();
        for item in self.history.iter() {
            let (key, bytes) = item.map_err(|e| self.storage(e))?;
            out.push(self.history_entry(&key, &bytes)?);
        }
        Ok(out)
    }

    /// Every history entry, oldest batch first, one at a time (for a dump of
    /// a large store, which must not hold the whole history in memory).
    pub fn history_each<E: From<StoreError>>(
        &self,
        mut each: impl FnMut(HistoryEntry) -> Result<(), E>,
    ) -> Result<(), E> {
        for item in self.history.iter() {
            let (key, bytes) = item.map_err(|e| self.storage(e))?;
            each(self.history_entry(&key, &bytes)?)?;
        }
        Ok(())
    }

    /// Up to `limit` entries after `(batch, seq)` (or from the first),
    /// oldest batch first.
    pub fn history_page(
        &self,
        after: Option<(Uuid, u32)>,
        limit: usize,
    ) -> Result<Vec<HistoryEntry>, StoreError> {
        let iter = match after {
            None => self.history.iter(),
            Some((batch, seq)) => {
                let from = entry_key(batch, seq);
                self.history.range::<&[u8], _>((
                    std::ops::Bound::Excluded(from.as_slice()),
                    std::ops::Bound::Unbounded,
                ))
            }
        };
        let mut out = Vec::new();
        for item in iter.take(limit) {
            let (key, bytes) = item.map_err(|e| self.storage(e))?;
            out.push(self.history_entry(&key, &bytes)?);
        }
        Ok(out)
    }

    /// Up to `limit` entries of one batch after sequence number `after`.
    pub fn batch_history_page(
        &self,
        batch: Uuid,
        after: Option<u32>,
        limit: usize,
    ) -> Result<Vec<HistoryEntry>, StoreError> {
        let from = entry_key(batch, after.map_or(0, |s| s.saturating_add(1)));
        let to = entry_key(batch, u32::MAX);
        let mut out = Vec::new();
        if after == Some(u32::MAX) {
            return Ok(out);
        }
        for item in self.history.range(from..=to).take(limit) {
            let (key, bytes) = item.map_err(|e| self.storage(e))?;
            out.push(self.history_entry(&key, &bytes)?);
        }
        Ok(out)
    }

    /// The entries of one batch, in the order they were made.
    pub fn batch_history(&self, batch: Uuid) -> Result<Vec<HistoryEntry>, StoreError> {
        let mut out = Vec::new();
        for item in self.history.scan_prefix(batch.as_bytes()) {
            let (key, bytes) = item.map_err(|e| self.storage(e))?;
            out.push(self.history_entry(&key, &bytes)?);
        }
        Ok(out)
    }

    fn history_entry(&self, key: &[u8], bytes: &[u8]) -> Result<HistoryEntry, StoreError> {
        let bad = |reason: String| self.corrupt("history entry", reason);
        if key.len() != 20 {
            return Err(bad(format!("key of {} bytes, expected 20", key.len())));
        }
        let batch = Uuid::from_slice(&key[..16]).map_err(|e| bad(e.to_string()))?;
        let seq = u32::from_be_bytes([key[16], key[17], key[18], key[19]]);
        let stored: StoredEntry = codec::decode(bytes).map_err(bad)?;
        let collection = collection_of(stored.collection)
            .ok_or_else(|| bad(format!("unknown collection tag {}", stored.collection)))?;
        let image = |b: &Option<Vec<u8>>| {
            b.as_deref()
                .map(|b| image_json(collection, b))
                .transpose()
                .map_err(bad)
        };
        Ok(HistoryEntry {
            batch,
            seq,
            at: stored.at,
            who: stored.who.clone(),
            collection,
            id: stored.id,
            key: stored.key.clone(),
            before: image(&stored.before)?,
            after: image(&stored.after)?,
        })
    }
}
