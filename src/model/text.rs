//! The text rules every field shares: no control characters, no bidi controls,
//! no invisible or ambiguous-width characters, bounded sizes; and the small normalisations (codes, tags, slugs, lists).

use super::error::FieldError;

/// Longest name or title, in characters.
pub const NAME_MAX: usize = 200;
/// Longest short text (city, role, phone, ...), in characters.
pub const SHORT_MAX: usize = 200;
/// Longest summary, in characters.
pub const SUMMARY_MAX: usize = 2_000;
/// Largest Markdown body or notes, in bytes.
pub const BODY_MAX: usize = 1024 * 1024;

/// Whether a field may span lines (keeps `\n` and `\t`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lines {
    One,
    Many,
}

/// Bidi marks and embedding/override/isolate controls: they can make text
/// display in an order other than the one stored (the "Trojan Source" trick).
pub fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
    )
}

/// Characters a terminal could act on instead of display (controls, bidi
/// controls), or that show nothing or at a width terminals disagree on, so
/// that drawn as they are they leave stray cells: format characters
/// (Unicode category Cf: soft hyphen, zero-width spaces, U+FFF9-FFFB, tags,
/// ...), Hangul fillers, noncharacters, line and paragraph separators. The
/// zero-width joiner and non-joiner stay: emoji and some scripts are
/// written with them (variation selectors are marks, not Cf).
pub fn is_unsafe_char(c: char, lines: Lines) -> bool {
    kind(c, lines) == Kind::Unsafe
}

/// Most combining marks kept on one letter: more (zalgo text) pile up past
/// the line, and terminals keep different numbers of them in a cell. Real
/// writing needs two or three (Lithuanian accented letters, Vietnamese).
pub const MAX_MARKS: usize = 4;

/// A combining mark (Unicode category M).
pub fn is_mark(c: char) -> bool {
    kind(c, Lines::One) == Kind::Mark
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Safe,
    Unsafe,
    Mark,
}

/// What [`is_unsafe_char`] and [`is_mark`] say, with one look-up of the
/// character tables (none for ASCII and Latin letters): every field of
/// every imported row passes through here.
fn kind(c: char, lines: Lines) -> Kind {
    use unicode_properties::{GeneralCategory as G, UnicodeGeneralCategory};
    let unsafe_if = |bad: bool| if bad { Kind::Unsafe } else { Kind::Safe };
    if c.is_ascii() {
        let kept = lines == Lines::Many && (c == '\n' || c == '\t');
        return unsafe_if(c.is_ascii_control() && !kept);
    }
    // Latin-1 and Latin Extended (Lithuanian, Polish): no mark, and the
    // soft hyphen the only format character.
    if c < '\u{0300}' {
        return unsafe_if(c.is_control() || c == '\u{AD}');
    }
    match c {
        '\u{200C}' | '\u{200D}' => Kind::Safe,
        '\u{115F}' | '\u{1160}' | '\u{3164}' | '\u{FFA0}' => Kind::Unsafe,
        '\u{2028}' | '\u{2029}' => Kind::Unsafe,
        '\u{FDD0}'..='\u{FDEF}' => Kind::Unsafe,
        c if (c as u32) & 0xFFFE == 0xFFFE => Kind::Unsafe,
        // The whole tag block, its unassigned points too.
        '\u{E0000}'..='\u{E007F}' => Kind::Unsafe,
        c => match c.general_category() {
            G::Format | G::Control => Kind::Unsafe,
            G::NonspacingMark | G::SpacingMark | G::EnclosingMark => Kind::Mark,
            _ => Kind::Safe,
        },
    }
}

/// Each character of `text` with whether it may not be shown as it is: an
/// unsafe character (see [`is_unsafe_char`]), or a combining mark past
/// [`MAX_MARKS`] on one letter. The one judgement behind the text rules on
/// the way in, the screen's `display::sanitize` and messages'
/// `display::escape`.
pub fn judged(text: &str, lines: Lines) -> impl Iterator<Item = (char, bool)> + '_ {
    let mut marks = 0usize;
    text.chars().map(move |c| match kind(c, lines) {
        Kind::Mark => {
            marks += 1;
            (c, marks > MAX_MARKS)
        }
        other => {
            marks = 0;
            (c, other == Kind::Unsafe)
        }
    })
}

fn describe(c: char) -> String {
    let code = c as u32;
    match c {
        '\u{1b}' => "an escape character (U+001B)".to_string(),
        '\n' => "a line break".to_string(),
        '\t' => "a tab".to_string(),
        c if is_bidi_control(c) => format!("a bidi control character (U+{code:04X})"),
        c if c.is_control() => format!("a control character (U+{code:04X})"),
        c if is_mark(c) => format!("more than {MAX_MARKS} combining marks on one letter"),
        _ => format!("an invisible or ambiguous-width character (U+{code:04X})"),
    }
}

/// Checks that `value` has no character [`judged`] unsafe.
pub fn check_chars(field: &str, value: &str, lines: Lines) -> Result<(), FieldError> {
    match judged(value, lines).enumerate().find(|&(_, (_, bad))| bad) {
        Some((pos, (c, _))) => Err(FieldError::new(
            field,
            format!("contains {} at character {}", describe(c), pos + 1),
        )),
        None => Ok(()),
    }
}

/// Checks the shared text rules and returns the text trimmed of surrounding
/// blanks (multi-line text keeps its inner layout, loses trailing blanks).
pub fn clean(
    field: &str,
    value: &str,
    lines: Lines,
    max_chars: usize,
) -> Result<String, FieldError> {
    // \r\n from Windows editors and files becomes \n before checking.
    let value = if lines == Lines::Many && value.contains('\r') {
        value.replace("\r\n", "\n")
    } else {
        value.to_string()
    };
    check_chars(field, &value, lines)?;
    let trimmed = match lines {
        Lines::One => value.trim(),
        Lines::Many => value.trim_end(),
    };
    if lines == Lines::Many {
        if trimmed.len() > BODY_MAX {
            return Err(FieldError::new(
                field,
                format!(
                    "is {} bytes, more than the {} allowed",
                    trimmed.len(),
                    BODY_MAX
                ),
            ));
        }
    } else {
        let n = trimmed.chars().count();
        if n > max_chars {
            return Err(FieldError::new(
                field,
                format!("is {n} characters long, more than the {max_chars} allowed"),
            ));
        }
    }
    Ok(trimmed.to_string())
}

/// Splits a list cell: items separated by `,` or `;`, blanks dropped.
pub fn split_list(value: &str) -> Vec<String> {
    value
        .split([',', ';'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// Splits a list of free text (decisions): items separated by `;` or line
/// breaks, since the text itself may hold commas.
pub fn split_text_list(value: &str) -> Vec<String> {
    value
        .split([';', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// A member code: 1-32 of A-Z, 0-9 and `-`, stored upper-case.
pub fn member_code(field: &str, value: &str) -> Result<String, FieldError> {
    let code = value.trim().to_ascii_uppercase();
    if code.is_empty() {
        return Err(FieldError::new(field, "is required"));
    }
    if code.len() > 32
        || !code
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-')
    {
        return Err(FieldError::new(
            field,
            format!(
                "\"{}\" is not a member code (1-32 of A-Z, 0-9 and -)",
                sanitize_for_message(value)
            ),
        ));
    }
    Ok(code)
}

/// A tag folded to lower-case kebab: `Smart City` -> `smart-city`.
pub fn tag(field: &str, value: &str) -> Result<String, FieldError> {
    // Folding would turn control and bidi characters into dashes; refuse them instead.
    let folded = kebab(&clean(field, value, Lines::One, usize::MAX)?);
    if folded.is_empty() {
        return Err(FieldError::new(
            field,
            format!(
                "\"{}\" has no letters or digits to make a tag of",
                sanitize_for_message(value)
            ),
        ));
    }
    if folded.chars().count() > 64 {
        return Err(FieldError::new(
            field,
            format!("tag {folded:?} is longer than 64 characters"),
        ));
    }
    Ok(folded)
}

/// Tags folded, deduplicated, in the order given.
pub fn tags(field: &str, items: &[String]) -> Result<Vec<String>, FieldError> {
    let mut out: Vec<String> = Vec::with_capacity(items.len());
    for item in items {
        let t = tag(field, item)?;
        if !out.contains(&t) {
            out.push(t);
        }
    }
    Ok(out)
}

/// Member codes, upper-cased and deduplicated, in the order given.
pub fn member_codes(field: &str, items: &[String]) -> Result<Vec<String>, FieldError> {
    let mut out: Vec<String> = Vec::with_capacity(items.len());
    for item in items {
        let c = member_code(field, item)?;
        if !out.contains(&c) {
            out.push(c);
        }
    }
    Ok(out)
}

/// Lithuanian (and neighbouring) letters to ASCII, for slugs and sort keys.
fn transliterate(c: char) -> Option<&'static str> {
    Some(match c {
        'ą' | 'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' => "a",
        'č' | 'ć' | 'ç' => "c",
        'ę' | 'ė' | 'è' | 'é' | 'ê' | 'ë' | 'ē' => "e",
        'į' | 'ì' | 'í' | 'î' | 'ï' | 'ī' => "i",
        'š' | 'ś' => "s",
        'ų' | 'ū' | 'ù' | 'ú' | 'û' | 'ü' => "u",
        'ž' | 'ź' | 'ż' => "z",
        'ł' => "l",
        'ń' | 'ñ' | 'ņ' => "n",
        'ó' | 'ò' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' => "o",
        'ģ' => "g",
        'ķ' => "k",
        'ļ' => "l",
        'ŗ' => "r",
        'ý' | 'ÿ' => "y",
        'ß' => "ss",
        _ => return None,
    })
}

/// Lower-case ASCII words joined by `-`; other characters separate words.
pub fn kebab(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut pending_dash = false;
    for c in value.chars().flat_map(char::to_lowercase) {
        let ascii = c.is_ascii_alphanumeric();
        let piece = if ascii { None } else { transliterate(c) };
        if !ascii && piece.is_none() {
            pending_dash = true;
            continue;
        }
        if pending_dash && !out.is_empty() {
            out.push('-');
        }
        pending_dash = false;
        match piece {
            Some(p) => out.push_str(p),
            None => out.push(c),
        }
    }
    out
}

/// Longest slug, in characters.
pub const SLUG_MAX: usize = 100;

/// A slug derived from a title: `Klasterio renginys Šiauliuose` ->
/// `klasterio-renginys-siauliuose`, cut at a word boundary.
pub fn slugify(title: &str) -> String {
    let mut slug = kebab(title);
    if slug.len() > SLUG_MAX {
        let cut = slug[..SLUG_MAX].rfind('-').unwrap_or(SLUG_MAX);
        slug.truncate(cut);
    }
    slug
}

/// A slug given by the user: lower-case a-z, 0-9 and `-`.
pub fn slug(field: &str, value: &str) -> Result<String, FieldError> {
    let s = value.trim();
    if s.is_empty() {
        return Err(FieldError::new(field, "is required"));
    }
    let valid = s.len() <= SLUG_MAX
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !s.starts_with('-')
        && !s.ends_with('-');
    if !valid {
        return Err(FieldError::new(
            field,
            format!(
                "\"{}\" is not a slug (1-{SLUG_MAX} of a-z, 0-9 and -, e.g. {:?})",
                sanitize_for_message(s),
                slugify(s)
            ),
        ));
    }
    Ok(s.to_string())
}

/// An email: one `@` with text on both sides and no spaces.
pub fn email(field: &str, value: &str) -> Result<String, FieldError> {
    let v = clean(field, value, Lines::One, 254)?;
    let ok = v.matches('@').count() == 1
        && !v.chars().any(char::is_whitespace)
        && v.split('@').all(|part| !part.is_empty());
    if !ok {
        return Err(FieldError::new(
            field,
            format!("{v:?} is not an email address (one @, no spaces, e.g. info@example.lt)"),
        ));
    }
    Ok(v)
}

/// A website: an http(s) address with a host.
pub fn website(field: &str, value: &str) -> Result<String, FieldError> {
    let v = clean(field, value, Lines::One, 2_000)?;
    let lower = v.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"));
    let ok = match rest {
        Some(rest) => {
            let host = rest.split(['/', '?', '#']).next().unwrap_or("");
            !host.is_empty() && !v.chars().any(char::is_whitespace)
        }
        None => false,
    };
    if !ok {
        return Err(FieldError::new(
            field,
            format!("{v:?} is not a website (expected http:// or https:// and a host)"),
        ));
    }
    Ok(v)
}

/// ISO 3166-1 alpha-2 codes, officially assigned.
const COUNTRIES: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ \
BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ \
CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ \
DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR \
GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY \
HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP \
KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY \
MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ \
NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY \
QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ \
TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ \
VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

/// A country as ISO 3166-1 alpha-2, stored upper-case.
pub fn country(field: &str, value: &str) -> Result<String, FieldError> {
    let v = value.trim().to_ascii_uppercase();
    // Every code in COUNTRIES is two letters and a space: compare bytes
    // (an import checks this once a row).
    if v.len() == 2
        && COUNTRIES
            .as_bytes()
            .chunks(3)
            .any(|c| &c[..2] == v.as_bytes())
    {
        return Ok(v);
    }
    Err(FieldError::new(
        field,
        format!(
            "\"{}\" is not an ISO 3166 two-letter country code (e.g. LT, LV, PL, DE)",
            sanitize_for_message(value)
        ),
    ))
}

/// Text safe to quote back in an error message: one line, at most 80
/// characters, unsafe ones shown as `\u{1b}` (see `display::escape_line`).
pub fn sanitize_for_message(value: &str) -> String {
    let head: String = value.chars().take(80).collect();
    let mut out = crate::display::escape_line(&head).into_owned();
    if value.chars().count() > 80 {
        out.push('…');
    }
    out
}

/// One character folded for search: lower case, Lithuanian and neighbouring
/// letters as their ASCII base (`Š` -> `s`), one character for one (`ß` -> `s`),
/// so positions in folded text are positions in the original.
pub fn fold_char(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    let lower = c.to_lowercase().next().unwrap_or(c);
    match transliterate(lower) {
        Some(p) => p.chars().next().unwrap_or(lower),
        None => lower,
    }
}

/// Lower case with Lithuanian and Polish letters as their ASCII base, one
/// character for one, so match positions in the folded text are positions
/// in the original (what search matches against).
pub fn fold(text: &str) -> String {
    text.chars().map(fold_char).collect()
}

/// A key for sorting by name: folded the way slugs are, so `Šilas` sorts among `S`.
pub fn sort_fold(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars().flat_map(char::to_lowercase) {
        match transliterate(c) {
            Some(p) => out.push_str(p),
            None => out.push(c),
        }
    }
    out
}
