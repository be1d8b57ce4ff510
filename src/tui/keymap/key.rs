//! One key press, normalized, and its notation: `j`, `G`, `?`, `<C-w>`,
//! `<A-x>`, `<S-Tab>`, `<Esc>`, `<F1>`, `<C-S-Up>`.
//!
//! A key read from the terminal and a key written in a keymap file meet as the
//! same [`Key`], so the rules live in one place ([`Key::new`]):
//! - shift is folded into a character (`G`, not `<S-g>`): an event of
//!   `Char('G')` with SHIFT, or `Char('g')` with SHIFT, is the key `G`;
//! - a control character is lower case (`<C-W>` is `<C-w>`): terminals send the
//!   same byte for both;
//! - `BackTab` is `<S-Tab>`; META counts as Alt; Super and Hyper are dropped.

use std::fmt;
use std::str::FromStr;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// A key press as the keymap sees it: a code and Ctrl/Alt/Shift.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    code: KeyCode,
    modifiers: KeyModifiers,
}

/// Named keys: the notation's spelling first, then accepted aliases
/// (matched without regard to case).
const NAMES: &[(KeyCode, &[&str])] = &[
    (KeyCode::Esc, &["Esc", "Escape"]),
    (KeyCode::Enter, &["Enter", "CR", "Return"]),
    (KeyCode::Tab, &["Tab"]),
    (KeyCode::Backspace, &["Backspace", "BS"]),
    (KeyCode::Char(' '), &["Space"]),
    (KeyCode::Up, &["Up"]),
    (KeyCode::Down, &["Down"]),
    (KeyCode::Left, &["Left"]),
    (KeyCode::Right, &["Right"]),
    (KeyCode::Home, &["Home"]),
    (KeyCode::End, &["End"]),
    (KeyCode::PageUp, &["PageUp", "PgUp"]),
    (KeyCode::PageDown, &["PageDown", "PgDn", "PgDown"]),
    (KeyCode::Insert, &["Insert", "Ins"]),
    (KeyCode::Delete, &["Delete", "Del"]),
    (WHEEL_DOWN, &["ScrollDown", "WheelDown"]),
    (WHEEL_UP, &["ScrollUp", "WheelUp"]),
    (KeyCode::Char('<'), &["lt"]),
    (KeyCode::Char('>'), &["gt"]),
];

/// The mouse wheel has no key code; it is bound as `<ScrollDown>` and
/// `<ScrollUp>`, which stand on function key numbers no terminal sends.
const WHEEL_DOWN: KeyCode = KeyCode::F(254);
const WHEEL_UP: KeyCode = KeyCode::F(255);

/// The highest function key the notation accepts (`<F24>`).
const MAX_F: u8 = 24;

impl Key {
    /// A key from a code and modifiers, normalized (see the module docs).
    pub fn new(code: KeyCode, modifiers: KeyModifiers) -> Key {
        let mut mods = modifiers;
        if mods.contains(KeyModifiers::META) {
            mods.insert(KeyModifiers::ALT);
        }
        mods &= KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT;
        let code = match code {
            KeyCode::BackTab => {
                mods.insert(KeyModifiers::SHIFT);
                KeyCode::Tab
            }
            KeyCode::Char(c) => {
                let mut c = c;
                if mods.contains(KeyModifiers::SHIFT) {
                    mods.remove(KeyModifiers::SHIFT);
                    c = upper(c).unwrap_or(c);
                }
                if mods.contains(KeyModifiers::CONTROL) {
                    c = c.to_ascii_lowercase();
                }
                KeyCode::Char(c)
            }
            other => other,
        };
        Key {
            code,
            modifiers: mods,
        }
    }

    /// The wheel turned down, as the keymap sees it (`<ScrollDown>`).
    pub const WHEEL_DOWN: Key = Key {
        code: WHEEL_DOWN,
        modifiers: KeyModifiers::NONE,
    };
    /// The wheel turned up (`<ScrollUp>`).
    pub const WHEEL_UP: Key = Key {
        code: WHEEL_UP,
        modifiers: KeyModifiers::NONE,
    };

    /// A plain character key (`j`, `G`, `:`).
    pub fn char(c: char) -> Key {
        Key::new(KeyCode::Char(c), KeyModifiers::NONE)
    }

    /// The key of a terminal event. The event's kind (press, repeat, release)
    /// is the caller's business.
    pub fn from_event(event: &KeyEvent) -> Key {
        Key::new(event.code, event.modifiers)
    }

    pub fn code(&self) -> KeyCode {
        self.code
    }

    /// Ctrl, Alt and Shift only; never SHIFT with a character.
    pub fn modifiers(&self) -> KeyModifiers {
        self.modifiers
    }

    /// Reads one key in keymap notation: a single character, or `<...>` with
    /// optional `C-`, `A-` (or `M-`), `S-` before a character or a key name.
    /// The error says what is wrong, without repeating the input.
    pub fn parse(text: &str) -> Result<Key, String> {
        let mut chars = text.chars();
        match (chars.next(), chars.next()) {
            (None, _) => Err("a key cannot be empty".into()),
            (Some(c), None) if c.is_control() => {
                Err("a control character; write a key name such as <Tab> or <C-x>".into())
            }
            (Some(c), None) => Ok(Key::char(c)),
            (Some(_), Some(_)) => match text.strip_prefix('<').and_then(|t| t.strip_suffix('>')) {
                Some(inner) => parse_bracketed(inner),
                None if !text.contains('<') && text.chars().all(|c| !c.is_whitespace()) => Err(
                    "one key per string; write a sequence as a list, e.g. [\"g\", \"g\"]".into(),
                ),
                None => Err("expected one character or a <name>, e.g. <Esc> or <C-w>".into()),
            },
        }
    }
}

/// The upper case of a character when that is one character.
fn upper(c: char) -> Option<char> {
    let mut up = c.to_uppercase();
    match (up.next(), up.next()) {
        (Some(u), None) => Some(u),
        _ => None,
    }
}

fn parse_bracketed(inner: &str) -> Result<Key, String> {
    let mut mods = KeyModifiers::NONE;
    let mut rest = inner;
    // A modifier is one letter and a dash, followed by something (`<C-->` is Ctrl and '-').
    loop {
        let mut chars = rest.chars();
        let (Some(m), Some('-'), Some(_)) = (chars.next(), chars.next(), chars.next()) else {
            break;
        };
        let flag = match m.to_ascii_uppercase() {
            'C' => KeyModifiers::CONTROL,
            'A' | 'M' => KeyModifiers::ALT,
            'S' => KeyModifiers::SHIFT,
            _ => return Err(format!("unknown modifier \"{m}-\" (use C-, A- or S-)")),
        };
        if mods.contains(flag) {
            return Err(format!("\"{m}-\" is given twice"));
        }
        mods.insert(flag);
        rest = &rest[2..];
    }
    let code = key_code(rest)?;
    if let KeyCode::Char(c) = code
        && mods.contains(KeyModifiers::SHIFT)
    {
        if !c.is_alphabetic() || upper(c).is_none() {
            return Err(format!(
                "shift with {:?}: write the shifted character itself",
                name_of(code)
            ));
        }
        if mods.contains(KeyModifiers::CONTROL) {
            return Err(
                "terminals cannot tell Ctrl-Shift-letter from Ctrl-letter; drop the S-".into(),
            );
        }
    }
    Ok(Key::new(code, mods))
}

/// The key of a name inside `<...>`: one character, a key name, or `F1`..`F24`.
fn key_code(name: &str) -> Result<KeyCode, String> {
    let mut chars = name.chars();
    match (chars.next(), chars.next()) {
        (None, _) => return Err("a key name is missing inside <>".into()),
        (Some(c), None) if c.is_control() => {
            return Err("a control character inside <>".into());
        }
        (Some(c), None) => return Ok(KeyCode::Char(c)),
        _ => {}
    }
    for (code, names) in NAMES {
        if names.iter().any(|n| n.eq_ignore_ascii_case(name)) {
            return Ok(*code);
        }
    }
    if name.eq_ignore_ascii_case("BackTab") {
        return Ok(KeyCode::BackTab);
    }
    if let Some(n) = name.strip_prefix(['F', 'f'])
        && let Ok(n) = n.parse::<u8>()
    {
        if (1..=MAX_F).contains(&n) {
            return Ok(KeyCode::F(n));
        }
        return Err(format!("no such function key F{n} (F1 to F{MAX_F})"));
    }
    Err(format!(
        "unknown key name {name:?} (known: a single character, F1-F{MAX_F}, {})",
        NAMES
            .iter()
            .filter(|(code, _)| !matches!(code, KeyCode::Char('<' | '>')))
            .map(|(_, names)| names[0])
            .collect::<Vec<_>>()
            .join(", ")
    ))
}

/// The notation's name of a code, without brackets or modifiers.
fn name_of(code: KeyCode) -> String {
    if let Some((_, names)) = NAMES.iter().find(|(c, _)| *c == code) {
        return names[0].to_string();
    }
    match code {
        KeyCode::Char(c) => c.to_string(),
        KeyCode::F(n) => format!("F{n}"),
        KeyCode::BackTab => "S-Tab".into(),
        other => format!("{other:?}"),
    }
}

impl fmt::Display for Key {
    /// The notation again: `j`, `G`, `<Space>`, `<C-w>`, `<S-Tab>`, `<C-S-Up>`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.modifiers.is_empty()
            && let KeyCode::Char(c) = self.code
            && c != ' '
        {
            return write!(f, "{c}");
        }
        f.write_str("<")?;
        for (flag, prefix) in [
            (KeyModifiers::CONTROL, "C-"),
            (KeyModifiers::ALT, "A-"),
            (KeyModifiers::SHIFT, "S-"),
        ] {
            if self.modifiers.contains(flag) {
                f.write_str(prefix)?;
            }
        }
        write!(f, "{}>", name_of(self.code))
    }
}

impl FromStr for Key {
    type Err = String;

    fn from_str(s: &str) -> Result<Key, String> {
        Key::parse(s)
    }
}

/// Keys written together, as vim writes them: `gg`, `<C-w>v`, `dd`, `ZZ`.
/// A `<` that opens a `<...>` must name a key (write a literal `<` as `<lt>`
/// when a `>` follows it). Handy for tests that replay keys.
pub fn parse_keys(text: &str) -> Result<Vec<Key>, String> {
    let mut keys = Vec::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '<'
            && let Some(end) = rest[1..].find('>').map(|i| i + 1)
            && end > 1
        {
            let written = &rest[..=end];
            let key =
                Key::parse(written).map_err(|e| format!("cannot read key {written:?}: {e}"))?;
            keys.push(key);
            rest = &rest[end + 1..];
            continue;
        }
        if c.is_control() {
            return Err(format!("a control character ({c:?}) in {text:?}"));
        }
        keys.push(Key::char(c));
        rest = &rest[c.len_utf8()..];
    }
    Ok(keys)
}

/// Keys written together for the status line and the help screen: `g`,
/// `<C-w>v`, `gg`.
pub fn display_keys(keys: &[Key]) -> String {
    keys.iter().map(Key::to_string).collect()
}

/// A sequence as a keymap file writes it, for messages: `["d", "d"]`.
pub fn quote_keys(keys: &[Key]) -> String {
    let inner: Vec<String> = keys
        .iter()
        .map(|k| format!("{:?}", k.to_string()))
        .collect();
    format!("[{}]", inner.join(", "))
}
