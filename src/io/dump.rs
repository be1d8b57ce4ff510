//! The dump format: a whole store as JSON Lines a person can read, one
//! tagged object a line, in an order a load can follow:
//!
//! ```text
//! {"dump":{"format":"clusterdesk-dump","version":1,"schema_version":1,"written":"…","by":"…"}}
//! {"member":{…}}      every member, then indicators, news and meetings
//! {"history":{…}}     every history entry, oldest batch first
//! {"end":{"records":N,"history":M}}
//! ```
//!
//! The `end` line tells a whole dump from a cut one.

use std::io::{self, Write};

use serde::{Deserialize, Serialize};

use crate::model::text::sanitize_for_message;
use crate::model::{AnyRecord, Indicator, Meeting, Member, NewsItem};
use crate::store::HistoryEntry;

pub const FORMAT: &str = "clusterdesk-dump";
/// The version of this file format (not of the store's schema).
pub const VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Header {
    pub format: String,
    pub version: u32,
    pub schema_version: u32,
    pub written: jiff::Timestamp,
    pub by: String,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Counts {
    pub records: usize,
    pub history: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Line {
    Dump(Header),
    Member(Member),
    Indicator(Indicator),
    News(NewsItem),
    Meeting(Meeting),
    History(HistoryEntry),
    End(Counts),
}

impl Line {
    /// The line of a record: tagged with its collection's record name.
    pub fn of(record: AnyRecord) -> Line {
        match record {
            AnyRecord::Member(r) => Line::Member(r),
            AnyRecord::Indicator(r) => Line::Indicator(r),
            AnyRecord::News(r) => Line::News(r),
            AnyRecord::Meeting(r) => Line::Meeting(r),
        }
    }

    /// The record a line holds, or the line itself when it holds none.
    pub fn into_record(self) -> Held {
        match self {
            Line::Member(r) => Held::Record(AnyRecord::Member(r)),
            Line::Indicator(r) => Held::Record(AnyRecord::Indicator(r)),
            Line::News(r) => Held::Record(AnyRecord::News(r)),
            Line::Meeting(r) => Held::Record(AnyRecord::Meeting(r)),
            other => Held::Other(other),
        }
    }
}

/// What a line holds: a record of any collection, or another line.
pub enum Held {
    Record(AnyRecord),
    Other(Line),
}

pub fn write_line(out: &mut dyn Write, line: &Line) -> io::Result<()> {
    serde_json::to_writer(&mut *out, line)?;
    out.write_all(b"\n")
}

/// Reads one line; the error says what is wrong with it, without the place
/// (the caller knows the file and line), made safe for a terminal. A key
/// repeated in any object of the line is refused first: typed parsing would
/// keep the last of it silently (in a history image, or an unknown key).
pub fn parse_line(text: &str) -> Result<Line, String> {
    if let Err(e) = crate::io::read::unique_keys::check(text) {
        // Already escaped, and whole: a long key must not cut off the
        // "appears twice" of the message.
        return Err(without_place(&e));
    }
    serde_json::from_str(text).map_err(|e| sanitize_for_message(&without_place(&e)))
}

/// serde_json's message without its "at line L column C": the line is the
/// caller's.
fn without_place(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rsplit_once(" at line ") {
        Some((what, _)) => what.to_string(),
        None => text,
    }
}
