//! Index entries a pending batch holds back until commit, to write them in
//! key order (see `Batch::mark_pending`). Packed in one buffer: a large
//! import holds hundreds of thousands of them within its memory budget.

use sled::Tree;

/// How many entries are written between flushes.
const FLUSH_EVERY: usize = 25_000;

#[derive(Default)]
pub(super) struct Deferred {
    bytes: Vec<u8>,
    entries: Vec<Entry>,
}

/// Key then value, at `start` in `bytes`.
#[derive(Clone, Copy)]
struct Entry {
    start: u32,
    key_len: u32,
    value_len: u16,
    /// Position of the tree in `Engine::all_trees`.
    slot: u16,
}

impl Deferred {
    /// Holds `key -> value` for the tree at `slot`; false if the buffer is
    /// full (4 GiB), and the caller writes it at once instead.
    pub(super) fn push(&mut self, slot: usize, key: &[u8], value: &[u8]) -> bool {
        let (Ok(start), Ok(key_len), Ok(value_len), Ok(slot)) = (
            u32::try_from(self.bytes.len()),
            u32::try_from(key.len()),
            u16::try_from(value.len()),
            u16::try_from(slot),
        ) else {
            return false;
        };
        if u32::try_from(self.bytes.len() + key.len() + value.len()).is_err() {
            return false;
        }
        self.bytes.extend_from_slice(key);
        self.bytes.extend_from_slice(value);
        self.entries.push(Entry {
            start,
            key_len,
            value_len,
            slot,
        });
        true
    }

    fn key(&self, e: &Entry) -> &[u8] {
        let start = e.start as usize;
        &self.bytes[start..start + e.key_len as usize]
    }

    fn value(&self, e: &Entry) -> &[u8] {
        let start = e.start as usize + e.key_len as usize;
        &self.bytes[start..start + usize::from(e.value_len)]
    }

    /// Writes every entry, tree by tree in key order, and empties itself.
    /// (One thread: writing the trees side by side took more memory and
    /// no less time.)
    /// `flush` runs every [`FLUSH_EVERY`] entries, to bound what sled holds.
    pub(super) fn write(
        &mut self,
        trees: &[Tree],
        flush: impl Fn() -> sled::Result<()>,
    ) -> sled::Result<()> {
        let mut entries = std::mem::take(&mut self.entries);
        entries.sort_unstable_by(|a, b| (a.slot, self.key(a)).cmp(&(b.slot, self.key(b))));
        for (i, e) in entries.iter().enumerate() {
            trees[usize::from(e.slot)].insert(self.key(e), self.value(e))?;
            if (i + 1) % FLUSH_EVERY == 0 {
                flush()?;
            }
        }
        self.bytes = Vec::new();
        Ok(())
    }
}
