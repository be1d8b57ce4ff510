//! The one path from record text to a terminal. Stored text is validated on
//! the way in, but a terminal must never receive an escape sequence even from
//! a store written by an older or broken build, so everything shown to a
//! person passes through [`sanitize`], and every message that can quote
//! user input (keys, paths, lines of a file, clap's errors) through
//! [`escape`]: one judgement of what is unsafe, two renderings.

use std::borrow::Cow;

use unicode_width::UnicodeWidthStr;

use crate::model::text::{Lines, judged};

/// Replaces control characters, bidi controls, invisible and
/// ambiguous-width characters and combining marks past a few on one letter
/// (see `model::text::judged`) with U+FFFD; keeps `\n` and `\t` when the
/// text may span lines.
pub fn sanitize(text: &str, lines: Lines) -> Cow<'_, str> {
    if !judged(text, lines).any(|(_, bad)| bad) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        judged(text, lines)
            .map(|(c, bad)| if bad { '\u{FFFD}' } else { c })
            .collect(),
    )
}

/// A message for stderr: what [`sanitize`] replaces shown instead as a
/// visible escape (`\u{1b}`), so the reader sees what was there and the
/// terminal gets none of it; line breaks kept, tabs escaped too.
pub fn escape(text: &str) -> Cow<'_, str> {
    escape_with(text, true)
}

/// [`escape`] for a value quoted inside one line: line breaks escaped too.
pub fn escape_line(text: &str) -> Cow<'_, str> {
    escape_with(text, false)
}

fn escape_with(text: &str, keep_newline: bool) -> Cow<'_, str> {
    let bad = |(c, bad): (char, bool)| bad && !(keep_newline && c == '\n');
    if !judged(text, Lines::One).any(bad) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for (c, judged_bad) in judged(text, Lines::One) {
        if bad((c, judged_bad)) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
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
