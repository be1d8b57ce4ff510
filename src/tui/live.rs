//! The console as a client of a shared store: the changes others make come
//! in as events and are shown at once (each window's cursor stays on its
//! record); the status line counts the coordinators connected. A lost
//! server is said in the status line and reconnected to; what was being
//! typed into a field stays open meanwhile.

use std::sync::mpsc::{Receiver, TryRecvError};
use std::time::{Duration, Instant};

use uuid::Uuid;

use super::app::{App, Presence};
use crate::model::Collection;
use crate::store::Event;
use crate::store::Store;

/// How often an idle console looks for changes: well inside the 200 ms in
/// which a change must show, and nothing is drawn unless something came.
pub const POLL: Duration = Duration::from_millis(50);

/// How often a console that lost its server tries to reconnect.
const RECONNECT_EVERY: Duration = Duration::from_secs(1);

pub struct Live {
    events: Option<Receiver<Event>>,
    /// When the connection was found lost, and the last reconnect attempt.
    lost: Option<Instant>,
    tried: Option<Instant>,
}

impl Live {
    /// Listens to the store's events, if it is shared through a server.
    pub fn start(store: &Store) -> Option<Live> {
        store.take_events().map(|events| Live {
            events: Some(events),
            lost: None,
            tried: None,
        })
    }

    /// Applies what came in since the last call; true if the screen changed.
    pub fn poll(&mut self, app: &mut App) -> bool {
        if self.lost.is_some() {
            return self.reconnect(app);
        }
        let Some(events) = &self.events else {
            return false;
        };
        let mut changed: Vec<(Collection, Uuid)> = Vec::new();
        let mut reload = false;
        let mut presence = None;
        loop {
            match events.try_recv() {
                Ok(Event::Changed { records, by, .. }) => {
                    tracing::debug!(%by, "change from another client");
                    match records {
                        Some(list) => changed.extend(list),
                        None => reload = true,
                    }
                }
                Ok(Event::Clients(n)) => presence = Some(n),
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => {
                    self.events = None;
                    self.lost = Some(Instant::now());
                    app.presence = Presence::Offline;
                    app.error(format!(
                        "lost the connection to the server of {}; reconnecting (what you type is kept)",
                        app.store_path()
                    ));
                    return true;
                }
            }
        }
        if let Some(n) = presence {
            app.presence = if n > 1 {
                Presence::Shared(n)
            } else {
                Presence::Alone
            };
        }
        if app.store.events_overflowed() {
            reload = true;
        }
        if reload {
            app.reload_all();
        } else if !changed.is_empty() {
            app.after_change(&changed);
        }
        reload || !changed.is_empty() || presence.is_some()
    }

    fn reconnect(&mut self, app: &mut App) -> bool {
        if self.tried.is_some_and(|t| t.elapsed() < RECONNECT_EVERY) {
            return false;
        }
        self.tried = Some(Instant::now());
        match app.store.reopen() {
            Ok(store) => {
                self.events = store.take_events();
                let clients = store.clients_at_start();
                app.store = store;
                self.lost = None;
                app.presence = if clients > 1 {
                    Presence::Shared(clients)
                } else {
                    Presence::Alone
                };
                // Anything may have changed while we were away.
                app.reload_all();
                app.info("reconnected to the server");
                true
            }
            Err(e) => {
                tracing::warn!("reconnect failed: {e}");
                false
            }
        }
    }
}
