//! `clusterdesk serve`: the one process that owns a store. It listens on a
//! Unix socket in the store directory, lets in who the store's config
//! allows (by the kernel's word on who connects), serves each client on
//! its own thread, and tells every client of the changes others make.
//!
//! Started by a client it exits after an idle time without clients;
//! `--foreground` (systemd) it runs until SIGTERM.

use super::link::LinkError;
use std::os::fd::AsRawFd;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, RwLock};
use std::time::{Duration, Instant};

use super::auth::{self, Config, Peer};
use super::inbox::{self, Incoming};
use super::limits::{self, Admitted, Budget, Connections, Full};
use super::outbox::Outbox;
use super::protocol::{self, Event, FrameError, PROTOCOL, ServerMessage, Welcome, write_frame};
use super::session::Session;
use super::spawn::socket_path;
use crate::store::{Engine, StoreError};

/// How long an auto-started server waits with no client before it exits.
pub const DEFAULT_IDLE: Duration = Duration::from_secs(60);

/// A connection must have said hello within this, or it is closed: idle
/// connections that never speak hold no room for long.
const HELLO_TIMEOUT: Duration = Duration::from_secs(5);

/// A hello is the magic and a version; anything longer is not one.
const HELLO_MAX: usize = 64;

/// A client that does not take what it is sent within this is dropped.
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);

pub struct Options {
    pub store: PathBuf,
    /// Never exit for want of clients (systemd).
    pub foreground: bool,
    /// Idle time before exit (when not foreground); else from the config.
    pub idle: Option<Duration>,
}

/// The writing side of a connection: frames go out whole under `framing`,
/// and anyone may shut the stream down (ending the client's threads)
/// without waiting for a write blocked on it.
struct Out {
    stream: UnixStream,
    framing: Mutex<()>,
}

impl Out {
    fn shutdown(&self) {
        let _ = self.stream.shutdown(std::net::Shutdown::Both);
    }
}

/// A client listed for events.
struct Slot {
    id: u64,
    outbox: Arc<Outbox>,
    out: Arc<Out>,
}

/// What the client threads share.
struct Shared {
    engine: Engine,
    config: Config,
    server_uid: u32,
    clients: Mutex<Vec<Slot>>,
    next_id: AtomicU64,
    /// When the last client left (or the server started).
    empty_since: Mutex<Option<Instant>>,
    stopping: AtomicBool,
    /// Connections open (handshaking or served), by user.
    connections: Connections,
    /// Bytes of requests on their way in, over every connection.
    budget: Budget,
    /// Held for writing by a session writing outside transactions (see
    /// `Session`), for reading by every read.
    visible: RwLock<()>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

fn send(out: &Out, message: &ServerMessage) -> std::io::Result<()> {
    let mut bytes = protocol::encode(message);
    if bytes.len() > protocol::MAX_FRAME {
        // One record (or history entry) too big to send: say so rather
        // than drop the client, which would only ask again.
        bytes = protocol::encode(&ServerMessage::Reply(Err(StoreError::Storage {
            path: std::path::PathBuf::new(),
            reason: format!(
                "an answer of {} bytes is more than a frame may carry ({})",
                bytes.len(),
                protocol::MAX_FRAME
            ),
        })));
    }
    let _framing = lock(&out.framing);
    write_frame(&mut &out.stream, &bytes)
}

impl Shared {
    /// Queues `event` for every client but `from`: nobody waits here for
    /// a client to read (each has its own writer, see `outbox.rs`).
    fn broadcast(&self, from: Option<u64>, event: Event) {
        let event = Arc::new(event);
        for slot in lock(&self.clients).iter().filter(|s| Some(s.id) != from) {
            slot.outbox.push(&event);
        }
    }

    fn refused(&self, reason: String) -> StoreError {
        StoreError::Refused {
            path: self.engine.path().to_path_buf(),
            reason,
        }
    }
}

/// The socket this server bound, known by its inode: the path may come to
/// be another server's (the store directory moved and a new store made in
/// its place), and that one is never removed.
struct OwnSocket {
    path: PathBuf,
    id: (u64, u64),
}

impl OwnSocket {
    fn bind(path: &Path) -> std::io::Result<(UnixListener, OwnSocket)> {
        let listener = UnixListener::bind(path)?;
        let meta = std::fs::symlink_metadata(path)?;
        let own = OwnSocket {
            path: path.to_path_buf(),
            id: (meta.dev(), meta.ino()),
        };
        Ok((listener, own))
    }

    fn is_ours(&self) -> bool {
        std::fs::symlink_metadata(&self.path).is_ok_and(|m| (m.dev(), m.ino()) == self.id)
    }

    /// Removes the socket if it is still the one this server bound.
    fn remove(&self) {
        if self.is_ours() {
            let _ = std::fs::remove_file(&self.path);
        } else {
            tracing::info!(
                socket = %self.path.display(),
                "the socket there is not this server's any more (the store moved?): left alone"
            );
        }
    }
}

/// Sets the store directory and socket so only the owner (and the
/// configured group) can enter and connect. The group may only pass
/// through the directory (0710): it cannot list, create, rename or read
/// anything in it (the server's umask makes its files 0600), so it reaches
/// the store only through the socket, where the server decides.
fn protect(store: &Path, socket: &Path, config: &Config) -> Result<(), String> {
    let gid = config.gid()?;
    let (dir_mode, socket_mode) = if gid.is_some() {
        (0o710, 0o660)
    } else {
        (0o700, 0o600)
    };
    if let Some(gid) = gid {
        for path in [store, socket] {
            nix::unistd::chown(path, None, Some(gid))
                .map_err(|e| format!("cannot give {} to the group: {e}", path.display()))?;
        }
    }
    std::fs::set_permissions(store, std::fs::Permissions::from_mode(dir_mode))
        .map_err(|e| format!("{}: {e}", store.display()))?;
    std::fs::set_permissions(socket, std::fs::Permissions::from_mode(socket_mode))
        .map_err(|e| format!("{}: {e}", socket.display()))
}

/// Runs the server until it is idle long enough or told to stop.
pub fn run(options: Options) -> anyhow::Result<()> {
    let store = options.store;
    let config = Config::load(&store)?;
    let idle = options
        .idle
        .or(config.idle_exit_secs.map(Duration::from_secs))
        .unwrap_or(DEFAULT_IDLE);
    // Files the server makes (the store's, the socket) are its own alone
    // until `protect` opens the socket to the group: no window in which
    // anyone else can reach them.
    nix::sys::stat::umask(nix::sys::stat::Mode::from_bits_truncate(0o077));
    // The store's lock decides which server runs: a second one stops here.
    let engine = Engine::open_for_server(&store)?;
    let socket = socket_path(&store);
    // We hold the store, so a socket there is a dead server's.
    let _ = std::fs::remove_file(&socket);
    // Bound under a staging name and protected there, then renamed into
    // place: a client that finds the socket finds it open to the group
    // already (a listening socket takes connections from the bind on).
    // The staging name is no longer than the socket's, for the 108-byte
    // limit on socket paths.
    let staging = store.join(format!(".cd{}.sock", std::process::id() % 10_000_000));
    let _ = std::fs::remove_file(&staging);
    let no_server = |reason: String| {
        StoreError::from(LinkError::NoServer {
            path: store.clone(),
            reason,
        })
    };
    let (listener, mut own_socket) = OwnSocket::bind(&staging)
        .map_err(|e| no_server(format!("cannot listen on {}: {e}", socket.display())))?;
    let placed = protect(&store, &staging, &config).and_then(|()| {
        std::fs::rename(&staging, &socket)
            .map_err(|e| format!("cannot place the socket at {}: {e}", socket.display()))
    });
    if let Err(reason) = placed {
        let _ = std::fs::remove_file(&staging);
        return Err(no_server(reason).into());
    }
    own_socket.path = socket.clone();
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGINT,
        signal_hook::consts::SIGHUP,
    ] {
        signal_hook::flag::register(signal, stop.clone())?;
    }
    tracing::info!(store = %store.display(), pid = std::process::id(), "serving");

    let server_uid = nix::unistd::getuid().as_raw();
    let shared = Shared {
        engine,
        config,
        server_uid,
        clients: Mutex::new(Vec::new()),
        next_id: AtomicU64::new(1),
        empty_since: Mutex::new(Some(Instant::now())),
        stopping: AtomicBool::new(false),
        visible: RwLock::new(()),
        connections: Connections::new(server_uid),
        budget: Budget::new(limits::BUFFER_BUDGET),
    };
    std::thread::scope(|scope| {
        let shared = &shared;
        let listener = &listener;
        scope.spawn(move || watch(shared, listener, &stop, options.foreground, idle));
        for stream in listener.incoming() {
            if shared.stopping.load(Ordering::SeqCst) {
                break;
            }
            match stream {
                Ok(stream) => {
                    // Each connection is a thread: counted in by user
                    // first, so neither a flood nor one user's idle
                    // connections take every place.
                    if let Some(admitted) = admit(shared, &stream) {
                        scope.spawn(move || {
                            serve_client(shared, stream);
                            drop(admitted);
                        });
                    }
                }
                Err(e) if shared.stopping.load(Ordering::SeqCst) => {
                    tracing::debug!("accept ended: {e}");
                    break;
                }
                Err(e) => {
                    // Out of file descriptors, say: wait, do not spin.
                    tracing::warn!("accept failed: {e}");
                    std::thread::sleep(Duration::from_millis(100));
                }
            }
        }
        // Ends the clients' threads, so the scope can close.
        for slot in lock(&shared.clients).iter() {
            slot.out.shutdown();
        }
    });
    own_socket.remove();
    shared.engine.flush()?;
    tracing::info!("stopped");
    Ok(())
}

/// Counts a new connection in, or tells it why not and closes it.
fn admit<'s>(shared: &'s Shared, stream: &UnixStream) -> Option<Admitted<'s>> {
    let uid = match auth::peer_uid(stream) {
        Ok(uid) => uid,
        Err(e) => {
            tracing::warn!("cannot read a client's credentials: {e}");
            return None;
        }
    };
    let reason = match shared.connections.admit(uid) {
        Ok(admitted) => return Some(admitted),
        Err(Full::User) => format!(
            "{} has {} connections to this store's server already, the most one user may have",
            auth::user_name(uid),
            limits::PER_USER
        ),
        Err(Full::Server) => format!(
            "too many connections to this store's server ({} open)",
            shared.connections.total()
        ),
    };
    tracing::warn!(uid, "refused: {reason}");
    // A short frame into an empty socket: this does not wait.
    let mut stream = stream;
    let _ = stream.set_write_timeout(Some(Duration::from_secs(1)));
    let _ = write_frame(&mut stream, &protocol::refusal(&reason));
    None
}

/// Stops the server when told to, or when idle long enough.
fn watch(
    shared: &Shared,
    listener: &UnixListener,
    stop: &AtomicBool,
    foreground: bool,
    idle: Duration,
) {
    loop {
        std::thread::sleep(Duration::from_millis(100));
        // Decided under the clients' lock, which a client also takes to
        // register: none can slip in after the server chose to stop.
        let clients = lock(&shared.clients);
        let idle_out = !foreground
            && clients.is_empty()
            && lock(&shared.empty_since).is_some_and(|t| t.elapsed() >= idle);
        if stop.load(Ordering::SeqCst) || idle_out {
            tracing::info!(idle = idle_out, "stopping");
            shared.stopping.store(true, Ordering::SeqCst);
            drop(clients);
            // Wakes the accept loop (an error from accept ends it), even
            // when the socket's file is gone.
            let _ =
                nix::sys::socket::shutdown(listener.as_raw_fd(), nix::sys::socket::Shutdown::Both);
            return;
        }
    }
}

fn serve_client(shared: &Shared, mut stream: UnixStream) {
    if shared.stopping.load(Ordering::SeqCst) {
        return;
    }
    let peer = match auth::peer(&stream) {
        Ok(p) => p,
        Err(e) => {
            tracing::warn!("cannot read a client's credentials: {e}");
            return;
        }
    };
    match handshake(shared, &mut stream, &peer) {
        Ok(()) => {}
        Err(reason) => {
            tracing::warn!(user = %peer.user, uid = peer.uid, pid = peer.pid, "refused: {reason}");
            let _ = stream.set_write_timeout(Some(Duration::from_secs(1)));
            let _ = write_frame(&mut stream, &protocol::refusal(&reason));
            return;
        }
    }
    let out = match stream.try_clone() {
        Ok(stream) => Arc::new(Out {
            stream,
            framing: Mutex::new(()),
        }),
        Err(e) => {
            tracing::warn!("cannot serve a client: {e}");
            return;
        }
    };
    let _ = out.stream.set_write_timeout(Some(WRITE_TIMEOUT));
    let id = shared.next_id.fetch_add(1, Ordering::SeqCst);
    let outbox = Arc::new(Outbox::new());
    let clients = {
        let mut slots = lock(&shared.clients);
        if shared.stopping.load(Ordering::SeqCst) {
            // The client finds no server and starts the next one.
            return;
        }
        slots.push(Slot {
            id,
            outbox: outbox.clone(),
            out: out.clone(),
        });
        *lock(&shared.empty_since) = None;
        u32::try_from(slots.len()).unwrap_or(u32::MAX)
    };
    let welcome = Welcome {
        user: peer.user.clone(),
        store: shared.engine.path().to_path_buf(),
        clients,
    };
    // Events for this client queue from the moment it is listed, and its
    // writer starts after the welcome: none can come first.
    if write_frame(&mut &out.stream, &protocol::welcome(&welcome)).is_ok() {
        tracing::info!(client = id, user = %peer.user, pid = peer.pid, "connected");
        shared.broadcast(Some(id), Event::Clients(clients));
        std::thread::scope(|scope| {
            scope.spawn(|| {
                let failed =
                    outbox.deliver(|event| send(&out, &ServerMessage::Event(event.clone())));
                if let Some(e) = failed {
                    // Its session sees the closed stream and cleans up.
                    tracing::warn!(client = id, "dropping a client that does not read: {e}");
                    out.shutdown();
                }
            });
            serve_requests(shared, &mut stream, &out, id, peer);
            outbox.close();
            // A write blocked on a client that does not read ends now.
            out.shutdown();
        });
    }
    let clients = {
        let mut slots = lock(&shared.clients);
        slots.retain(|s| s.id != id);
        if slots.is_empty() {
            *lock(&shared.empty_since) = Some(Instant::now());
        }
        u32::try_from(slots.len()).unwrap_or(u32::MAX)
    };
    tracing::info!(client = id, "disconnected");
    shared.broadcast(None, Event::Clients(clients));
}

fn handshake(shared: &Shared, stream: &mut UnixStream, peer: &Peer) -> Result<(), String> {
    // Who it is, first: a stranger is refused before anything it sends is
    // read.
    auth::allow(&shared.config, peer, shared.server_uid)?;
    let deadline = Instant::now() + HELLO_TIMEOUT;
    let no_hello = |e: FrameError| format!("no hello within {} s: {e}", HELLO_TIMEOUT.as_secs());
    let mut len = [0u8; 4];
    inbox::read_by(stream, &mut len, deadline).map_err(no_hello)?;
    let size = u32::from_be_bytes(len) as usize;
    if size > HELLO_MAX {
        return Err("not a clusterdesk client".into());
    }
    let mut hello = vec![0u8; size];
    inbox::read_by(stream, &mut hello, deadline).map_err(no_hello)?;
    let version = protocol::read_hello(&hello)?;
    if version != PROTOCOL {
        return Err(format!(
            "this server speaks protocol {PROTOCOL} and the client {version}: use the same clusterdesk version for both"
        ));
    }
    Ok(())
}

fn serve_requests(shared: &Shared, stream: &mut UnixStream, out: &Out, id: u64, peer: Peer) {
    let user = peer.user.clone();
    let mut session = Session::new(&shared.engine, peer, &shared.visible);
    loop {
        let (request, share) = match inbox::next_request(
            stream,
            session.is_writing(),
            &shared.budget,
        ) {
            Ok(Incoming::Request(request, share)) => (request, share),
            Ok(Incoming::NoRoom { left, deadline }) => {
                // Said at once (a client may wait for it mid-frame), then
                // the rest of the frame is read past, and the client goes
                // on.
                tracing::warn!(client = id, user = %user, "a request refused: no buffer room");
                let reason = format!(
                    "the server is out of buffer room for requests ({} MiB are arriving from its clients); try again in a moment",
                    shared.budget.limit() >> 20
                );
                let refused = ServerMessage::Reply(Err(shared.refused(reason)));
                if send(out, &refused).is_err() {
                    return;
                }
                if let Err(e) = inbox::skip(stream, left, deadline) {
                    tracing::warn!(client = id, user = %user, "dropped: {e}");
                    return;
                }
                continue;
            }
            Err(FrameError::Closed) => return,
            Err(e) => {
                // Garbage, a huge length, or a client that went quiet
                // mid-frame or mid-batch: dropped, the others go on.
                tracing::warn!(client = id, user = %user, "dropped: {e}");
                return;
            }
        };
        let (reply, event) = session.handle(request);
        drop(share);
        if let Err(e) = send(out, &ServerMessage::Reply(reply)) {
            tracing::warn!(client = id, "cannot answer: {e}");
            return;
        }
        if let Some(event) = event {
            shared.broadcast(Some(id), event);
        }
    }
}
