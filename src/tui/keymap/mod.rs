//! Keymaps are data: which key sequence runs which [`Action`] in which
//! [`Mode`].
//!
//! A full keymap (`keymaps/vim.toml`, the default, and `keymaps/plain.toml`,
//! both embedded) has one section per mode, each a list of entries:
//!
//! ```toml
//! [normal]
//! keymap = [
//!     { on = ["g", "g"], run = "move_top", desc = "First record" },
//! ]
//! ```
//!
//! A user file (`$XDG_CONFIG_HOME/clusterdesk/keymap.toml` or `--keymap
//! FILE`) extends a built-in (`base = "vim"`, the default, or `"plain"`): per
//! section, `prepend_keymap` entries come before the base's, `append_keymap`
//! entries after, and `keymap` replaces the base's section. The first binding
//! of a sequence wins, and a binding is dropped when an earlier one is a
//! prefix of it or it is a prefix of an earlier one; `run = "noop"` (in either
//! list) unbinds a sequence, and with it every sequence it starts.
//!
//! Every problem in a file is reported at once with `FILE:LINE` ([`KeymapError`]).
//! A file is untrusted: it must be a regular file of at most [`MAX_FILE`]
//! bytes (read through a limit, so `/dev/zero` or a growing file cannot
//! fill memory), a sequence has at most [`MAX_SEQUENCE`] keys, and every
//! check is linear in the file (clashes are found in a trie, `clash.rs`).
//! Lookups walk a trie per mode ([`Keymap::lookup`]): `Pending` while the keys
//! so far start a longer sequence, then `Matched` or `NotFound`. Counts (`5j`)
//! are the caller's: they are read before the keys reach the keymap.

mod clash;
mod error;
mod key;
mod parse;
mod raw;
#[cfg(test)]
mod tests;
mod trie;

use std::collections::BTreeMap;
use std::path::Path;

pub use error::{KeymapError, Problem};
pub use key::{Key, display_keys, parse_keys, quote_keys};
pub use parse::MAX_SEQUENCE;

/// The largest keymap file read (the built-in vim.toml is about 10 KiB).
pub const MAX_FILE: u64 = 1024 * 1024;

use crate::tui::action::{Action, Mode};
use parse::Kind;
use trie::Trie;

/// The built-in keymaps by name, the first the default.
pub const BUILTIN_NAMES: [&str; 2] = ["vim", "plain"];

const VIM: &str = include_str!("../../../keymaps/vim.toml");
const PLAIN: &str = include_str!("../../../keymaps/plain.toml");

/// A key sequence bound to an action, with the words the help screen shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    pub keys: Vec<Key>,
    pub action: Action,
    pub desc: String,
}

/// The answer to "what do these keys do?".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lookup {
    /// The keys start a longer sequence: wait for the next key.
    Pending,
    /// The keys are a whole sequence. `Action::Noop` when the user unbound it
    /// (the keys then do nothing, and are not passed on).
    Matched(Action),
    /// No sequence starts with these keys.
    NotFound,
}

/// The bindings of every mode, merged from a built-in and a user's file.
#[derive(Debug, Clone)]
pub struct Keymap {
    source: String,
    modes: BTreeMap<Mode, Trie>,
}

impl Keymap {
    /// A built-in keymap by name (`"vim"`, `"plain"`); `None` for another name.
    pub fn builtin(name: &str) -> Option<Result<Keymap, KeymapError>> {
        let text = builtin_text(name)?;
        let file = builtin_file(name);
        Some(
            parse::parse(&file, text, Kind::Full)
                .map(|parsed| {
                    let mut modes = BTreeMap::new();
                    for (mode, section) in parsed.sections {
                        let bindings = section.keymap.unwrap_or_default();
                        modes.insert(mode, Trie::build(bindings));
                    }
                    Keymap {
                        source: name.to_string(),
                        modes,
                    }
                })
                .map_err(KeymapError::Invalid),
        )
    }

    /// The default keymap (vim).
    pub fn default_keymap() -> Result<Keymap, KeymapError> {
        Keymap::named_builtin(BUILTIN_NAMES[0])
    }

    /// A user's keymap file over its base, or the default when `None`. A path
    /// that is exactly `vim` or `plain` names a built-in (write `./vim` for a
    /// file of that name).
    pub fn load(user: Option<&Path>) -> Result<Keymap, KeymapError> {
        let Some(path) = user else {
            return Keymap::default_keymap();
        };
        if let Some(name) = path.to_str().filter(|p| BUILTIN_NAMES.contains(p)) {
            return Keymap::named_builtin(name);
        }
        let text = read_file(path).map_err(|reason| KeymapError::Read {
            path: path.to_path_buf(),
            reason,
        })?;
        Keymap::from_user_text(&path.display().to_string(), &text)
    }

    /// The console's keymap: `--keymap FILE` if given, else
    /// `$XDG_CONFIG_HOME/clusterdesk/keymap.toml` if it exists, else the default.
    pub fn for_console(explicit: Option<&Path>) -> Result<Keymap, KeymapError> {
        if explicit.is_some() {
            return Keymap::load(explicit);
        }
        match user_file() {
            Some(path) if path.is_file() => Keymap::load(Some(&path)),
            _ => Keymap::default_keymap(),
        }
    }

    /// Warnings for a user file: bindings of the base that a user binding
    /// hides because one sequence starts the other (a user `g` hides `gg`,
    /// `gt` and `gT`). An unbinding (`noop`) hides on purpose and is not
    /// listed.
    pub fn shadowed(&self) -> Vec<String> {
        let mut out = Vec::new();
        for (mode, trie) in &self.modes {
            for (kept, hidden) in trie.shadowed() {
                if kept.action == Action::Noop {
                    continue;
                }
                out.push(format!(
                    "[{}] {} ({}) hides {} ({})",
                    mode.as_str(),
                    quote_keys(&kept.keys),
                    kept.action.name(),
                    quote_keys(&hidden.keys),
                    hidden.action.name()
                ));
            }
        }
        out
    }

    /// A user file's text over its base; `file` names it in problems.
    pub fn from_user_text(file: &str, text: &str) -> Result<Keymap, KeymapError> {
        let parsed = parse::parse(file, text, Kind::User).map_err(KeymapError::Invalid)?;
        let base_name = parsed.base.as_deref().unwrap_or(BUILTIN_NAMES[0]);
        let base = Keymap::named_builtin(base_name)?;
        let mut modes = BTreeMap::new();
        let mut sections = parsed.sections;
        for mode in Mode::ALL {
            let base_bindings = base.modes.get(&mode).map(Trie::all).unwrap_or_default();
            let merged = match sections.remove(&mode) {
                None => base_bindings.to_vec(),
                Some(user) => {
                    // An unbinding anywhere in the user's file wins over the
                    // base (it cannot clash with the user's own entries: that
                    // is a duplicate or a prefix conflict, refused above).
                    let (unbind, append): (Vec<Binding>, Vec<Binding>) = user
                        .append
                        .into_iter()
                        .partition(|b| b.action == Action::Noop);
                    let middle = user.keymap.unwrap_or_else(|| base_bindings.to_vec());
                    let mut all = unbind;
                    all.extend(user.prepend);
                    all.extend(middle);
                    all.extend(append);
                    all
                }
            };
            modes.insert(mode, Trie::build(merged));
        }
        Ok(Keymap {
            source: format!("{file} (over {base_name})"),
            modes,
        })
    }

    fn named_builtin(name: &str) -> Result<Keymap, KeymapError> {
        Keymap::builtin(name).unwrap_or_else(|| {
            Err(KeymapError::Invalid(vec![Problem {
                file: name.to_string(),
                line: 1,
                message: "no such built-in keymap".into(),
            }]))
        })
    }

    /// Where the keymap came from, for the help screen: `vim`, or
    /// `keymap.toml (over vim)`.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// What `keys` do in `mode`.
    pub fn lookup(&self, mode: Mode, keys: &[Key]) -> Lookup {
        self.modes
            .get(&mode)
            .map_or(Lookup::NotFound, |trie| trie.lookup(keys))
    }

    /// The mode's bindings in file order (prepended, base, appended), without
    /// unbound (`noop`) sequences: for `:help`.
    pub fn bindings(&self, mode: Mode) -> Vec<&Binding> {
        self.modes
            .get(&mode)
            .map(|trie| {
                trie.all()
                    .iter()
                    .filter(|b| b.action != Action::Noop)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The bindings that may follow a pending `prefix` (all of them when the
    /// prefix is empty): for the popup that lists what `g` or `<C-w>` can do.
    pub fn continuations(&self, mode: Mode, prefix: &[Key]) -> Vec<&Binding> {
        self.bindings(mode)
            .into_iter()
            .filter(|b| b.keys.len() > prefix.len() && b.keys.starts_with(prefix))
            .collect()
    }

    /// How many bindings all modes hold (without `noop`s).
    pub fn len(&self) -> usize {
        Mode::ALL.iter().map(|m| self.bindings(*m).len()).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A keymap file's text: a regular file of at most [`MAX_FILE`] bytes, in
/// UTF-8. The error is the reason, for "PATH: reason".
fn read_file(path: &Path) -> Result<String, String> {
    use std::io::Read;
    use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
    let not_regular = |t: std::fs::FileType| {
        let what = if t.is_dir() {
            "a directory"
        } else if t.is_fifo() {
            "a FIFO"
        } else if t.is_char_device() {
            "a character device"
        } else if t.is_block_device() {
            "a block device"
        } else if t.is_socket() {
            "a socket"
        } else {
            "not a file"
        };
        format!("is not a regular file ({what}); a keymap is a TOML file")
    };
    let too_large =
        |size: &str| format!("is larger than 1 MiB ({size}), the most a keymap file may be");
    // Looked at before opening: opening a FIFO would wait for a writer.
    let meta = std::fs::metadata(path).map_err(|e| e.to_string())?;
    if !meta.is_file() {
        return Err(not_regular(meta.file_type()));
    }
    // Non-blocking in case it was swapped for a FIFO meanwhile; then the
    // open file itself is looked at again.
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(nix::libc::O_NONBLOCK)
        .open(path)
        .map_err(|e| e.to_string())?;
    let meta = file.metadata().map_err(|e| e.to_string())?;
    if !meta.is_file() {
        return Err(not_regular(meta.file_type()));
    }
    if meta.len() > MAX_FILE {
        return Err(too_large(&format!("{} bytes", meta.len())));
    }
    let mut bytes = Vec::new();
    // A file growing while it is read stops at the limit.
    file.take(MAX_FILE + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| e.to_string())?;
    if bytes.len() as u64 > MAX_FILE {
        return Err(too_large("it grew while it was read"));
    }
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "is not UTF-8 (a bad byte at offset {})",
            e.utf8_error().valid_up_to()
        )
    })
}

fn builtin_text(name: &str) -> Option<&'static str> {
    match name {
        "vim" => Some(VIM),
        "plain" => Some(PLAIN),
        _ => None,
    }
}

/// How problems in a built-in name their file.
fn builtin_file(name: &str) -> String {
    format!("keymaps/{name}.toml")
}

/// `$XDG_CONFIG_HOME/clusterdesk/keymap.toml` (or `~/.config/...`).
pub fn user_file() -> Option<std::path::PathBuf> {
    directories::BaseDirs::new().map(|b| b.config_dir().join("clusterdesk").join("keymap.toml"))
}
