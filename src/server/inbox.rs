//! Reading a client's frames on the server: each begun frame must come
//! whole by a deadline, and its buffer grows as its bytes arrive, taken
//! from one budget shared by every connection ([`Budget`]), never sized
//! up front from the length a client announces.

use std::io::{ErrorKind, Read};
use std::os::unix::net::UnixStream;
use std::time::{Duration, Instant};

use super::limits::{Budget, Share};
use super::protocol::{self, FrameError, Request};

/// A client must finish a frame it began within this.
pub const FRAME_TIMEOUT: Duration = Duration::from_secs(10);

/// A client holding a batch open (the store's write lock) must go on
/// within this, or it is dropped and its batch rolled back.
pub const BATCH_TIMEOUT: Duration = Duration::from_secs(60);

/// What a frame's buffer grows by at least, and what small frames take.
const STEP: usize = 64 * 1024;

/// What came in. One is alive at a time, so the large variant is not boxed
/// (as with `Request` itself).
#[allow(clippy::large_enum_variant)]
pub enum Incoming<'b> {
    /// A request, and the bytes its frame took from the budget (hold them
    /// while the request is carried out: they stand for it in memory).
    Request(Request, Share<'b>),
    /// A frame the budget had no room for: `left` of its bytes are still
    /// to come by `deadline` (see [`skip`]).
    NoRoom { left: usize, deadline: Instant },
}

fn timed_out() -> FrameError {
    FrameError::Io(std::io::Error::new(
        ErrorKind::TimedOut,
        "a frame that did not come in time",
    ))
}

/// Reads some bytes into `buf` before `deadline`: a peer trickling a byte
/// at a time cannot stretch a frame past it.
fn read_some(
    stream: &mut UnixStream,
    buf: &mut [u8],
    deadline: Instant,
) -> Result<usize, FrameError> {
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(timed_out());
        }
        stream.set_read_timeout(Some(left))?;
        match stream.read(buf) {
            Ok(0) => return Err(FrameError::Closed),
            Ok(n) => return Ok(n),
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                return Err(timed_out());
            }
            Err(e) => return Err(e.into()),
        }
    }
}

/// Reads exactly `buf.len()` bytes before `deadline`.
pub fn read_by(
    stream: &mut UnixStream,
    buf: &mut [u8],
    deadline: Instant,
) -> Result<(), FrameError> {
    let mut filled = 0;
    while filled < buf.len() {
        filled += read_some(stream, &mut buf[filled..], deadline)?;
    }
    Ok(())
}

/// Reads and forgets `left` bytes before `deadline` (the rest of a frame
/// refused for want of room), so the connection can go on.
pub fn skip(stream: &mut UnixStream, mut left: usize, deadline: Instant) -> Result<(), FrameError> {
    let mut scratch = vec![0u8; STEP.min(left)];
    while left > 0 {
        let want = left.min(scratch.len());
        left -= read_some(stream, &mut scratch[..want], deadline)?;
    }
    Ok(())
}

/// Reads the next request. No time limit while the client is quiet (a
/// console may sit for hours), unless it holds a batch open (then the whole
/// next request within [`BATCH_TIMEOUT`]); a frame once begun must come
/// whole within [`FRAME_TIMEOUT`].
pub fn next_request<'b>(
    stream: &mut UnixStream,
    writing: bool,
    budget: &'b Budget,
) -> Result<Incoming<'b>, FrameError> {
    let mut len = [0u8; 4];
    let started = if writing {
        read_by(stream, &mut len[..1], Instant::now() + BATCH_TIMEOUT)?;
        Instant::now()
    } else {
        stream.set_read_timeout(None)?;
        loop {
            match stream.read(&mut len[..1]) {
                Ok(0) => return Err(FrameError::Closed),
                Ok(_) => break Instant::now(),
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) => return Err(e.into()),
            }
        }
    };
    let deadline = started + FRAME_TIMEOUT;
    read_by(stream, &mut len[1..], deadline)?;
    let size = u32::from_be_bytes(len) as usize;
    if size > protocol::MAX_FRAME {
        return Err(FrameError::TooLarge(size));
    }
    let mut share = budget.share();
    let no_room = |filled: usize| Incoming::NoRoom {
        left: size - filled,
        deadline,
    };
    let payload = if size <= STEP {
        // Most requests: a few bytes, read straight in.
        if !share.grow(size) {
            return Ok(no_room(0));
        }
        let mut payload = vec![0u8; size];
        read_by(stream, &mut payload, deadline)?;
        payload
    } else {
        let mut payload: Vec<u8> = Vec::new();
        let mut scratch = vec![0u8; STEP];
        while payload.len() < size {
            if payload.len() == payload.capacity() {
                // Doubling, but never past the frame: a frame that stops
                // half way holds about what came.
                let step = (size - payload.len()).min(payload.len().max(STEP));
                if !share.grow(step) {
                    return Ok(no_room(payload.len()));
                }
                payload.reserve_exact(step);
            }
            let room = (payload.capacity() - payload.len()).min(STEP);
            let n = read_some(stream, &mut scratch[..room], deadline)?;
            payload.extend_from_slice(&scratch[..n]);
        }
        payload
    };
    let request = protocol::decode(&payload)?;
    Ok(Incoming::Request(request, share))
}
