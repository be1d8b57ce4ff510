//! Bytes -> text. Without `--encoding` a file must be UTF-8 (a BOM is
//! dropped); a bad byte is refused with its line and a hint, never replaced.
//! With one, encoding_rs decodes it (a BOM in the file wins over the label).

use std::borrow::Cow;

use encoding_rs::{DecoderResult, Encoding, ISO_8859_13, UTF_8, WINDOWS_1257};

use super::ReadError;

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";
const HINT: &str = "if this is an old Baltic Excel export, try --encoding windows-1257";

/// An `--encoding` value: `windows-1257`, `iso-8859-13` or `utf-8`, in any case.
pub fn encoding_by_label(label: &str) -> Option<&'static Encoding> {
    let label = label.trim();
    [WINDOWS_1257, ISO_8859_13, UTF_8]
        .into_iter()
        .find(|e| e.name().eq_ignore_ascii_case(label))
}

/// The text of `bytes`, borrowed when they are UTF-8 already.
pub(super) fn decode<'a>(
    file: &str,
    bytes: &'a [u8],
    encoding: Option<&'static Encoding>,
) -> Result<Cow<'a, str>, ReadError> {
    refuse_binary(file, bytes)?;
    match encoding {
        None => utf8(file, bytes).map(Cow::Borrowed),
        Some(e) if e == UTF_8 => utf8(file, bytes).map(Cow::Borrowed),
        Some(e) => legacy(file, bytes, e).map(Cow::Owned),
    }
}

/// Files that are not text at all get a message that says what they are.
fn refuse_binary(file: &str, bytes: &[u8]) -> Result<(), ReadError> {
    let what = if bytes.starts_with(b"PK\x03\x04") {
        "an Excel workbook (.xlsx) or another zip file"
    } else if bytes.starts_with(b"\xD0\xCF\x11\xE0") {
        "an old Excel workbook (.xls)"
    } else {
        return Ok(());
    };
    Err(ReadError::whole(
        file,
        format!("this is {what}, not text; save it as \"CSV UTF-8\" first"),
    ))
}

fn utf8<'a>(file: &str, bytes: &'a [u8]) -> Result<&'a str, ReadError> {
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Err(ReadError::whole(
            file,
            "this is UTF-16 text (it starts with a UTF-16 byte order mark); \
             save it as \"CSV UTF-8\" or convert it with iconv -f UTF-16 -t UTF-8",
        ));
    }
    let body = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
    std::str::from_utf8(body).map_err(|e| {
        let at = bytes.len() - body.len() + e.valid_up_to();
        let byte = bytes.get(at).copied().unwrap_or_default();
        ReadError::at(
            file,
            line_of(bytes, at),
            format!("not valid UTF-8 (byte 0x{byte:02X}); {HINT}"),
        )
    })
}

fn legacy(file: &str, bytes: &[u8], encoding: &'static Encoding) -> Result<String, ReadError> {
    let mut decoder = encoding.new_decoder();
    let room = |d: &encoding_rs::Decoder, n: usize| {
        d.max_utf8_buffer_length_without_replacement(n)
            .unwrap_or(n.saturating_mul(3))
    };
    let mut out = String::with_capacity(room(&decoder, bytes.len()));
    let mut done = 0;
    loop {
        let (result, read) =
            decoder.decode_to_string_without_replacement(&bytes[done..], &mut out, true);
        done += read;
        match result {
            DecoderResult::InputEmpty => return Ok(out),
            DecoderResult::OutputFull => {
                let more = room(&decoder, bytes.len() - done).max(4);
                out.reserve(more);
            }
            DecoderResult::Malformed(bad, after) => {
                let at = done.saturating_sub(usize::from(bad) + usize::from(after));
                let byte = bytes.get(at).copied().unwrap_or_default();
                return Err(ReadError::at(
                    file,
                    line_of(bytes, at),
                    format!(
                        "byte 0x{byte:02X} is not a {} character; is --encoding right?",
                        decoder.encoding().name()
                    ),
                ));
            }
        }
    }
}

/// The 1-based line of byte `at`.
fn line_of(bytes: &[u8], at: usize) -> usize {
    super::line_ends(bytes, 0, at.min(bytes.len())) + 1
}
