//! The console: vim-like panes over the store.
//!
//! `app.rs` holds the state, `input.rs` turns events into actions through
//! the keymap (`keymap/`) and `command.rs` reads `:` lines; both resolve
//! through the command registry (`registry.rs`), whose entries call the
//! Store API, `view/` draws. This file runs the loop: it draws
//! only after an event changed something, so an idle console sends nothing,
//! and draws once for all the keys already waiting (`BATCH`).

pub mod action;
pub mod app;
mod backend;
mod changes;
mod clipboard;
mod command;
pub mod conflict;
pub mod detail;
mod editing;
mod external;
mod help;
mod input;
pub mod keymap;
pub mod layout;
pub mod list;
pub mod live;
mod log;
mod motion;
mod panes;
pub mod record;
pub mod registry;
mod resolve;
pub mod rows;
pub mod search;
pub mod terminal;
pub mod theme;
pub mod view;
pub mod window;
pub mod workspace;

use std::time::{Duration, Instant};

use ratatui::crossterm::event;
use ratatui::layout::Rect;

use crate::model::Collection;
use crate::signals::Signals;
use crate::store::{Store, StoreError};
use app::{App, Effect};
use keymap::Keymap;
use rows::Catalog;
use theme::Theme;

/// Rows read before the first frame: more than any terminal shows.
const FIRST_PAGE: usize = 200;

/// A console state with the first screenful of every list, enough to draw;
/// `finish_loading` reads the rest.
pub fn first_state(store: Store, keymap: Keymap, size: Rect) -> Result<App, StoreError> {
    let mut catalog = Catalog::default();
    for c in Collection::ALL {
        catalog.set_rows(c, rows::first_rows(&store, c, FIRST_PAGE)?);
    }
    catalog.refresh(&store, Collection::Meetings, &[])?;
    let mut app = App::new(store, catalog, keymap, size);
    app.loading = true;
    Ok(app)
}

/// Reads every record into the lists (the slow part at 100,000 members).
pub fn finish_loading(app: &mut App) -> Result<(), StoreError> {
    let noted = app.cursors();
    for c in Collection::ALL
        .into_iter()
        .filter(|&c| !rows::whole_at_first(c))
    {
        let all = rows::load_rows(&app.store, c)?;
        app.catalog.set_rows(c, all);
    }
    app.loading = false;
    app.sync_windows_keeping(noted);
    Ok(())
}

/// Opens the console on a store until the coordinator quits (or a stop
/// signal asks it to: see `crate::signals`).
pub fn run(store: Store, keymap: Keymap) -> anyhow::Result<()> {
    let _log = log::init();
    tracing::info!(store = %store.path().display(), "console started");
    let signals = Signals::install()?;
    terminal::install_panic_hook();
    let mut term = match terminal::enter() {
        Ok(term) => term,
        Err(e) => {
            terminal::restore();
            return Err(e.into());
        }
    };
    let result = event_loop(&mut term, store, keymap, &signals);
    terminal::restore();
    result
}

/// How long keys already waiting are handled before a frame is drawn: a
/// paste of keys or a slow link's burst costs one frame, not one per key.
const BATCH: Duration = Duration::from_millis(50);

/// How long to look for a next key already waiting. Not zero: crossterm's
/// tty source does not look at all when given no time.
const NEXT_KEY: Duration = Duration::from_millis(1);

/// Alone on a store, how often the loop looks for a stop signal while no
/// key comes (it draws nothing then).
const SIGNAL_POLL: Duration = Duration::from_millis(250);

fn event_loop(
    term: &mut terminal::Term,
    store: Store,
    keymap: Keymap,
    signals: &Signals,
) -> anyhow::Result<()> {
    let theme = Theme::from_env();
    let size = term.size()?;
    let mut app = first_state(store, keymap, Rect::new(0, 0, size.width, size.height))?;
    term.draw(|f| view::draw(f, &app, &theme))?;
    if let Err(e) = finish_loading(&mut app) {
        app.report(&e);
    }
    let mut live = live::Live::start(&app.store);
    if app.store.clients_at_start() > 1 {
        app.presence = app::Presence::Shared(app.store.clients_at_start());
    }
    term.draw(|f| view::draw(f, &app, &theme))?;
    loop {
        signals.check()?;
        // Sharing a store, the loop also looks for others' changes every
        // `live::POLL`; either way nothing is drawn unless something changed.
        let wait = if live.is_some() {
            live::POLL
        } else {
            SIGNAL_POLL
        };
        let mut changed = false;
        if event::poll(wait)? {
            let batch = Instant::now();
            loop {
                app.handle_event(event::read()?);
                changed = true;
                // An effect (the editor, suspend) runs before the next key,
                // as the coordinator typed them.
                if app.quit
                    || !app.effects.is_empty()
                    || batch.elapsed() >= BATCH
                    || !event::poll(NEXT_KEY)?
                {
                    break;
                }
            }
        }
        if let Some(live) = live.as_mut() {
            changed |= live.poll(&mut app);
        }
        if !changed {
            continue;
        }
        for effect in std::mem::take(&mut app.effects) {
            match effect {
                Effect::Clipboard(text) => terminal::copy_to_clipboard(&text)?,
                Effect::Mouse(on) => terminal::set_mouse(on)?,
                Effect::Suspend => terminal::suspend(term, app.mouse)?,
                Effect::EditExternal => {
                    let mouse = app.mouse;
                    terminal::released(term, mouse, || external::edit_focused(&mut app, signals))?;
                }
            }
        }
        if app.quit {
            tracing::info!("console closed");
            return Ok(());
        }
        term.draw(|f| view::draw(f, &app, &theme))?;
    }
}
