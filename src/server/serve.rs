//! `clusterdesk serve`: the one process that owns a store. It listens on a
//! Unix socket in the store directory, lets in who the store's config
//! allows (by the kernel's word on who connects), serves each client on
//! its own thread, and tells every client of the changes others make.
//!
//! Started by a client it exits after an idle time without clients;
//! `--foreground` (systemd) it runs until SIGTERM.

use std::os::fd::AsRawFd;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, RwLock};
use std::time::{Duration, Instant};

use super::auth::{self, Config, Peer};
use super::protocol::{
    self, Event, FrameError, PROTOCOL, Request, ServerMessage, Welcome, write_frame,
};
use super::session::Session;
use super::spawn::socket_path;
use crate::store::{Engine, StoreError};

/// How long an auto-started server waits with no client before it exits.
pub const DEFAULT_IDLE: Duration = Duration::from_secs(60);

/// A client must finish a frame it began, and its handshake, within this.
const FRAME_TIMEOUT: Duration = Duration::from_secs(10);

/// A client holding a batch open (the store's write lock) must go on
/// within this, or it is dropped and its batch rolled back.
const BATCH_TIMEOUT: Duration = Duration::from_secs(60);

/// Connections served at once (each is a thread).
const MAX_CONNECTIONS: usize = 256;

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

struct Slot {
    id: u64,
    writer: Arc<Mutex<UnixStream>>,
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
    /// Connections open (handshaking or served).
    connections: AtomicUsize,
    /// Held for writing by a session writing outside transactions (see
    /// `Session`), for reading by every read.
    visible: RwLock<()>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

fn send(writer: &Mutex<UnixStream>, message: &ServerMessage) -> std::io::Result<()> {
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
    write_frame(&mut *lock(writer), &bytes)
}

impl Shared {
    fn broadcast(&self, from: Option<u64>, event: &Event) {
        let slots: Vec<(u64, Arc<Mutex<UnixStream>>)> = lock(&self.clients)
            .iter()
            .filter(|s| Some(s.id) != from)
            .map(|s| (s.id, s.writer.clone()))
            .collect();
        for (id, writer) in slots {
            if let Err(e) = send(&writer, &ServerMessage::Event(event.clone())) {
                // Its own thread sees the closed stream and cleans up.
                tracing::warn!(client = id, "dropping a client that does not read: {e}");
                let _ = lock(&writer).shutdown(std::net::Shutdown::Both);
            }
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
    let config = Config::load(&store).map_err(crate::cli::CliError::Usage)?;
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
    let listener = UnixListener::bind(&socket).map_err(|e| StoreError::NoServer {
        path: store.clone(),
        reason: format!("cannot listen on {}: {e}", socket.display()),
    })?;
    protect(&store, &socket, &config).map_err(|reason| StoreError::NoServer {
        path: store.clone(),
        reason,
    })?;
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGINT,
        signal_hook::consts::SIGHUP,
    ] {
        signal_hook::flag::register(signal, stop.clone())?;
    }
    tracing::info!(store = %store.display(), pid = std::process::id(), "serving");

    let shared = Shared {
        engine,
        config,
        server_uid: nix::unistd::getuid().as_raw(),
        clients: Mutex::new(Vec::new()),
        next_id: AtomicU64::new(1),
        empty_since: Mutex::new(Some(Instant::now())),
        stopping: AtomicBool::new(false),
        visible: RwLock::new(()),
        connections: AtomicUsize::new(0),
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
                Ok(mut stream) => {
                    // Each connection is a thread: beyond the cap, say so
                    // and close, so a flood cannot exhaust the server.
                    if shared.connections.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
                        shared.connections.fetch_sub(1, Ordering::SeqCst);
                        let _ = stream.set_write_timeout(Some(Duration::from_secs(1)));
                        let _ = write_frame(
                            &mut stream,
                            &protocol::refusal("too many connections to this store's server"),
                        );
                        continue;
                    }
                    scope.spawn(move || {
                        serve_client(shared, stream);
                        shared.connections.fetch_sub(1, Ordering::SeqCst);
                    });
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
            let _ = lock(&slot.writer).shutdown(std::net::Shutdown::Both);
        }
    });
    let _ = std::fs::remove_file(&socket);
    shared.engine.flush()?;
    tracing::info!("stopped");
    Ok(())
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

/// Reads exactly `buf.len()` bytes before `deadline`: a peer trickling a
/// byte at a time cannot stretch a frame past it.
fn read_by(stream: &mut UnixStream, buf: &mut [u8], deadline: Instant) -> Result<(), FrameError> {
    let mut filled = 0;
    while filled < buf.len() {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(FrameError::Io(std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                "a frame that did not come in time",
            )));
        }
        stream.set_read_timeout(Some(left))?;
        match std::io::Read::read(stream, &mut buf[filled..]) {
            Ok(0) => return Err(FrameError::Closed),
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}

/// Reads the next request. No time limit while the client is quiet (a
/// console may sit for hours), unless it holds a batch open (then the whole
/// next request within [`BATCH_TIMEOUT`]); a frame once begun must come
/// whole within [`FRAME_TIMEOUT`].
fn next_request(stream: &mut UnixStream, writing: bool) -> Result<Request, FrameError> {
    let mut len = [0u8; 4];
    if writing {
        read_by(stream, &mut len, Instant::now() + BATCH_TIMEOUT)?;
    } else {
        stream.set_read_timeout(None)?;
        match std::io::Read::read_exact(stream, &mut len) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
                return Err(FrameError::Closed);
            }
            Err(e) => return Err(e.into()),
        }
    }
    let size = u32::from_be_bytes(len) as usize;
    if size > protocol::MAX_FRAME {
        return Err(FrameError::TooLarge(size));
    }
    let mut payload = vec![0u8; size];
    read_by(stream, &mut payload, Instant::now() + FRAME_TIMEOUT)?;
    protocol::decode(&payload)
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
            let _ = write_frame(&mut stream, &protocol::refusal(&reason));
            return;
        }
    }
    let writer = match stream.try_clone() {
        Ok(w) => Arc::new(Mutex::new(w)),
        Err(e) => {
            tracing::warn!("cannot serve a client: {e}");
            return;
        }
    };
    let _ = lock(&writer).set_write_timeout(Some(WRITE_TIMEOUT));
    let id = shared.next_id.fetch_add(1, Ordering::SeqCst);
    let clients = {
        let mut slots = lock(&shared.clients);
        if shared.stopping.load(Ordering::SeqCst) {
            // The client finds no server and starts the next one.
            return;
        }
        let clients = u32::try_from(slots.len() + 1).unwrap_or(u32::MAX);
        let welcome = Welcome {
            user: peer.user.clone(),
            store: shared.engine.path().to_path_buf(),
            clients,
        };
        // The welcome goes out before the client is listed, under the
        // clients' lock: no event broadcast to the list can come first.
        if write_frame(&mut *lock(&writer), &protocol::welcome(&welcome)).is_err() {
            return;
        }
        slots.push(Slot {
            id,
            writer: writer.clone(),
        });
        *lock(&shared.empty_since) = None;
        clients
    };
    tracing::info!(client = id, user = %peer.user, pid = peer.pid, "connected");
    shared.broadcast(Some(id), &Event::Clients(clients));
    serve_requests(shared, &mut stream, &writer, id, peer);
    let clients = {
        let mut slots = lock(&shared.clients);
        slots.retain(|s| s.id != id);
        if slots.is_empty() {
            *lock(&shared.empty_since) = Some(Instant::now());
        }
        u32::try_from(slots.len()).unwrap_or(u32::MAX)
    };
    tracing::info!(client = id, "disconnected");
    shared.broadcast(None, &Event::Clients(clients));
}

fn handshake(shared: &Shared, stream: &mut UnixStream, peer: &Peer) -> Result<(), String> {
    // Who it is, first: a stranger is refused before anything it sends is
    // read.
    auth::allow(&shared.config, peer, shared.server_uid)?;
    let deadline = Instant::now() + FRAME_TIMEOUT;
    let mut len = [0u8; 4];
    read_by(stream, &mut len, deadline).map_err(|e| format!("no hello: {e}"))?;
    let size = u32::from_be_bytes(len) as usize;
    if size > HELLO_MAX {
        return Err("not a clusterdesk client".into());
    }
    let mut hello = vec![0u8; size];
    read_by(stream, &mut hello, deadline).map_err(|e| format!("no hello: {e}"))?;
    let version = protocol::read_hello(&hello)?;
    if version != PROTOCOL {
        return Err(format!(
            "this server speaks protocol {PROTOCOL} and the client {version}: use the same clusterdesk version for both"
        ));
    }
    Ok(())
}

fn serve_requests(
    shared: &Shared,
    stream: &mut UnixStream,
    writer: &Mutex<UnixStream>,
    id: u64,
    peer: Peer,
) {
    let user = peer.user.clone();
    let mut session = Session::new(&shared.engine, peer, &shared.visible);
    loop {
        let request = match next_request(stream, session.is_writing()) {
            Ok(r) => r,
            Err(FrameError::Closed) => return,
            Err(e) => {
                // Garbage, a huge length, or a client that went quiet
                // mid-frame or mid-batch: dropped, the others go on.
                tracing::warn!(client = id, user = %user, "dropped: {e}");
                return;
            }
        };
        let (reply, event) = session.handle(request);
        if let Err(e) = send(writer, &ServerMessage::Reply(reply)) {
            tracing::warn!(client = id, "cannot answer: {e}");
            return;
        }
        if let Some(event) = event {
            shared.broadcast(Some(id), &event);
        }
    }
}
