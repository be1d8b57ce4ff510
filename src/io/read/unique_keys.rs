//! JSON whose objects repeat no key, at any depth. serde_json keeps the last
//! of a repeated key and says nothing, so `{"code":"LT1","code":"LT2"}` would
//! import LT2 although nobody can tell which the file meant. Here each
//! object's keys are checked as they are read, one hash look-up each (the
//! object being built is an `IndexMap`, or a set of the keys met when only
//! checking), so an object of a million keys is still read in linear time.
//!
//! The error is a serde_json data error (`Category::Data`) whose message
//! quotes the key through the message escaper; serde_json adds the line and
//! column where the key ends.

use std::borrow::Cow;
use std::collections::HashSet;
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

/// One JSON value as [`serde_json::from_str`] gives it, but refusing a key
/// that appears twice in one object.
pub fn from_str(text: &str) -> serde_json::Result<Value> {
    serde_json::from_str::<Unique>(text).map(|u| u.0)
}

/// Whether `text` is one JSON value whose objects repeat no key; nothing is
/// built. For typed parsing (dump lines), which would otherwise keep the last
/// of a repeated key in a map or a `Value`, and ignore a repeated unknown one.
pub fn check(text: &str) -> serde_json::Result<()> {
    let mut de = serde_json::Deserializer::from_str(text);
    Walked::deserialize(&mut de)?;
    de.end()
}

/// The message of the error.
fn twice<E: de::Error>(key: &str) -> E {
    E::custom(format_args!(
        "the key {} appears twice in one object",
        super::quoted(key)
    ))
}

/// A value read with every object's keys unique (for streams of values:
/// `Deserializer::into_iter::<Unique>()`).
#[derive(Debug, Clone, PartialEq)]
pub struct Unique(pub Value);

impl<'de> Deserialize<'de> for Unique {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(Build).map(Unique)
    }
}

/// Builds a `Value` as serde_json's own visitor does.
struct Build;

impl<'de> Visitor<'de> for Build {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(Build)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(Unique(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        let mut map = Map::new();
        while let Some(key) = access.next_key::<String>()? {
            // Before the value is read, so the error points at the key.
            if map.contains_key(&key) {
                return Err(twice(&key));
            }
            let Unique(value) = access.next_value()?;
            map.insert(key, value);
        }
        Ok(Value::Object(map))
    }
}

/// A value walked, nothing kept but each object's keys while it is read.
struct Walked;

impl<'de> Deserialize<'de> for Walked {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(Walk).map(|()| Walked)
    }
}

struct Walk;

impl<'de> Visitor<'de> for Walk {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Ok(())
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Ok(())
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Ok(())
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Ok(())
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(Walk)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element::<Walked>()?.is_some() {}
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<(), A::Error> {
        let mut keys: HashSet<Cow<'de, str>> = HashSet::new();
        while let Some(Key(key)) = access.next_key()? {
            if keys.contains(&key) {
                return Err(twice(&key));
            }
            keys.insert(key);
            access.next_value::<Walked>()?;
        }
        Ok(())
    }
}

/// An object's key, borrowed from the text when it has no escapes.
struct Key<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(V)
    }
}

#[cfg(test)]
mod tests {
    use super::{check, from_str};

    #[test]
    fn same_values_as_serde_json_when_keys_are_unique() {
        let text =
            r#"{"a":[1,-2,3.5,1e300,null,true,"x\u00e9"],"b":{"c":{}},"d":18446744073709551615}"#;
        let ours = from_str(text).unwrap();
        let theirs: serde_json::Value = serde_json::from_str(text).unwrap();
        assert_eq!(ours, theirs);
        assert!(check(text).is_ok());
    }

    #[test]
    fn a_repeated_key_is_refused_at_any_depth_with_its_place() {
        for text in [
            "{\"a\":1,\"a\":2}",
            "{\"x\":[{\"y\":{\"a\":1,\"b\":2,\n\"a\":3}}]}",
            // The same key after an escape is the same key.
            "{\"a\":1,\"\\u0061\":2}",
        ] {
            for e in [from_str(text).unwrap_err(), check(text).unwrap_err()] {
                assert_eq!(e.classify(), serde_json::error::Category::Data, "{text}");
                assert!(
                    e.to_string()
                        .starts_with("the key \"a\" appears twice in one object at line "),
                    "{e}"
                );
            }
        }
        let e = from_str("{\"x\":[{\"y\":{\"a\":1,\"b\":2,\n\"a\":3}}]}").unwrap_err();
        assert_eq!((e.line(), e.column()), (2, 3));
        // Keys equal in another case are different keys.
        assert!(from_str("{\"a\":1,\"A\":2}").is_ok());
        // The key is escaped for the terminal.
        let e = check("{\"\\u001b[2J\":1,\"\\u001b[2J\":2}").unwrap_err();
        assert!(!e.to_string().contains('\u{1b}'), "{e}");
    }

    #[test]
    fn deep_nesting_stops_at_serde_jsons_limit_without_overflowing() {
        // On a thread's default stack, as the import's reading thread.
        std::thread::spawn(|| {
            let deep = format!("{}{}", "[".repeat(120), "]".repeat(120));
            assert!(from_str(&deep).is_ok());
            assert!(check(&deep).is_ok());
            let deeper = format!("{}{}", "[{\"a\":".repeat(5000), "}]".repeat(5000));
            assert!(from_str(&deeper).is_err());
            assert!(check(&deeper).is_err());
        })
        .join()
        .unwrap();
    }
}
