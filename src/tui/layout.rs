//! How a tab's windows share the screen: a tree of splits, as in vim.

use ratatui::layout::{Constraint, Direction, Layout, Rect};

/// Window ids index `Workspace::windows`.
pub type WindowId = usize;

#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Leaf(WindowId),
    /// Children side by side (`Horizontal`, from `:vsplit`) or stacked.
    Split(Direction, Vec<Node>),
}

impl Node {
    /// Every window of the tree with its area.
    pub fn areas(&self, area: Rect, out: &mut Vec<(WindowId, Rect)>) {
        match self {
            Node::Leaf(id) => out.push((*id, area)),
            Node::Split(direction, children) => {
                let n = children.len().max(1) as u32;
                let parts = Layout::default()
                    .direction(*direction)
                    .constraints(children.iter().map(|_| Constraint::Ratio(1, n)))
                    .split(area);
                for (child, rect) in children.iter().zip(parts.iter()) {
                    child.areas(*rect, out);
                }
            }
        }
    }

    pub fn windows(&self) -> Vec<WindowId> {
        let mut out = Vec::new();
        self.collect(&mut out);
        out
    }

    fn collect(&self, out: &mut Vec<WindowId>) {
        match self {
            Node::Leaf(id) => out.push(*id),
            Node::Split(_, children) => children.iter().for_each(|c| c.collect(out)),
        }
    }

    /// Puts `new` beside `target` (after it), splitting in `direction`.
    pub fn split(&mut self, target: WindowId, new: WindowId, direction: Direction) -> bool {
        match self {
            Node::Leaf(id) if *id == target => {
                *self = Node::Split(direction, vec![Node::Leaf(target), Node::Leaf(new)]);
                true
            }
            Node::Leaf(_) => false,
            Node::Split(d, children) => {
                if let Some(pos) = children.iter().position(|c| *c == Node::Leaf(target))
                    && *d == direction
                {
                    children.insert(pos + 1, Node::Leaf(new));
                    return true;
                }
                children.iter_mut().any(|c| c.split(target, new, direction))
            }
        }
    }

    /// Takes `target` out of the tree; a split left with one child becomes it.
    pub fn remove(&mut self, target: WindowId) -> bool {
        let Node::Split(_, children) = self else {
            return false;
        };
        if let Some(pos) = children.iter().position(|c| *c == Node::Leaf(target)) {
            children.remove(pos);
        } else if !children.iter_mut().any(|c| c.remove(target)) {
            return false;
        }
        if children.len() == 1 {
            let only = children.remove(0);
            *self = only;
        }
        true
    }
}

/// The window nearest to `from` in a direction (vim's `Ctrl-w h/j/k/l`).
pub fn neighbour(areas: &[(WindowId, Rect)], from: WindowId, dx: i32, dy: i32) -> Option<WindowId> {
    let (_, here) = areas.iter().find(|(id, _)| *id == from)?;
    let centre = |r: &Rect| {
        (
            r.x as i32 * 2 + r.width as i32,
            r.y as i32 * 2 + r.height as i32,
        )
    };
    let (cx, cy) = centre(here);
    areas
        .iter()
        .filter(|(id, r)| {
            *id != from
                && match (dx, dy) {
                    (-1, _) => r.x + r.width <= here.x,
                    (1, _) => r.x >= here.x + here.width,
                    (_, -1) => r.y + r.height <= here.y,
                    _ => r.y >= here.y + here.height,
                }
        })
        .min_by_key(|(_, r)| {
            let (x, y) = centre(r);
            (x - cx).abs() + (y - cy).abs()
        })
        .map(|(id, _)| *id)
}
