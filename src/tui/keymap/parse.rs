//! From a keymap file's text to checked bindings per section, or every problem
//! in it with its line: TOML syntax, unknown sections and fields, keys that
//! cannot be read, unknown actions, and, within one section, a sequence bound
//! twice or bound both alone and as the start of a longer one.

use std::collections::BTreeMap;
use std::ops::Range;

use toml::Spanned;

use super::clash;
use super::error::{LineIndex, Problem, suggest};
use super::key::Key;
use super::raw::{RawEntry, RawFile, RawOn, RawSection};
use super::{BUILTIN_NAMES, Binding};
use crate::tui::action::{Action, Mode};

/// What a file may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// A built-in keymap: `keymap` lists only, a `desc` on every entry, no
    /// `noop`, no `base`.
    Full,
    /// A user's file: `base`, and `prepend_keymap`, `append_keymap` and
    /// `keymap` (which replaces the base's section) per section.
    User,
}

/// One section's bindings, by list.
#[derive(Debug, Default)]
pub(super) struct Section {
    pub keymap: Option<Vec<Binding>>,
    pub prepend: Vec<Binding>,
    pub append: Vec<Binding>,
}

/// A file that passed every check.
#[derive(Debug, Default)]
pub(super) struct Parsed {
    pub base: Option<String>,
    pub sections: BTreeMap<Mode, Section>,
}

const LISTS: [&str; 3] = ["keymap", "prepend_keymap", "append_keymap"];
const ENTRY_FIELDS: [&str; 3] = ["on", "run", "desc"];

/// The longest key sequence: a sequence is typed by hand, and a trie's depth
/// stays small whatever a file holds.
pub const MAX_SEQUENCE: usize = 16;

/// Checks a file's text; `file` names it in the problems.
pub(super) fn parse(file: &str, text: &str, kind: Kind) -> Result<Parsed, Vec<Problem>> {
    let mut check = Checker {
        file,
        lines: LineIndex::new(text),
        problems: Vec::new(),
    };
    let parsed = match toml::from_str::<RawFile>(text) {
        Ok(raw) => check.file(raw, kind),
        Err(e) => {
            let line = e.span().map_or(1, |s| check.lines.line_of(s.start));
            let message = e.message().trim().replace('\n', "; ");
            check.problem(line, format!("not valid TOML: {message}"));
            Parsed::default()
        }
    };
    if check.problems.is_empty() {
        Ok(parsed)
    } else {
        let mut problems = check.problems;
        problems.sort_by_key(|p| p.line);
        Err(problems)
    }
}

/// A checked entry and where it was.
struct Entry {
    binding: Binding,
    line: usize,
}

struct Checker<'a> {
    file: &'a str,
    lines: LineIndex,
    problems: Vec<Problem>,
}

impl Checker<'_> {
    fn problem(&mut self, line: usize, message: String) {
        self.problems.push(Problem {
            file: self.file.to_string(),
            line,
            message,
        });
    }

    fn at(&mut self, span: Range<usize>, message: String) {
        let line = self.lines.line_of(span.start);
        self.problem(line, message);
    }

    fn file(&mut self, raw: RawFile, kind: Kind) -> Parsed {
        let mut parsed = Parsed::default();
        if let Some(base) = raw.base {
            parsed.base = self.base(base, kind);
        }
        for (name, section) in raw.sections {
            let Some(mode) = Mode::parse(name.get_ref()) else {
                let known = Mode::ALL.map(Mode::as_str);
                if let Some(what) = section.get_ref().not_table {
                    let message = format!(
                        "unknown setting `{}` ({what}); a keymap has `base` and the sections [{}]",
                        name.get_ref(),
                        known.join("], [")
                    );
                    self.at(name.span(), message);
                    continue;
                }
                let hint = match suggest(name.get_ref(), known) {
                    Some(s) => format!("did you mean [{s}]?"),
                    None => format!("sections are [{}]", known.join("], [")),
                };
                self.at(
                    name.span(),
                    format!("unknown section [{}] ({hint})", name.get_ref()),
                );
                continue;
            };
            let span = section.span();
            let section = section.into_inner();
            if let Some(what) = section.not_table {
                self.at(
                    span,
                    format!(
                        "[{}] must be a table of keymap lists, not {what}",
                        mode.as_str()
                    ),
                );
                continue;
            }
            parsed
                .sections
                .insert(mode, self.section(mode, section, kind));
        }
        parsed
    }

    fn base(&mut self, base: Spanned<toml::Value>, kind: Kind) -> Option<String> {
        let span = base.span();
        if kind == Kind::Full {
            self.at(span, "`base` is for a user keymap, not a full one".into());
            return None;
        }
        let expected = format!("expected \"{}\"", BUILTIN_NAMES.join("\" or \""));
        match base.into_inner() {
            toml::Value::String(name) if BUILTIN_NAMES.contains(&name.as_str()) => Some(name),
            toml::Value::String(name) => {
                self.at(span, format!("unknown base {name:?} ({expected})"));
                None
            }
            other => {
                let what = kind_of(&other);
                self.at(
                    span,
                    format!("`base` must be a string ({expected}), not {what}"),
                );
                None
            }
        }
    }

    fn section(&mut self, mode: Mode, raw: RawSection, kind: Kind) -> Section {
        let allowed: &[&str] = match kind {
            Kind::Full => &LISTS[..1],
            Kind::User => &LISTS,
        };
        let in_section = format!("in [{}]", mode.as_str());
        for (name, what) in raw.not_lists {
            let message = if allowed.contains(&name.get_ref().as_str()) {
                format!(
                    "`{}` {in_section} must be a list of bindings, not {what}",
                    name.get_ref()
                )
            } else {
                self.unknown_list(name.get_ref(), allowed, &in_section)
            };
            self.at(name.span(), message);
        }
        let mut section = Section::default();
        let mut all = Vec::new();
        for (name, raw_entries) in raw.lists {
            let list = name.get_ref().as_str();
            if !allowed.contains(&list) {
                let message = if LISTS.contains(&list) {
                    format!("`{list}` is for a user keymap; a full keymap has `keymap` lists")
                } else {
                    self.unknown_list(list, allowed, &in_section)
                };
                self.at(name.span(), message);
                continue;
            }
            let mut entries = Vec::new();
            for raw in raw_entries {
                if let Some(entry) = self.entry(raw, mode, kind) {
                    entries.push(entry);
                }
            }
            let bindings = entries.iter().map(|e| e.binding.clone()).collect();
            match list {
                "prepend_keymap" => section.prepend = bindings,
                "append_keymap" => section.append = bindings,
                _ => section.keymap = Some(bindings),
            }
            all.extend(entries);
        }
        all.sort_by_key(|e| e.line);
        self.conflicts(mode, &all);
        section
    }

    fn unknown_list(&self, name: &str, allowed: &[&str], in_section: &str) -> String {
        let hint = match suggest(name, allowed.iter().copied()) {
            Some(s) => format!("did you mean {s}?"),
            None => format!("expected {}", allowed.join(", ")),
        };
        format!("unknown field {name:?} {in_section} ({hint})")
    }

    /// One entry, or `None` (with its problems recorded).
    fn entry(&mut self, raw: Spanned<RawEntry>, mode: Mode, kind: Kind) -> Option<Entry> {
        let span = raw.span();
        let line = self.lines.line_of(span.start);
        let raw = raw.into_inner();
        if let Some(what) = raw.not_table {
            self.problem(
                line,
                format!(
                    "a binding is a table like {{ on = \"j\", run = \"move_down\" }}, not {what}"
                ),
            );
            return None;
        }
        for name in &raw.unknown {
            let hint = match suggest(name.get_ref(), ENTRY_FIELDS) {
                Some(s) => format!("did you mean {s}?"),
                None => format!("expected {}", ENTRY_FIELDS.join(", ")),
            };
            self.at(
                name.span(),
                format!("unknown field {:?} in a binding ({hint})", name.get_ref()),
            );
        }
        let keys = match raw.on {
            Some(on) => self.keys(on, mode),
            None => {
                self.problem(line, "a binding needs `on` (the keys)".into());
                None
            }
        };
        let action = match raw.run {
            Some(run) => self.action(run, kind),
            None => {
                self.problem(line, "a binding needs `run` (an action)".into());
                None
            }
        };
        let desc = match raw.desc {
            Some(desc) => self.desc(desc),
            None if kind == Kind::Full => {
                self.problem(line, "a built-in binding needs a `desc`".into());
                None
            }
            // A user's entry without words shows the registry's.
            None => action.map(|a| a.doc().to_string()),
        };
        let binding = Binding {
            keys: keys?,
            action: action?,
            desc: desc?,
        };
        if !raw.unknown.is_empty() {
            return None;
        }
        Some(Entry { binding, line })
    }

    fn keys(&mut self, on: Spanned<RawOn>, mode: Mode) -> Option<Vec<Key>> {
        let span = on.span();
        let written: Vec<(Range<usize>, String)> = match on.into_inner() {
            RawOn::One(key) => vec![(span.clone(), key)],
            RawOn::Many(keys) => {
                let mut written = Vec::new();
                for key in keys {
                    let key_span = key.span();
                    match key.into_inner() {
                        toml::Value::String(s) => written.push((key_span, s)),
                        other => {
                            let what = kind_of(&other);
                            self.at(
                                key_span,
                                format!("a key in `on` must be a string, not {what}"),
                            );
                            return None;
                        }
                    }
                }
                written
            }
            RawOn::Other(what) => {
                self.at(
                    span,
                    format!("`on` must be a key or a list of keys, not {what}"),
                );
                return None;
            }
        };
        if written.is_empty() {
            self.at(span, "`on` has no keys".into());
            return None;
        }
        if written.len() > MAX_SEQUENCE {
            let shown: Vec<String> = written
                .iter()
                .take(MAX_SEQUENCE)
                .map(|(_, text)| format!("{text:?}"))
                .collect();
            self.at(
                span,
                format!(
                    "a binding in [{}] of {} keys (on = [{}, …]): a sequence has at most {MAX_SEQUENCE} keys",
                    mode.as_str(),
                    written.len(),
                    shown.join(", ")
                ),
            );
            return None;
        }
        // The help screen and a conflict take one key at a time: a key not
        // bound there closes the help, or is ignored.
        if matches!(mode, Mode::Help | Mode::Conflict) && written.len() > 1 {
            self.at(
                span,
                format!(
                    "a binding in [{}] of {} keys: that section binds single keys",
                    mode.as_str(),
                    written.len()
                ),
            );
            return None;
        }
        let mut keys = Vec::new();
        let mut ok = true;
        for (key_span, text) in written {
            match Key::parse(&text) {
                Ok(key) => keys.push(key),
                Err(why) => {
                    self.at(key_span, format!("cannot read key {text:?}: {why}"));
                    ok = false;
                }
            }
        }
        ok.then_some(keys)
    }

    fn action(&mut self, run: Spanned<toml::Value>, kind: Kind) -> Option<Action> {
        let span = run.span();
        let name = match run.into_inner() {
            toml::Value::String(name) => name,
            other => {
                let what = kind_of(&other);
                self.at(span, format!("`run` must be an action's name, not {what}"));
                return None;
            }
        };
        match Action::parse(&name) {
            Some(Action::Noop) if kind == Kind::Full => {
                let message = "`noop` unbinds keys in a user keymap; leave the entry out".into();
                self.at(span, message);
                None
            }
            Some(action) => Some(action),
            None => {
                let hint = match suggest(&name, Action::ALL.iter().map(|a| a.name())) {
                    Some(s) => format!(" (did you mean {s}?)"),
                    None => "; the actions are the `run` names in the built-in keymaps/vim.toml"
                        .to_string(),
                };
                self.at(span, format!("unknown action {name:?}{hint}"));
                None
            }
        }
    }

    fn desc(&mut self, desc: Spanned<toml::Value>) -> Option<String> {
        let span = desc.span();
        match desc.into_inner() {
            toml::Value::String(s) if s.chars().any(char::is_control) => {
                self.at(span, "`desc` holds a control character".into());
                None
            }
            toml::Value::String(s) => Some(s),
            other => {
                let what = kind_of(&other);
                self.at(span, format!("`desc` must be a string, not {what}"));
                None
            }
        }
    }

    /// Within one section of one file: the same sequence twice, or a sequence
    /// that starts a longer one (see `clash.rs`).
    fn conflicts(&mut self, mode: Mode, entries: &[Entry]) {
        let seqs: Vec<(&[Key], usize)> = entries
            .iter()
            .map(|e| (e.binding.keys.as_slice(), e.line))
            .collect();
        for (line, message) in clash::problems(mode, &seqs) {
            self.problem(line, message);
        }
    }
}

/// A value's kind, for messages.
fn kind_of(value: &toml::Value) -> &'static str {
    match value {
        toml::Value::String(_) => "a string",
        toml::Value::Integer(_) | toml::Value::Float(_) => "a number",
        toml::Value::Boolean(_) => "a boolean",
        toml::Value::Datetime(_) => "a date",
        toml::Value::Array(_) => "a list",
        toml::Value::Table(_) => "a table",
    }
}
