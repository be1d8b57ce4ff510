//! A keymap file as TOML gives it, before any rule is checked: every key and
//! value keeps its byte span, and unknown names are kept (not refused) so that
//! one pass can report all of a file's problems with their lines.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use toml::Spanned;

/// The whole file: `base = "..."` and one table per mode.
#[derive(Debug, Default)]
pub(super) struct RawFile {
    pub base: Option<Spanned<toml::Value>>,
    /// Every other top-level name in file order, with its value (a mode's
    /// table; the name is checked against the modes later).
    pub sections: Vec<(Spanned<String>, Spanned<RawSection>)>,
}

/// One `[mode]` table: its lists (`keymap`, `prepend_keymap`,
/// `append_keymap`, or anything else, refused later).
#[derive(Debug, Default)]
pub(super) struct RawSection {
    pub lists: Vec<(Spanned<String>, Vec<Spanned<RawEntry>>)>,
    /// Names whose value is not a list, with what it is instead.
    pub not_lists: Vec<(Spanned<String>, &'static str)>,
    /// What the value was when it was not a table (`[normal]` written as
    /// `normal = 3`).
    pub not_table: Option<&'static str>,
}

/// One `{ on = ..., run = ..., desc = ... }`.
#[derive(Debug, Default)]
pub(super) struct RawEntry {
    pub on: Option<Spanned<RawOn>>,
    pub run: Option<Spanned<toml::Value>>,
    pub desc: Option<Spanned<toml::Value>>,
    pub unknown: Vec<Spanned<String>>,
    /// What the value was when it was not a table (`keymap = ["j"]`).
    pub not_table: Option<&'static str>,
}

/// `on = "j"` or `on = ["g", "g"]`, or something else (named for the message).
#[derive(Debug)]
pub(super) enum RawOn {
    One(String),
    Many(Vec<Spanned<toml::Value>>),
    Other(&'static str),
}

/// Visitor methods for the values a visitor does not want: each gives
/// `$other(kind)`, where kind names the value for a message.
macro_rules! other_values {
    ($value:ty, $other:expr) => {
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<$value, E> {
            Ok($other("a boolean"))
        }
        fn visit_i64<E: de::Error>(self, _: i64) -> Result<$value, E> {
            Ok($other("a number"))
        }
        fn visit_u64<E: de::Error>(self, _: u64) -> Result<$value, E> {
            Ok($other("a number"))
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<$value, E> {
            Ok($other("a number"))
        }
    };
}

macro_rules! other_str {
    ($value:ty, $other:expr) => {
        fn visit_str<E: de::Error>(self, _: &str) -> Result<$value, E> {
            Ok($other("a string"))
        }
    };
}

macro_rules! other_seq {
    ($value:ty, $other:expr) => {
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<$value, A::Error> {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            Ok($other("a list"))
        }
    };
}

macro_rules! other_map {
    ($value:ty, $other:expr) => {
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<$value, A::Error> {
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            Ok($other("a table"))
        }
    };
}

impl<'de> Deserialize<'de> for RawFile {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawFile;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a keymap: `base` and a table per mode")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawFile, A::Error> {
                let mut file = RawFile::default();
                while let Some(name) = map.next_key::<Spanned<String>>()? {
                    if name.get_ref() == "base" {
                        file.base = Some(map.next_value()?);
                    } else {
                        file.sections.push((name, map.next_value()?));
                    }
                }
                Ok(file)
            }
        }
        deserializer.deserialize_map(V)
    }
}

fn section_not(kind: &'static str) -> RawSection {
    RawSection {
        not_table: Some(kind),
        ..RawSection::default()
    }
}

impl<'de> Deserialize<'de> for RawSection {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawSection;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a table of keymap lists")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawSection, A::Error> {
                let mut section = RawSection::default();
                while let Some(name) = map.next_key::<Spanned<String>>()? {
                    match map.next_value::<MaybeList<Spanned<RawEntry>>>()? {
                        MaybeList::List(entries) => section.lists.push((name, entries)),
                        MaybeList::Not(kind) => section.not_lists.push((name, kind)),
                    }
                }
                Ok(section)
            }
            other_values!(RawSection, section_not);
            other_str!(RawSection, section_not);
            other_seq!(RawSection, section_not);
        }
        deserializer.deserialize_any(V)
    }
}

fn entry_not(kind: &'static str) -> RawEntry {
    RawEntry {
        not_table: Some(kind),
        ..RawEntry::default()
    }
}

impl<'de> Deserialize<'de> for RawEntry {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawEntry;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a binding: { on = [...], run = \"...\", desc = \"...\" }")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawEntry, A::Error> {
                let mut entry = RawEntry::default();
                while let Some(name) = map.next_key::<Spanned<String>>()? {
                    match name.get_ref().as_str() {
                        "on" => entry.on = Some(map.next_value()?),
                        "run" => entry.run = Some(map.next_value()?),
                        "desc" => entry.desc = Some(map.next_value()?),
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                            entry.unknown.push(name);
                        }
                    }
                }
                Ok(entry)
            }
            other_values!(RawEntry, entry_not);
            other_str!(RawEntry, entry_not);
            other_seq!(RawEntry, entry_not);
        }
        deserializer.deserialize_any(V)
    }
}

impl<'de> Deserialize<'de> for RawOn {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawOn;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a key or a list of keys")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawOn, E> {
                Ok(RawOn::One(v.to_string()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawOn, A::Error> {
                let mut keys = Vec::new();
                while let Some(key) = seq.next_element()? {
                    keys.push(key);
                }
                Ok(RawOn::Many(keys))
            }
            other_values!(RawOn, RawOn::Other);
            other_map!(RawOn, RawOn::Other);
        }
        deserializer.deserialize_any(V)
    }
}

/// A value that should be a list; anything else is named for the message.
enum MaybeList<T> {
    List(Vec<T>),
    Not(&'static str),
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for MaybeList<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ListVisitor(PhantomData))
    }
}

struct ListVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for ListVisitor<T> {
    type Value = MaybeList<T>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<MaybeList<T>, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(MaybeList::List(items))
    }
    other_values!(MaybeList<T>, MaybeList::Not);
    other_str!(MaybeList<T>, MaybeList::Not);
    other_map!(MaybeList<T>, MaybeList::Not);
}
