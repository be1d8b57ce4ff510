//! One mode's bindings as a trie of keys (helix-like): a lookup is one step per
//! key, and a sequence is either a whole binding or a prefix, never both. A
//! clash is found while inserting (each branch knows its first binding), so
//! building is linear in the keys, whatever the file holds.

use std::collections::HashMap;

use super::{Binding, Key, Lookup};

#[derive(Debug, Clone)]
pub(super) struct Trie {
    /// The kept bindings in merge order; leaves index into it.
    bindings: Vec<Binding>,
    root: Node,
    /// Bindings dropped because a kept one is a strict prefix of theirs or
    /// starts with theirs (not an override of the same sequence): the kept
    /// one, then the one it hides.
    shadowed: Vec<(Binding, Binding)>,
}

#[derive(Debug, Clone)]
enum Node {
    Leaf(usize),
    /// `first`: the lowest binding index below (the first kept there).
    Branch {
        children: HashMap<Key, Node>,
        first: usize,
    },
}

impl Trie {
    /// The trie of `candidates` in order: a binding is kept unless an earlier
    /// kept one has the same sequence, a prefix of it, or starts with it (the
    /// first binding of a sequence wins).
    pub(super) fn build(candidates: Vec<Binding>) -> Trie {
        let mut trie = Trie {
            bindings: Vec::new(),
            // Every binding goes below the root: its first is binding 0.
            root: Node::Branch {
                children: HashMap::new(),
                first: 0,
            },
            shadowed: Vec::new(),
        };
        for binding in candidates {
            match trie.root.insert(&binding.keys, trie.bindings.len()) {
                Ok(()) => trie.bindings.push(binding),
                Err(Some(kept)) => {
                    if let Some(kept) = trie.bindings.get(kept) {
                        trie.shadowed.push((kept.clone(), binding));
                    }
                }
                // The same sequence again: an override, not a shadowing.
                Err(None) => {}
            }
        }
        trie
    }

    /// See `shadowed`.
    pub(super) fn shadowed(&self) -> &[(Binding, Binding)] {
        &self.shadowed
    }

    /// Every kept binding, `noop`s included, in merge order.
    pub(super) fn all(&self) -> &[Binding] {
        &self.bindings
    }

    pub(super) fn lookup(&self, keys: &[Key]) -> Lookup {
        let mut node = &self.root;
        for key in keys {
            node = match node {
                Node::Branch { children, .. } => match children.get(key) {
                    Some(child) => child,
                    None => return Lookup::NotFound,
                },
                Node::Leaf(_) => return Lookup::NotFound,
            };
        }
        match node {
            Node::Leaf(i) => self
                .bindings
                .get(*i)
                .map_or(Lookup::NotFound, |b| Lookup::Matched(b.action)),
            Node::Branch { children, .. } if children.is_empty() => Lookup::NotFound,
            Node::Branch { .. } => Lookup::Pending,
        }
    }
}

impl Node {
    /// Adds a sequence ending at binding `index`. On a clash, the kept
    /// binding it clashes with: `Some` of the one that is a prefix of it or
    /// the first of those it starts, `None` when it is the same sequence.
    fn insert(&mut self, keys: &[Key], index: usize) -> Result<(), Option<usize>> {
        let (children, first) = match self {
            Node::Leaf(_) if keys.is_empty() => return Err(None),
            Node::Leaf(kept) => return Err(Some(*kept)),
            Node::Branch { children, first } => (children, *first),
        };
        let Some((key, rest)) = keys.split_first() else {
            return Err(Some(first));
        };
        match children.get_mut(key) {
            Some(child) => child.insert(rest, index),
            None => {
                children.insert(*key, Node::chain(rest, index));
                Ok(())
            }
        }
    }

    fn chain(keys: &[Key], index: usize) -> Node {
        match keys.split_first() {
            None => Node::Leaf(index),
            Some((key, rest)) => Node::Branch {
                children: HashMap::from([(*key, Node::chain(rest, index))]),
                first: index,
            },
        }
    }
}
