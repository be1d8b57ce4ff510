//! What a client is told of the others, on its way out: a short queue per
//! client and a thread of its own that writes it, so whoever makes a
//! change only queues its event and a client that does not read (a
//! suspended console, a stuck script) holds up nobody but itself.
//!
//! The queue is bounded: past [`MAX_EVENTS`] events or [`MAX_LISTED`]
//! record ids, the listed changes waiting are folded into one "read
//! everything again" (`Changed` with `records: None`, which a console
//! already answers by reloading), and a newer client count replaces an
//! older one. A client that takes nothing for the write timeout is
//! dropped by its writer.

use std::collections::VecDeque;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};

use crate::store::Event;

/// Events waiting for one client before the queue is folded.
pub const MAX_EVENTS: usize = 64;

/// Record ids waiting in listed changes before the queue is folded.
pub const MAX_LISTED: usize = 4_096;

#[derive(Default)]
struct Queue {
    events: VecDeque<Arc<Event>>,
    /// Ids in the listed changes queued.
    listed: usize,
    closed: bool,
}

#[derive(Default)]
pub struct Outbox {
    queue: Mutex<Queue>,
    ready: Condvar,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

fn is_reload(event: &Event) -> bool {
    matches!(event, Event::Changed { records: None, .. })
}

impl Outbox {
    pub fn new() -> Outbox {
        Outbox::default()
    }

    /// Queues `event`; never waits for the client.
    pub fn push(&self, event: &Arc<Event>) {
        let mut q = lock(&self.queue);
        if q.closed {
            return;
        }
        match &**event {
            Event::Clients(_) => {
                // Only the latest count matters.
                match q
                    .events
                    .iter_mut()
                    .find(|e| matches!(***e, Event::Clients(_)))
                {
                    Some(older) => *older = event.clone(),
                    None => q.events.push_back(event.clone()),
                }
            }
            Event::Changed { by, batch, records } => {
                let reload_queued = q.events.iter().any(|e| is_reload(e));
                let ids = records.as_ref().map_or(0, Vec::len);
                if reload_queued && records.is_some() {
                    // Not yet sent: the reload will read this change too.
                } else if records.is_none()
                    || q.events.len() >= MAX_EVENTS
                    || q.listed + ids > MAX_LISTED
                {
                    // Too much waiting (or a reload anyway): one reload
                    // in place of every change queued.
                    q.events.retain(|e| !matches!(**e, Event::Changed { .. }));
                    q.listed = 0;
                    q.events.push_back(Arc::new(Event::Changed {
                        by: by.clone(),
                        batch: *batch,
                        records: None,
                    }));
                } else {
                    q.listed += ids;
                    q.events.push_back(event.clone());
                }
            }
        }
        self.ready.notify_one();
    }

    /// Ends [`Outbox::deliver`] once what is queued is written.
    pub fn close(&self) {
        lock(&self.queue).closed = true;
        self.ready.notify_all();
    }

    /// Everything queued, waiting for something if nothing is; None once
    /// closed and empty.
    fn take(&self) -> Option<Vec<Arc<Event>>> {
        let mut q = lock(&self.queue);
        while q.events.is_empty() {
            if q.closed {
                return None;
            }
            q = self.ready.wait(q).unwrap_or_else(|p| p.into_inner());
        }
        q.listed = 0;
        Some(q.events.drain(..).collect())
    }

    /// Writes what is queued, in order, until closed or a write fails (the
    /// client does not read, or went away): then returns that error.
    pub fn deliver(
        &self,
        mut write: impl FnMut(&Event) -> std::io::Result<()>,
    ) -> Option<std::io::Error> {
        while let Some(events) = self.take() {
            for event in events {
                if let Err(e) = write(&event) {
                    self.close();
                    return Some(e);
                }
            }
        }
        None
    }

    #[cfg(test)]
    fn queued(&self) -> Vec<Event> {
        lock(&self.queue)
            .events
            .iter()
            .map(|e| (**e).clone())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Collection;
    use uuid::Uuid;

    fn changed(n: usize) -> Arc<Event> {
        Arc::new(Event::Changed {
            by: "ona".into(),
            batch: Uuid::now_v7(),
            records: Some(
                (0..n)
                    .map(|_| (Collection::Members, Uuid::now_v7()))
                    .collect(),
            ),
        })
    }

    #[test]
    fn a_queue_nobody_reads_stays_small_and_says_read_everything_again() {
        let out = Outbox::new();
        out.push(&Arc::new(Event::Clients(2)));
        for _ in 0..10_000 {
            out.push(&changed(3));
        }
        out.push(&Arc::new(Event::Clients(3)));
        let queued = out.queued();
        assert!(queued.len() <= 2, "{} events queued", queued.len());
        assert_eq!(queued[0], Event::Clients(3), "the latest count");
        assert!(
            matches!(queued[1], Event::Changed { records: None, .. }),
            "{:?}",
            queued[1]
        );
        // Too many ids at once fold too.
        let out = Outbox::new();
        out.push(&changed(1_000));
        out.push(&changed(1_000));
        assert_eq!(out.queued().len(), 2);
        for _ in 0..3 {
            out.push(&changed(1_000));
        }
        let queued = out.queued();
        assert_eq!(queued.len(), 1);
        assert!(matches!(queued[0], Event::Changed { records: None, .. }));
    }

    #[test]
    fn a_reader_gets_every_event_in_order() {
        let out = Outbox::new();
        let sent: Vec<_> = (0..5).map(|_| changed(1)).collect();
        for e in &sent {
            out.push(e);
        }
        out.close();
        let mut got = Vec::new();
        assert!(
            out.deliver(|e| {
                got.push(e.clone());
                Ok(())
            })
            .is_none()
        );
        let sent: Vec<Event> = sent.iter().map(|e| (**e).clone()).collect();
        assert_eq!(got, sent);
        // Closed: nothing more is queued.
        out.push(&changed(1));
        assert!(out.queued().is_empty());
    }
}
