//! Tabs (one per collection to start with) and the windows in them.

use ratatui::layout::{Direction, Rect};

use super::layout::{Node, WindowId, neighbour};
use super::rows::Catalog;
use super::window::Window;
use crate::model::Collection;

/// The collections that have a tab.
pub const TAB_COLLECTIONS: [Collection; 3] =
    [Collection::Members, Collection::News, Collection::Meetings];

#[derive(Debug)]
pub struct Tab {
    pub collection: Collection,
    pub root: Node,
    pub focus: WindowId,
}

#[derive(Debug)]
pub struct Workspace {
    windows: Vec<Option<Window>>,
    pub tabs: Vec<Tab>,
    pub active: usize,
}

impl Workspace {
    pub fn new(catalog: &Catalog) -> Workspace {
        let mut ws = Workspace {
            windows: Vec::new(),
            tabs: Vec::new(),
            active: 0,
        };
        for c in TAB_COLLECTIONS {
            let id = ws.add_window(Window::new(c, catalog));
            ws.tabs.push(Tab {
                collection: c,
                root: Node::Leaf(id),
                focus: id,
            });
        }
        ws
    }

    fn add_window(&mut self, window: Window) -> WindowId {
        self.windows.push(Some(window));
        self.windows.len() - 1
    }

    pub fn tab(&self) -> &Tab {
        &self.tabs[self.active]
    }

    pub fn focus_id(&self) -> WindowId {
        self.tab().focus
    }

    pub fn window(&self, id: WindowId) -> Option<&Window> {
        self.windows.get(id).and_then(Option::as_ref)
    }

    pub fn window_mut(&mut self, id: WindowId) -> Option<&mut Window> {
        self.windows.get_mut(id).and_then(Option::as_mut)
    }

    /// The focused window. A tab always has one, so this cannot fail for a
    /// workspace built by `new`; a broken invariant panics in tests only.
    pub fn focused(&self) -> &Window {
        match self.window(self.focus_id()) {
            Some(w) => w,
            None => unreachable!("the focused window of a tab always exists"),
        }
    }

    pub fn focused_mut(&mut self) -> &mut Window {
        let id = self.focus_id();
        match self.window_mut(id) {
            Some(w) => w,
            None => unreachable!("the focused window of a tab always exists"),
        }
    }

    /// Every open window, in every tab (same order as `windows_mut`).
    pub fn windows(&self) -> impl Iterator<Item = &Window> {
        self.windows.iter().flatten()
    }

    /// Every open window, in every tab.
    pub fn windows_mut(&mut self) -> impl Iterator<Item = &mut Window> {
        self.windows.iter_mut().flatten()
    }

    /// The windows of the active tab with their screen areas.
    pub fn areas(&self, area: Rect) -> Vec<(WindowId, Rect)> {
        let mut out = Vec::new();
        self.tab().root.areas(area, &mut out);
        out
    }

    /// Splits the focused window; the new one shows `collection` (or a copy
    /// of the focused window) and takes the focus.
    pub fn split(
        &mut self,
        direction: Direction,
        collection: Option<Collection>,
        catalog: &Catalog,
    ) {
        let window = match collection {
            Some(c) => Window::new(c, catalog),
            None => self.focused().split_copy(),
        };
        let target = self.focus_id();
        let id = self.add_window(window);
        let tab = &mut self.tabs[self.active];
        if tab.root.split(target, id, direction) {
            tab.focus = id;
        }
    }

    /// Closes the focused window; the last window of a tab stays.
    pub fn close(&mut self) -> Result<(), &'static str> {
        let tab = &mut self.tabs[self.active];
        let ids = tab.root.windows();
        if ids.len() <= 1 {
            return Err("cannot close the last window of a tab");
        }
        let target = tab.focus;
        let pos = ids.iter().position(|&i| i == target).unwrap_or(0);
        tab.root.remove(target);
        let left = tab.root.windows();
        tab.focus = left[pos.min(left.len() - 1)];
        self.windows[target] = None;
        Ok(())
    }

    /// Keeps only the focused window in the tab (`Ctrl-w o`).
    pub fn only(&mut self) {
        let tab = &mut self.tabs[self.active];
        let keep = tab.focus;
        for id in tab.root.windows() {
            if id != keep {
                self.windows[id] = None;
            }
        }
        tab.root = Node::Leaf(keep);
    }

    pub fn focus_direction(&mut self, area: Rect, dx: i32, dy: i32) -> bool {
        let areas = self.areas(area);
        match neighbour(&areas, self.focus_id(), dx, dy) {
            Some(id) => {
                self.tabs[self.active].focus = id;
                true
            }
            None => false,
        }
    }

    pub fn focus_next(&mut self) {
        let tab = &mut self.tabs[self.active];
        let ids = tab.root.windows();
        let pos = ids.iter().position(|&i| i == tab.focus).unwrap_or(0);
        tab.focus = ids[(pos + 1) % ids.len()];
    }

    pub fn next_tab(&mut self, count: usize) {
        self.active = (self.active + count) % self.tabs.len();
    }

    pub fn prev_tab(&mut self, count: usize) {
        let n = self.tabs.len();
        self.active = (self.active + n - count % n) % n;
    }

    pub fn goto_tab(&mut self, collection: Collection) -> bool {
        match self.tabs.iter().position(|t| t.collection == collection) {
            Some(i) => {
                self.active = i;
                true
            }
            None => false,
        }
    }
}
