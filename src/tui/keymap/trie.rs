//! One mode's bindings as a trie of keys (helix-like): a lookup is one step per
//! key, and a sequence is either a whole binding or a prefix, never both.

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
    Branch(HashMap<Key, Node>),
}

impl Trie {
    /// The trie of `candidates` in order: a binding is kept unless an earlier
    /// kept one has the same sequence, a prefix of it, or starts with it (the
    /// first binding of a sequence wins).
    pub(super) fn build(candidates: Vec<Binding>) -> Trie {
        let mut trie = Trie {
            bindings: Vec::new(),
            root: Node::Branch(HashMap::new()),
            shadowed: Vec::new(),
        };
        for binding in candidates {
            if trie.root.insert(&binding.keys, trie.bindings.len()) {
                trie.bindings.push(binding);
            } else if let Some(kept) = trie.bindings.iter().find(|k| {
                k.keys != binding.keys
                    && (k.keys.starts_with(&binding.keys) || binding.keys.starts_with(&k.keys))
            }) {
                trie.shadowed.push((kept.clone(), binding));
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
                Node::Branch(children) => match children.get(key) {
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
            Node::Branch(children) if children.is_empty() => Lookup::NotFound,
            Node::Branch(_) => Lookup::Pending,
        }
    }
}

impl Node {
    /// Adds a sequence ending at binding `index`; false when it clashes with
    /// one already there.
    fn insert(&mut self, keys: &[Key], index: usize) -> bool {
        let Node::Branch(children) = self else {
            return false;
        };
        let Some((first, rest)) = keys.split_first() else {
            return false;
        };
        match children.get_mut(first) {
            Some(child) => child.insert(rest, index),
            None => {
                children.insert(*first, Node::chain(rest, index));
                true
            }
        }
    }

    fn chain(keys: &[Key], index: usize) -> Node {
        match keys.split_first() {
            None => Node::Leaf(index),
            Some((first, rest)) => {
                Node::Branch(HashMap::from([(*first, Node::chain(rest, index))]))
            }
        }
    }
}
