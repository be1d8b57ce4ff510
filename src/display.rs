//! The one path from record text to a terminal. Stored text is validated on
//! the way in, but a terminal must never receive an escape sequence even from
//! a store written by an older or broken build, so everything shown to a
//! person passes through [`sanitize`].

use std::borrow::Cow;

use unicode_width::UnicodeWidthStr;

use crate::model::text::{Lines, is_unsafe_char};

/// Characters terminals and `unicode-width` disagree about (line and
/// paragraph separators, zero-width spaces, soft hyphens, tag characters):
/// drawn as they are, they leave stale glyphs behind. Joiners and variation
/// selectors stay: emoji are made of them.
fn is_ambiguous(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{200B}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{2060}'..='\u{2064}'
            | '\u{FEFF}'
            | '\u{E0000}'..='\u{E007F}'
    )
}

/// Replaces control characters, bidi controls and characters of disputed
/// width with U+FFFD; keeps `\n` and `\t` when the text may span lines.
pub fn sanitize(text: &str, lines: Lines) -> Cow<'_, str> {
    let replace = |c: char| is_unsafe_char(c, lines) || is_ambiguous(c);
    if !text.chars().any(replace) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| if replace(c) { '\u{FFFD}' } else { c })
            .collect(),
    )
}

/// One line for a table cell: safe, line breaks shown as `⏎`.
pub fn cell(text: &str) -> String {
    sanitize(&text.replace('\n', " ⏎ ").replace('\t', " "), Lines::One).into_owned()
}

/// Columns the text takes on a terminal (CJK and emoji are two).
pub fn width(text: &str) -> usize {
    UnicodeWidthStr::width(text)
}

/// Cuts text to at most `max` columns, ending with `…` when cut.
pub fn truncate(text: &str, max: usize) -> Cow<'_, str> {
    if width(text) <= max {
        return Cow::Borrowed(text);
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w + 1 > max {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    Cow::Owned(out)
}

/// Pads text with spaces to `columns` terminal columns.
pub fn pad(text: &str, columns: usize) -> String {
    let mut out = text.to_string();
    for _ in width(text)..columns {
        out.push(' ');
    }
    out
}
