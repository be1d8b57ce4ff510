//! A connection to `clusterdesk serve`: requests go out one at a time and
//! wait for their reply; a reader thread sorts what comes back into replies
//! and events (changes others made), which the console takes.

use super::link::LinkError;
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, SyncSender};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use super::protocol::{
    self, Answer, Event, FrameError, Request, ServerMessage, Welcome, read_frame, write_frame,
};
use crate::store::StoreError;

/// Events kept for a client that does not read them (a CLI command): beyond
/// that they are dropped.
const EVENT_BACKLOG: usize = 1024;

/// How long the handshake may take before the server counts as not there.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(5);

pub struct Client {
    store: PathBuf,
    /// The socket connected to: the store's own, or one given with
    /// `--connect` (a forwarded one).
    socket: PathBuf,
    welcome: Welcome,
    /// Held for a whole request and its reply, so replies match requests.
    conn: Mutex<Conn>,
    events: Mutex<Option<Receiver<Event>>>,
    /// Set when events had to be dropped.
    overflow: Arc<AtomicBool>,
}

struct Conn {
    stream: UnixStream,
    replies: Receiver<Result<Answer, StoreError>>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic elsewhere cannot leave a half-sent frame: frames are written
    // whole or the connection is given up.
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Client {
    /// Connects to the server listening at `socket` for the store `store`.
    pub fn connect(store: &Path, socket: &Path) -> Result<Client, StoreError> {
        let lost = |reason: String| {
            StoreError::from(LinkError::Disconnected {
                path: store.to_path_buf(),
                reason,
            })
        };
        let mut stream = UnixStream::connect(socket)
            .map_err(|e| lost(format!("cannot connect to {}: {e}", socket.display())))?;
        stream
            .set_read_timeout(Some(HANDSHAKE_TIMEOUT))
            .map_err(|e| lost(e.to_string()))?;
        write_frame(&mut stream, &protocol::hello()).map_err(|e| lost(e.to_string()))?;
        let answer = read_frame(&mut stream).map_err(|e| lost(e.to_string()))?;
        let welcome = match protocol::read_answer(&answer).map_err(|e| lost(e.to_string()))? {
            Ok(w) => w,
            Err(reason) => {
                return Err(StoreError::Refused {
                    path: store.to_path_buf(),
                    reason: crate::model::text::sanitize_for_message(&reason),
                });
            }
        };
        stream
            .set_read_timeout(None)
            .map_err(|e| lost(e.to_string()))?;
        let reader = stream.try_clone().map_err(|e| lost(e.to_string()))?;
        let (reply_tx, replies) = std::sync::mpsc::channel();
        let (event_tx, events) = std::sync::mpsc::sync_channel(EVENT_BACKLOG);
        let overflow = Arc::new(AtomicBool::new(false));
        let flag = overflow.clone();
        std::thread::Builder::new()
            .name("clusterdesk-client".into())
            .spawn(move || read_messages(reader, reply_tx, event_tx, &flag))
            .map_err(|e| lost(e.to_string()))?;
        Ok(Client {
            store: store.to_path_buf(),
            socket: socket.to_path_buf(),
            welcome,
            conn: Mutex::new(Conn { stream, replies }),
            events: Mutex::new(Some(events)),
            overflow,
        })
    }

    /// Who the server knows this client as.
    pub fn user(&self) -> &str {
        &self.welcome.user
    }

    /// Clients connected when this one joined, itself included.
    pub fn clients_at_start(&self) -> u32 {
        self.welcome.clients
    }

    pub fn store(&self) -> &Path {
        &self.store
    }

    /// Connected through a socket given by the user (`--connect`), not
    /// found in a store directory.
    pub fn is_forwarded(&self) -> bool {
        self.store == self.socket
    }

    /// Sends one request and waits for its reply.
    pub fn call(&self, request: &Request) -> Result<Answer, StoreError> {
        let conn = &mut *lock(&self.conn);
        let lost = |reason: String| {
            StoreError::from(LinkError::Disconnected {
                path: self.store.clone(),
                reason,
            })
        };
        write_frame(&mut conn.stream, &protocol::encode(request))
            .map_err(|e| lost(e.to_string()))?;
        match conn.replies.recv() {
            Ok(reply) => reply,
            Err(_) => Err(lost("the server closed the connection".into())),
        }
    }

    /// Whether events were dropped since last asked.
    pub fn take_overflow(&self) -> bool {
        self.overflow.swap(false, Ordering::SeqCst)
    }

    /// The changes others make, as they happen; once (the console takes them).
    pub fn take_events(&self) -> Option<Receiver<Event>> {
        lock(&self.events).take()
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        // The reader thread holds a clone of the stream: shutting it down
        // ends that thread and tells the server this client has gone.
        let _ = lock(&self.conn).stream.shutdown(std::net::Shutdown::Both);
    }
}

fn read_messages(
    mut stream: UnixStream,
    replies: std::sync::mpsc::Sender<Result<Answer, StoreError>>,
    events: SyncSender<Event>,
    overflow: &AtomicBool,
) {
    loop {
        let message =
            read_frame(&mut stream).and_then(|bytes| protocol::decode::<ServerMessage>(&bytes));
        match message {
            Ok(ServerMessage::Reply(reply)) => {
                if replies.send(reply).is_err() {
                    return;
                }
            }
            // Nobody reads events (a CLI command), or too many are waiting:
            // a console told of the overflow reads everything again.
            Ok(ServerMessage::Event(event)) => {
                if let Err(std::sync::mpsc::TrySendError::Full(_)) = events.try_send(event) {
                    overflow.store(true, Ordering::SeqCst);
                }
            }
            Err(FrameError::Closed) => return,
            Err(e) => {
                tracing::warn!("connection to the server ended: {e}");
                return;
            }
        }
    }
}
