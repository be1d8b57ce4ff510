//! The clashes within one section of one file, found in one pass: each
//! entry, in line order, goes into a trie of the entries before it, which
//! names the first earlier entry with the same sequence, a prefix of it, or
//! one it starts. Comparing every pair took 15 s for 20,000 bindings.

use std::collections::HashMap;

use super::key::{Key, quote_keys};
use crate::tui::action::Mode;

/// The clashes of one section's entries (keys and line, in line order):
/// each named at the later entry, against the first earlier one it clashes
/// with, as (line, message).
pub(super) fn problems(mode: Mode, entries: &[(&[Key], usize)]) -> Vec<(usize, String)> {
    let mut clashes = Clashes::new();
    let mut out = Vec::new();
    let m = mode.as_str();
    for (i, &(seq, line)) in entries.iter().enumerate() {
        let Some(clash) = clashes.add(seq, i) else {
            continue;
        };
        let Some(&(other, first)) = entries.get(clash.index()) else {
            continue;
        };
        let message = match clash {
            Clash::Same(_) => format!(
                "{} is bound twice in [{m}] (first at line {first})",
                quote_keys(seq)
            ),
            Clash::Prefix(_) => format!(
                "{} can never be reached in [{m}]: {} is bound at line {first}",
                quote_keys(seq),
                quote_keys(other)
            ),
            Clash::Starts(_) => format!(
                "{} in [{m}] would hide {} (line {first}): a sequence cannot be both bound and the start of another",
                quote_keys(seq),
                quote_keys(other)
            ),
        };
        out.push((line, message));
    }
    out
}

/// How a later entry clashes with the earlier one (its index).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Clash {
    /// The same sequence.
    Same(usize),
    /// The earlier sequence is a strict prefix of the later one.
    Prefix(usize),
    /// The later sequence is a strict prefix of the earlier one.
    Starts(usize),
}

impl Clash {
    fn index(self) -> usize {
        match self {
            Clash::Same(i) | Clash::Prefix(i) | Clash::Starts(i) => i,
        }
    }
}

/// Keeps the clash with the earliest entry.
fn keep_first(c: Clash, clash: &mut Option<Clash>) {
    if clash.is_none_or(|old| c.index() < old.index()) {
        *clash = Some(c);
    }
}

struct Node {
    children: HashMap<Key, usize>,
    /// The first entry whose sequence ends here.
    ends: Option<usize>,
    /// The first entry whose sequence passes through or ends here: entries
    /// come in increasing order, so the one that made the node.
    first: usize,
}

/// Every entry added so far, clashing or not (each later one is checked
/// against all of them, the first clash named).
struct Clashes {
    nodes: Vec<Node>,
}

impl Clashes {
    fn new() -> Self {
        Clashes {
            nodes: vec![Node {
                children: HashMap::new(),
                ends: None,
                first: 0,
            }],
        }
    }

    /// Adds entry `index` (greater than every index before) with `keys`,
    /// and returns the first earlier entry it clashes with, if any. Linear
    /// in `keys`.
    fn add(&mut self, keys: &[Key], index: usize) -> Option<Clash> {
        let mut clash: Option<Clash> = None;
        let mut at = 0;
        for key in keys {
            if let Some(e) = self.nodes[at].ends {
                keep_first(Clash::Prefix(e), &mut clash);
            }
            at = match self.nodes[at].children.get(key) {
                Some(&child) => child,
                None => {
                    let child = self.nodes.len();
                    self.nodes.push(Node {
                        children: HashMap::new(),
                        ends: None,
                        first: index,
                    });
                    self.nodes[at].children.insert(*key, child);
                    child
                }
            };
        }
        let node = &mut self.nodes[at];
        match node.ends {
            // `first` is at most `ends`: an earlier entry starting with
            // these keys, or the same sequence.
            Some(e) if node.first == e => keep_first(Clash::Same(e), &mut clash),
            _ if node.first < index => keep_first(Clash::Starts(node.first), &mut clash),
            _ => {}
        }
        node.ends = node.ends.or(Some(index));
        clash
    }
}

#[cfg(test)]
mod tests {
    use super::{Clash, Clashes};
    use crate::tui::keymap::parse_keys;

    /// Each entry's clash, checked against comparing every pair.
    #[test]
    fn names_the_same_first_clash_as_comparing_every_pair() {
        let seqs = [
            "gg", "g", "gt", "x", "gg", "abc", "ab", "abcd", "a", "b", "ab", "x",
        ];
        let keys: Vec<_> = seqs.iter().map(|s| parse_keys(s).unwrap()).collect();
        let mut clashes = Clashes::new();
        for (i, seq) in keys.iter().enumerate() {
            let expected = keys[..i]
                .iter()
                .position(|other| other.starts_with(seq) || seq.starts_with(other))
                .map(|j| {
                    if keys[j] == *seq {
                        Clash::Same(j)
                    } else if seq.starts_with(&keys[j]) {
                        Clash::Prefix(j)
                    } else {
                        Clash::Starts(j)
                    }
                });
            assert_eq!(clashes.add(seq, i), expected, "{}", seqs[i]);
        }
    }
}
