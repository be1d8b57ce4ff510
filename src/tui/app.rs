//! The console's state and the pieces it is made of. Input comes in through
//! `input.rs` and becomes an [`Action`] (through the keymap) or a `:` line
//! (`command.rs`); both run the action's entry in `registry.rs`, which calls
//! one method in the file named for its work. `view/` draws the state and
//! never changes it. What needs the terminal itself comes back as [`Effect`]s.

use ratatui::layout::Rect;
use ratatui_textarea::TextArea;
use uuid::Uuid;

use super::action::{Action, Mode};
use super::keymap::{Key, Keymap};
use super::rows::Catalog;
use super::search::Searcher;
use super::workspace::Workspace;
use crate::model::Collection;
use crate::store::{Store, StoreError};

/// What the run loop must do with the terminal on the app's behalf.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Copy to the local clipboard (OSC 52).
    Clipboard(String),
    /// Open the focused record in `$EDITOR` (terminal released meanwhile).
    EditExternal,
    Suspend,
    Mouse(bool),
}

/// Keys typed so far toward a sequence, and the count before them.
#[derive(Debug, Default)]
pub struct KeyState {
    pub pending: Vec<Key>,
    pub count: Option<usize>,
}

/// The `:` or `/` line at the bottom.
pub struct Prompt {
    pub kind: PromptKind,
    pub text: TextArea<'static>,
    /// The list's search before `/` was pressed, restored on cancel.
    pub previous_query: String,
    /// The record the cursor was on before `/`, returned to on cancel.
    pub previous_record: Option<Uuid>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PromptKind {
    Command,
    Search { forward: bool },
}

impl Prompt {
    pub fn value(&self) -> String {
        self.text.lines().join(" ")
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub text: String,
    pub error: bool,
}

/// How many messages `:messages` keeps.
pub const MESSAGES_KEPT: usize = 100;

/// What the help screen shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    /// Every key of the keymap and every `:` command.
    Keys,
    /// The last messages, whole (the status line shows one line).
    Messages,
}

/// Batches this console made, for `u` and `Ctrl-r`.
#[derive(Debug, Default)]
pub struct UndoStack {
    pub done: Vec<Uuid>,
    /// Undo batches, newest last: redo undoes them.
    pub undone: Vec<Uuid>,
}

/// The console's state. Its fields belong to the console (`tui/`);
/// tests and benches read it through the query methods below.
pub struct App {
    pub(super) store: Store,
    pub(super) catalog: Catalog,
    pub(super) workspace: Workspace,
    pub(super) searcher: Searcher,
    pub(super) keymap: Keymap,
    pub(super) keys: KeyState,
    pub(super) mode: Mode,
    pub(super) prompt: Option<Prompt>,
    pub(super) message: Option<Message>,
    pub(super) undo: UndoStack,
    /// The help screen is open, scrolled this far.
    pub(super) help: Option<usize>,
    /// What the help screen shows: the keys, or the last messages.
    pub(super) page: Page,
    /// The last messages, whole, oldest first (`:messages`).
    pub(super) messages: std::collections::VecDeque<Message>,
    /// The terminal's size, from the last resize.
    pub(super) size: Rect,
    pub(super) mouse: bool,
    pub(super) effects: Vec<Effect>,
    pub(super) quit: bool,
    /// Whether the catalog holds every record yet (see `tui::run`).
    pub(super) loading: bool,
    /// Who else works on the store (see `tui::live`).
    pub(super) presence: Presence,
}

/// What the console is showing and holding, for tests and benches: reads
/// only (the console changes itself through keys and events).
impl App {
    pub fn mode(&self) -> Mode {
        self.mode
    }
    pub fn workspace(&self) -> &Workspace {
        &self.workspace
    }
    pub fn store(&self) -> &Store {
        &self.store
    }
    /// The store, the console done with.
    pub fn into_store(self) -> Store {
        self.store
    }
    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }
    /// Keys typed of a sequence not finished yet (`g` of `gg`).
    pub fn pending_keys(&self) -> &[Key] {
        &self.keys.pending
    }
    /// A count being typed (`5` of `5j`).
    pub fn count(&self) -> Option<usize> {
        self.keys.count
    }
    /// Batches `u` can undo.
    pub fn undo_depth(&self) -> usize {
        self.undo.done.len()
    }
    /// An edit that met someone else's change, waiting for a choice (in
    /// the focused window, which keys cannot leave meanwhile).
    pub fn conflict(&self) -> Option<&super::conflict::Conflict> {
        self.workspace.focused().detail.conflict()
    }
    /// The help screen (or `:messages`), scrolled this far, while shown.
    pub fn help_scroll(&self) -> Option<usize> {
        self.help
    }
    pub fn quitting(&self) -> bool {
        self.quit
    }
    pub fn prompt(&self) -> Option<&Prompt> {
        self.prompt.as_ref()
    }
    /// What the status line says.
    pub fn message(&self) -> Option<&Message> {
        self.message.as_ref()
    }
    /// What the console asked of the terminal and not yet had done.
    pub fn effects(&self) -> &[Effect] {
        &self.effects
    }
    /// Those effects, taken to be done (by the run loop, or a test).
    pub fn take_effects(&mut self) -> Vec<Effect> {
        std::mem::take(&mut self.effects)
    }
    pub fn size(&self) -> Rect {
        self.size
    }
}

impl App {
    pub fn new(store: Store, catalog: Catalog, keymap: Keymap, size: Rect) -> App {
        let workspace = Workspace::new(&catalog);
        let mut app = App {
            store,
            catalog,
            workspace,
            searcher: Searcher::default(),
            keymap,
            keys: KeyState::default(),
            mode: Mode::Normal,
            prompt: None,
            message: None,
            undo: UndoStack::default(),
            help: None,
            page: Page::Keys,
            messages: std::collections::VecDeque::new(),
            size,
            mouse: false,
            effects: Vec::new(),
            quit: false,
            loading: false,
            presence: Presence::Alone,
        };
        app.sync_windows();
        app
    }

    /// The keys that run `action` in `mode` in the keymap in use (for
    /// messages), or the command that does it when no key is bound.
    pub fn hint(&self, mode: Mode, action: Action) -> String {
        if let Some(b) = self
            .keymap
            .bindings(mode)
            .into_iter()
            .find(|b| b.action == action)
        {
            return super::keymap::display_keys(&b.keys);
        }
        match action.command().aliases.last() {
            // The shortest `:` name comes last in the registry.
            Some(alias) => format!(":{alias}"),
            None => action.name().to_string(),
        }
    }

    /// "`:w` saves it, `:e!` drops it", in the keys of the keymap in use.
    pub fn draft_hint(&self) -> String {
        format!(
            "{} saves it, :e! drops it",
            self.hint(Mode::Normal, Action::Write)
        )
    }

    pub fn store_path(&self) -> String {
        self.store.path().display().to_string()
    }

    pub fn info(&mut self, text: impl Into<String>) {
        self.show(text.into(), false);
    }

    pub fn error(&mut self, text: impl Into<String>) {
        self.show(text.into(), true);
    }

    fn show(&mut self, text: String, error: bool) {
        self.remember(&text, error);
        self.message = Some(Message { text, error });
    }

    /// Keeps a message for `:messages`, without showing it.
    pub fn remember(&mut self, text: &str, error: bool) {
        if self.messages.len() == MESSAGES_KEPT {
            self.messages.pop_front();
        }
        self.messages.push_back(Message {
            text: text.to_string(),
            error,
        });
    }

    /// Shows a store error in the status line (its first line; `:messages`
    /// keeps it whole); the console goes on.
    pub fn report(&mut self, e: &StoreError) {
        let text = e.to_string();
        let first = text.lines().next().unwrap_or_default().to_string();
        let more = text.lines().count().saturating_sub(1);
        if more > 0 {
            self.remember(&text, true);
            let shown = format!("{first} (+{more} more: :messages)");
            self.message = Some(Message {
                text: shown,
                error: true,
            });
        } else {
            self.error(first);
        }
    }

    /// Brings every list up to date with the catalog and every detail with
    /// the record under its list's cursor.
    pub fn sync_windows(&mut self) {
        self.sync_windows_keeping(Vec::new());
    }

    /// The record under each window's cursor, noted before the catalog
    /// changes (row indices do not survive a change).
    pub fn cursors(&self) -> Vec<Option<Uuid>> {
        self.workspace
            .windows()
            .map(|w| w.list.selected_id(&self.catalog))
            .collect()
    }

    /// `sync_windows` after a catalog change, with cursors noted before it.
    pub fn sync_windows_keeping(&mut self, noted: Vec<Option<Uuid>>) {
        self.sync_all(noted, false);
    }

    /// Every list to the catalog, every detail to its list's cursor (read
    /// again from the store when `reload`, after a change).
    fn sync_all(&mut self, noted: Vec<Option<Uuid>>, reload: bool) {
        let mut failed = None;
        let mut noted = noted.into_iter();
        for w in self.workspace.windows_mut() {
            w.list
                .sync(&self.catalog, &mut self.searcher, noted.next().flatten());
            let loaded = if reload {
                w.reload_detail(&self.store, &self.catalog)
            } else {
                w.sync_detail(&self.store, &self.catalog)
            };
            if let Err(e) = loaded {
                failed = Some(e);
            }
        }
        if let Some(e) = failed {
            self.report(&e);
        }
        self.scroll_lists();
    }

    /// Loads the focused window's detail after its cursor moved.
    pub fn sync_focused(&mut self) {
        let size = self.list_height();
        let w = self.workspace.focused_mut();
        w.list.scroll_into_view(size);
        if let Err(e) = w.sync_detail(&self.store, &self.catalog) {
            self.report(&e);
        }
    }

    /// Every list read again (after a load, or a lost connection), each
    /// window's cursor kept on its record.
    pub fn reload_all(&mut self) {
        let noted = self.cursors();
        for c in Collection::ALL {
            match super::rows::load_rows(&self.store, c) {
                Ok(rows) => self.catalog.set_rows(c, rows),
                Err(e) => {
                    self.report(&e);
                    return;
                }
            }
        }
        if let Err(e) = self.catalog.refresh(&self.store, Collection::Meetings, &[]) {
            self.report(&e);
        }
        self.sync_all(noted, true);
    }

    /// After the store changed these records: fresh rows, lists and details.
    pub fn after_change(&mut self, changed: &[(Collection, Uuid)]) {
        let noted = self.cursors();
        for c in Collection::ALL {
            let ids: Vec<Uuid> = changed
                .iter()
                .filter(|(cc, _)| *cc == c)
                .map(|(_, id)| *id)
                .collect();
            if ids.is_empty() {
                continue;
            }
            if let Err(e) = self.catalog.refresh(&self.store, c, &ids) {
                self.report(&e);
            }
        }
        self.sync_all(noted, true);
    }

    /// The area windows share: between the tab bar and the status lines.
    pub fn main_area(&self) -> Rect {
        let s = self.size;
        Rect {
            x: s.x,
            y: s.y + 1,
            width: s.width,
            height: s.height.saturating_sub(3),
        }
    }

    /// Rows a list shows in the focused window (for paging).
    pub fn list_height(&self) -> usize {
        let areas = self.workspace.areas(self.main_area());
        let focus = self.workspace.focus_id();
        areas
            .iter()
            .find(|(id, _)| *id == focus)
            .map_or(1, |(_, r)| r.height.saturating_sub(1).max(1) as usize)
    }

    fn scroll_lists(&mut self) {
        let areas = self.workspace.areas(self.main_area());
        for (id, rect) in areas {
            if let Some(w) = self.workspace.window_mut(id) {
                w.list
                    .scroll_into_view(rect.height.saturating_sub(1).max(1) as usize);
            }
        }
    }

    pub fn resize(&mut self, width: u16, height: u16) {
        self.size = Rect::new(0, 0, width, height);
        self.scroll_lists();
    }

    /// Whether a new record is being filled in somewhere (unsaved work).
    pub fn has_unsaved(&mut self) -> bool {
        self.workspace.windows_mut().any(|w| w.detail.is_draft())
    }
}

/// What the status line says of the others.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// This console alone (or the store is held in this process).
    Alone,
    Shared(u32),
    Offline,
}
