//! All encoding of stored values, in one place, so a change of format touches one file.
//!
//! Every value is wrapped in [`Envelope`], an enum with one variant per schema
//! version. Variants are only ever appended: when a record's shape changes, its
//! old shape is frozen here as a `...V1` struct, a `V2` variant is added, and
//! [`decode`] upgrades `V1` values as it reads them. The golden-byte tests in
//! `tests/suite/codec_golden.rs` fail if the bytes of an existing version change.

use serde::{Deserialize, Serialize, de::DeserializeOwned};

/// The schema version this build writes (kept in the `meta` tree).
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize, Deserialize)]
enum Envelope<T> {
    V1(T),
}

/// Largest encoded value. Decoding claims at most 16 bytes (a u128) per byte
/// read, so every value `encode` accepts decodes within [`DECODE_LIMIT`].
const MAX_VALUE_BYTES: usize = 32 * 1024 * 1024;
/// Bound on what one decode may claim: damaged bytes announcing a huge length
/// are an error, not an allocation that aborts the process.
const DECODE_LIMIT: usize = 16 * MAX_VALUE_BYTES;

fn config() -> bincode::config::Configuration {
    bincode::config::standard()
}

/// Encodes a value in the current schema version.
pub fn encode<T: Serialize>(value: &T) -> Result<Vec<u8>, String> {
    let bytes =
        bincode::serde::encode_to_vec(Envelope::V1(value), config()).map_err(|e| e.to_string())?;
    if bytes.len() > MAX_VALUE_BYTES {
        return Err(format!(
            "a value of {} bytes is more than the {MAX_VALUE_BYTES} a stored value may take",
            bytes.len()
        ));
    }
    Ok(bytes)
}

/// Decodes a value of any known schema version, upgrading it to the current one.
pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, String> {
    // The limit only checks while decoding; it does not change the format.
    let config = config().with_limit::<DECODE_LIMIT>();
    let (envelope, used): (Envelope<T>, usize) =
        bincode::serde::decode_from_slice(bytes, config).map_err(|e| e.to_string())?;
    if used != bytes.len() {
        return Err(format!(
            "{} bytes left over after the value",
            bytes.len() - used
        ));
    }
    match envelope {
        Envelope::V1(value) => Ok(value),
    }
}
