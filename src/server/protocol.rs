//! The wire between a client and `clusterdesk serve`: frames of a 4-byte
//! big-endian length and a bincode payload, at most [`MAX_FRAME`] bytes.
//!
//! A connection opens with the client's hello (the [`MAGIC`] bytes and its
//! protocol version, outside bincode so that any version can read it) and
//! the server's answer: a [`Welcome`], or a refusal as plain text (a client
//! of another version still reads it). Then the client sends [`Request`]s,
//! one at a time, and the server sends back one [`Reply`] for each, with
//! [`Event`]s (changes made by others) in between.

use std::io::{self, Read, Write};
use std::path::PathBuf;

use serde::{Deserialize, Serialize, de::DeserializeOwned};
use uuid::Uuid;

use crate::model::{AnyRecord, Collection};
use crate::store::{BatchSummary, LoadSummary, StoreError};

/// The protocol this build speaks; a client and server must agree. 2: the
/// errors a reply carries lost the transport's own (`server::link`).
pub const PROTOCOL: u32 = 2;

/// What every hello starts with.
pub const MAGIC: &[u8; 12] = b"clusterdesk\n";

/// The largest frame either side accepts: a stored value may take 32 MiB.
pub const MAX_FRAME: usize = 64 * 1024 * 1024;

/// What went wrong reading a frame.
#[derive(Debug, thiserror::Error)]
pub enum FrameError {
    #[error("the connection was closed")]
    Closed,
    #[error("a frame of {0} bytes is more than the {MAX_FRAME} allowed")]
    TooLarge(usize),
    #[error("{0}")]
    Io(#[from] io::Error),
    #[error("a frame that does not decode: {0}")]
    Garbled(String),
}

pub fn write_frame(out: &mut impl Write, payload: &[u8]) -> io::Result<()> {
    let len = u32::try_from(payload.len())
        .ok()
        .filter(|&n| n as usize <= MAX_FRAME)
        .ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("a frame of {} bytes is too large", payload.len()),
            )
        })?;
    if payload.len() <= SMALL_FRAME {
        // One write: the peer wakes once.
        let mut frame = Vec::with_capacity(4 + payload.len());
        frame.extend_from_slice(&len.to_be_bytes());
        frame.extend_from_slice(payload);
        out.write_all(&frame)?;
    } else {
        // No copy of a large payload.
        out.write_all(&len.to_be_bytes())?;
        out.write_all(payload)?;
    }
    out.flush()
}

/// Frames up to this are written with one write.
const SMALL_FRAME: usize = 64 * 1024;

/// Reads one frame. The length is checked before anything is allocated,
/// and the buffer grows as the bytes arrive, so a peer announcing a huge
/// frame costs nothing until it sends it.
pub fn read_frame(input: &mut impl Read) -> Result<Vec<u8>, FrameError> {
    let mut len = [0u8; 4];
    match input.read_exact(&mut len) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Err(FrameError::Closed),
        Err(e) => return Err(e.into()),
    }
    let len = u32::from_be_bytes(len) as usize;
    if len > MAX_FRAME {
        return Err(FrameError::TooLarge(len));
    }
    let mut payload = Vec::with_capacity(len.min(SMALL_FRAME));
    input.take(len as u64).read_to_end(&mut payload)?;
    if payload.len() < len {
        return Err(FrameError::Io(io::Error::new(
            io::ErrorKind::UnexpectedEof,
            format!("a frame cut after {} of its {len} bytes", payload.len()),
        )));
    }
    Ok(payload)
}

fn config() -> bincode::config::Configuration {
    bincode::config::standard()
}

pub fn encode<T: Serialize>(value: &T) -> Vec<u8> {
    // Encoding into memory fails only for types serde cannot write, and
    // every message type here is plain data.
    bincode::serde::encode_to_vec(value, config()).unwrap_or_default()
}

pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, FrameError> {
    let config = config().with_limit::<{ 4 * MAX_FRAME }>();
    let (value, used) = bincode::serde::decode_from_slice(bytes, config)
        .map_err(|e| FrameError::Garbled(e.to_string()))?;
    if used != bytes.len() {
        return Err(FrameError::Garbled(format!(
            "{} bytes left over",
            bytes.len() - used
        )));
    }
    Ok(value)
}

/// The client's first frame.
pub fn hello() -> Vec<u8> {
    let mut bytes = MAGIC.to_vec();
    bytes.extend_from_slice(&PROTOCOL.to_be_bytes());
    bytes
}

/// The protocol version in a hello, or why it is not one.
pub fn read_hello(bytes: &[u8]) -> Result<u32, String> {
    match bytes.strip_prefix(MAGIC.as_slice()) {
        Some(version) if version.len() == 4 => Ok(u32::from_be_bytes([
            version[0], version[1], version[2], version[3],
        ])),
        _ => Err("not a clusterdesk client".into()),
    }
}

/// The server's answer to a hello.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Welcome {
    /// Who the server knows the client as (from its credentials).
    pub user: String,
    /// The store the server owns.
    pub store: PathBuf,
    /// Clients connected, this one included.
    pub clients: u32,
}

/// The answer frame: tag 0 and a bincode [`Welcome`], or tag 1 and text.
pub fn welcome(w: &Welcome) -> Vec<u8> {
    let mut bytes = vec![0u8];
    bytes.extend(encode(w));
    bytes
}

pub fn refusal(reason: &str) -> Vec<u8> {
    let mut bytes = vec![1u8];
    bytes.extend_from_slice(reason.as_bytes());
    bytes
}

pub fn read_answer(bytes: &[u8]) -> Result<Result<Welcome, String>, FrameError> {
    match bytes.split_first() {
        Some((0, rest)) => decode(rest).map(Ok),
        Some((1, rest)) => Ok(Err(String::from_utf8_lossy(rest).into_owned())),
        _ => Err(FrameError::Garbled("not a server's answer".into())),
    }
}

/// One operation of the Store API.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Request {
    Get {
        collection: Collection,
        key: String,
    },
    GetById {
        collection: Collection,
        id: Uuid,
    },
    Contains {
        collection: Collection,
        key: String,
    },
    Count {
        collection: Collection,
    },
    Keys {
        collection: Collection,
    },
    /// Records in the order of `sort` (None: natural key), after the index
    /// entry `after` (or from the start, skipping `skip`).
    Scan {
        collection: Collection,
        sort: Option<String>,
        after: Option<Vec<u8>>,
        skip: u64,
        limit: u32,
    },
    /// Records in id order, after `after`.
    All {
        collection: Collection,
        after: Option<Uuid>,
        limit: u32,
    },
    /// History entries (as JSON), oldest first, after (batch, seq); or
    /// those of one batch.
    History {
        batch: Option<Uuid>,
        after: Option<(Uuid, u32)>,
        limit: u32,
    },
    IsEmpty,
    SchemaVersion,
    BatchBegin,
    BatchPut(AnyRecord),
    /// A put only if the stored record is still `base`, or absent when
    /// `base` is None (see `Batch::put_over`).
    BatchPutIf {
        record: AnyRecord,
        base: Option<AnyRecord>,
    },
    /// Many puts in one request (imports); stops at the first refused.
    BatchPutAll(Vec<AnyRecord>),
    BatchRemove {
        collection: Collection,
        key: String,
    },
    BatchMarkPending,
    BatchWriteChunk,
    BatchCommit,
    BatchAbort,
    Undo(Uuid),
    LoadBegin,
    LoadRecord(AnyRecord),
    /// A history entry as JSON (its images are JSON values).
    LoadHistory(String),
    LoadFinish,
}

// One message is alive at a time; boxing the large ones would only add
// an allocation to every reply.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Answer {
    Done,
    Record(Option<AnyRecord>),
    Records {
        records: Vec<AnyRecord>,
        /// Where the next page starts; None at the end.
        next: Option<Vec<u8>>,
    },
    Bool(bool),
    Count(u64),
    Keys(Vec<String>),
    /// History entries as JSON.
    History(Vec<String>),
    Number(u32),
    BatchStarted {
        id: Uuid,
        today: jiff::civil::Date,
    },
    Summary(BatchSummary),
    Loaded(LoadSummary),
    /// The record at `index` of a `BatchPutAll` was refused; the ones
    /// before it are queued.
    Failed {
        index: u32,
        error: StoreError,
    },
}

/// What changed, as the store tells it: the wire carries the store's type.
pub use crate::store::Event;

#[allow(clippy::large_enum_variant)]
#[derive(Debug, Serialize, Deserialize)]
pub enum ServerMessage {
    Reply(Result<Answer, StoreError>),
    Event(Event),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_frame_reads_back_as_written() {
        let mut wire = Vec::new();
        write_frame(&mut wire, b"hello").expect("writes");
        assert_eq!(&wire[..4], &5u32.to_be_bytes());
        let back = read_frame(&mut wire.as_slice()).expect("reads");
        assert_eq!(back, b"hello");
    }

    #[test]
    fn a_huge_length_is_refused_before_any_allocation() {
        let wire = u32::MAX.to_be_bytes();
        match read_frame(&mut wire.as_slice()) {
            Err(FrameError::TooLarge(n)) => assert_eq!(n, u32::MAX as usize),
            other => panic!("expected TooLarge, got {other:?}"),
        }
    }

    #[test]
    fn a_cut_frame_is_an_error_not_a_hang() {
        let mut wire = Vec::new();
        write_frame(&mut wire, b"hello").expect("writes");
        wire.truncate(6);
        assert!(matches!(
            read_frame(&mut wire.as_slice()),
            Err(FrameError::Io(_))
        ));
        assert!(matches!(
            read_frame(&mut [].as_slice()),
            Err(FrameError::Closed)
        ));
    }

    #[test]
    fn hellos_carry_the_version_and_strangers_are_told_apart() {
        assert_eq!(read_hello(&hello()), Ok(PROTOCOL));
        assert!(read_hello(b"GET / HTTP/1.1\r\n").is_err());
        let mut other = MAGIC.to_vec();
        other.extend_from_slice(&7u32.to_be_bytes());
        assert_eq!(read_hello(&other), Ok(7));
    }

    #[test]
    fn requests_and_answers_round_trip() {
        let request = Request::Scan {
            collection: Collection::Members,
            sort: Some("name".into()),
            after: Some(vec![1, 2, 3]),
            skip: 4,
            limit: 500,
        };
        assert_eq!(
            decode::<Request>(&encode(&request)).expect("decodes"),
            request
        );
        let w = Welcome {
            user: "ana".into(),
            store: "/srv/store".into(),
            clients: 2,
        };
        assert_eq!(read_answer(&welcome(&w)).expect("reads"), Ok(w));
        assert_eq!(
            read_answer(&refusal("no")).expect("reads"),
            Err("no".to_string())
        );
    }
}
