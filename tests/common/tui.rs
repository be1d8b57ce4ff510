//! A console driven without a terminal, shared by the `tui_*` tests: a demo
//! store in a temporary directory, keys replayed in keymap notation, the
//! screen drawn on ratatui's `TestBackend` and read back as text.
//!
//! Each test file uses some of it, so unused items are allowed.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use clusterdesk::model::Member;
use clusterdesk::store::{Store, StoreError};
use clusterdesk::tui::{
    self,
    app::{App, Effect},
    keymap::{Keymap, parse_keys},
    list::ListView,
    theme::Theme,
    view,
    window::Window,
};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use tempfile::TempDir;

/// What the store path is shown as in snapshots (it lives in a temporary
/// directory whose name changes from run to run).
pub const STORE_PLACEHOLDER: &str = "<store>";
/// What today's date is shown as in snapshots (news items' `updated`).
pub const TODAY_PLACEHOLDER: &str = "<today>";

/// A temporary directory whose path has the same length on every run (so a
/// status line that shows it lays out the same way), and the store path in it.
pub fn store_dir() -> Result<(TempDir, PathBuf), std::io::Error> {
    let base = Path::new("/tmp");
    let dir = if base.is_dir() {
        tempfile::Builder::new()
            .prefix("cdesk-")
            .rand_bytes(8)
            .tempdir_in(base)?
    } else {
        tempfile::Builder::new()
            .prefix("cdesk-")
            .rand_bytes(8)
            .tempdir()?
    };
    let path = dir.path().join("s");
    Ok((dir, path))
}

/// Opens the store, waiting while another handle (a dropped sled `Db` whose
/// threads have not let go yet) still holds its lock.
pub fn open_store(path: &Path) -> Result<Store, StoreError> {
    let mut tries = 0;
    loop {
        match Store::open(path) {
            Err(StoreError::Busy { .. }) if tries < 100 => {
                tries += 1;
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            other => return other,
        }
    }
}

/// A console over its own store.
pub struct Console {
    pub app: App,
    /// Keeps the store's directory for the console's lifetime.
    pub dir: TempDir,
}

impl Console {
    /// The demo cluster, the vim keymap, an 80x24 terminal.
    pub fn demo() -> Console {
        Console::with_keymap(vim())
    }

    pub fn with_keymap(keymap: Keymap) -> Console {
        Console::sized(keymap, 80, 24)
    }

    pub fn sized(keymap: Keymap, width: u16, height: u16) -> Console {
        let (dir, path) = store_dir().unwrap_or_else(|e| panic!("temporary directory: {e}"));
        let store = open_store(&path).unwrap_or_else(|e| panic!("open store: {e}"));
        clusterdesk::demo::build(&store).unwrap_or_else(|e| panic!("demo: {e}"));
        Console::over(store, dir, keymap, width, height)
    }

    /// A console over a store already filled in.
    pub fn over(store: Store, dir: TempDir, keymap: Keymap, width: u16, height: u16) -> Console {
        let mut app = tui::first_state(store, keymap, Rect::new(0, 0, width, height))
            .unwrap_or_else(|e| panic!("first state: {e}"));
        tui::finish_loading(&mut app).unwrap_or_else(|e| panic!("loading: {e}"));
        Console { app, dir }
    }

    /// Replays keys written in keymap notation (`5j`, `<C-w>v`, `:w<Enter>`).
    pub fn keys(&mut self, text: &str) -> &mut Console {
        for k in parse_keys(text).unwrap_or_else(|e| panic!("keys {text:?}: {e}")) {
            self.app.handle_key(KeyEvent::new(k.code(), k.modifiers()));
        }
        self
    }

    /// Types text character by character (spaces and `<` as themselves).
    pub fn text(&mut self, text: &str) -> &mut Console {
        for c in text.chars() {
            self.app
                .handle_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
        }
        self
    }

    pub fn key_event(&mut self, code: KeyCode, modifiers: KeyModifiers) -> &mut Console {
        self.app.handle_key(KeyEvent::new(code, modifiers));
        self
    }

    pub fn focused(&self) -> &Window {
        self.app.workspace.focused()
    }

    pub fn list(&self) -> &ListView {
        &self.app.workspace.focused().list
    }

    /// The key (member code, slug) of the row under the focused list's cursor.
    pub fn cursor_key(&self) -> String {
        let list = self.list();
        list.row_at(&self.app.catalog, list.cursor)
            .map(|r| r.key().to_string())
            .unwrap_or_default()
    }

    /// The value of a column of the row under the cursor.
    pub fn cursor_value(&self, column: usize) -> String {
        let list = self.list();
        list.row_at(&self.app.catalog, list.cursor)
            .map(|r| r.value(column).to_string())
            .unwrap_or_default()
    }

    /// The keys of every row the focused list shows, in order.
    pub fn visible_keys(&self) -> Vec<String> {
        list_keys(&self.app, self.list())
    }

    /// A column of every row the focused list shows, in order.
    pub fn visible_column(&self, column: usize) -> Vec<String> {
        let list = self.list();
        (0..list.len())
            .filter_map(|i| list.row_at(&self.app.catalog, i))
            .map(|r| r.value(column).to_string())
            .collect()
    }

    /// The record's key in the focused window's detail.
    pub fn detail_key(&self) -> Option<String> {
        self.focused().detail.record.as_ref().map(|r| r.key())
    }

    /// The name of the detail field under the cursor.
    pub fn detail_field(&self) -> Option<&'static str> {
        self.focused()
            .detail
            .current_field()
            .map(|(name, _, _)| name)
    }

    /// Moves the detail's cursor to a field by name (`gg` then `j`s).
    pub fn goto_field(&mut self, name: &str) -> &mut Console {
        let fields = self
            .focused()
            .detail
            .record
            .as_ref()
            .map(|r| r.fields())
            .unwrap_or_else(|| panic!("no record in the detail"));
        let index = fields
            .iter()
            .position(|f| f.name == name)
            .unwrap_or_else(|| panic!("no field {name}"));
        self.keys("gg");
        for _ in 0..index {
            self.keys("j");
        }
        assert_eq!(self.detail_field(), Some(fields[index].name));
        self
    }

    /// The editor's text (insert mode).
    pub fn editor_text(&self) -> Option<String> {
        self.focused().detail.editor.as_ref().map(|e| e.value())
    }

    pub fn message(&self) -> String {
        self.app
            .message
            .as_ref()
            .map(|m| m.text.clone())
            .unwrap_or_default()
    }

    pub fn message_is_error(&self) -> bool {
        self.app.message.as_ref().is_some_and(|m| m.error)
    }

    /// The texts of the clipboard effects so far, taken out of the app.
    pub fn take_clipboard(&mut self) -> Vec<String> {
        std::mem::take(&mut self.app.effects)
            .into_iter()
            .filter_map(|e| match e {
                Effect::Clipboard(text) => Some(text),
                _ => None,
            })
            .collect()
    }

    pub fn member(&self, code: &str) -> Option<Member> {
        self.app
            .store
            .get::<Member>(code)
            .unwrap_or_else(|e| panic!("get {code}: {e}"))
    }

    pub fn member_codes(&self) -> Vec<String> {
        self.app
            .store
            .keys::<Member>()
            .unwrap_or_else(|e| panic!("keys: {e}"))
    }

    /// Draws the console on a `width`x`height` test terminal; the screen as
    /// text with the temporary parts replaced (see [`normalize`]).
    pub fn screen(&self, width: u16, height: u16) -> String {
        normalize(&screen_text(&draw(&self.app, width, height)), &self.app)
    }

    /// The screen and, below it, where it is styled (see [`styles`]).
    pub fn screen_with_styles(&self, width: u16, height: u16) -> String {
        let buffer = draw(&self.app, width, height);
        let text = normalize(&screen_text(&buffer), &self.app);
        format!("{text}\n--- styles ---\n{}", styles(&buffer))
    }
}

pub fn vim() -> Keymap {
    Keymap::default_keymap().unwrap_or_else(|e| panic!("vim keymap: {e}"))
}

/// The keys of every row a list shows, in order.
pub fn list_keys(app: &App, list: &ListView) -> Vec<String> {
    (0..list.len())
        .filter_map(|i| list.row_at(&app.catalog, i))
        .map(|r| r.key().to_string())
        .collect()
}

/// The app drawn once on a fresh test terminal, without colour.
pub fn draw(app: &App, width: u16, height: u16) -> Buffer {
    let mut term = Terminal::new(TestBackend::new(width, height))
        .unwrap_or_else(|e| panic!("test terminal: {e}"));
    term.draw(|f| view::draw(f, app, &Theme { color: false }))
        .unwrap_or_else(|e| panic!("draw: {e}"));
    term.backend().buffer().clone()
}

/// The buffer as a terminal shows it: one line per row, the cells a wide
/// character covers left out (as a terminal does).
pub fn screen_text(buffer: &Buffer) -> String {
    let area = buffer.area;
    let mut out = String::new();
    for y in area.top()..area.bottom() {
        let mut skip = 0usize;
        for x in area.left()..area.right() {
            let symbol = buffer[(x, y)].symbol();
            if skip == 0 {
                out.push_str(symbol);
            }
            let w = unicode_width::UnicodeWidthStr::width(symbol);
            skip = std::cmp::max(skip, w).saturating_sub(1);
        }
        out.push('\n');
    }
    out
}

/// Where the buffer is styled, one line per run of cells with the same
/// modifiers (the test theme has no colour): `3: 0..39 REVERSED`.
pub fn styles(buffer: &Buffer) -> String {
    let area = buffer.area;
    let mut out = String::new();
    for y in area.top()..area.bottom() {
        let mut run: Option<(u16, Modifier)> = None;
        let flush = |start: u16, end: u16, m: Modifier, out: &mut String| {
            if !m.is_empty() {
                out.push_str(&format!("{y}: {start}..{end} {m:?}\n"));
            }
        };
        for x in area.left()..area.right() {
            let style: Style = buffer[(x, y)].style();
            let m = style.add_modifier - style.sub_modifier;
            match run {
                Some((_, current)) if current == m => {}
                Some((start, current)) => {
                    flush(start, x, current, &mut out);
                    run = Some((x, m));
                }
                None => run = Some((x, m)),
            }
        }
        if let Some((start, current)) = run {
            flush(start, area.right(), current, &mut out);
        }
    }
    out
}

/// Today's date in the demo's news items and the temporary store path, as
/// placeholders of the same width (so the layout around them stays).
pub fn normalize(screen: &str, app: &App) -> String {
    let path = app.store_path();
    let today = jiff::Zoned::now().date().to_string();
    screen
        .replace(&path, &same_width(STORE_PLACEHOLDER, path.chars().count()))
        .replace(
            &today,
            &same_width(TODAY_PLACEHOLDER, today.chars().count()),
        )
}

fn same_width(placeholder: &str, width: usize) -> String {
    let mut out: String = placeholder.chars().take(width).collect();
    while out.chars().count() < width {
        out.push('~');
    }
    out
}

/// Every line of a screen is exactly `width` columns wide: nothing (a wide
/// letter, an emoji) pushed the rest of a line out of place.
pub fn assert_aligned(screen: &str, width: u16) {
    for (y, line) in screen.lines().enumerate() {
        let w = unicode_width::UnicodeWidthStr::width(line);
        assert_eq!(w, width as usize, "line {y} is {w} columns: {line:?}");
    }
}
