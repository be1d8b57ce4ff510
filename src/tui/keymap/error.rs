//! What can be wrong with a keymap: a file that cannot be read, or problems in
//! its text, each naming `FILE:LINE`.

use std::fmt;
use std::path::PathBuf;

/// One problem in a keymap file, at a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The file as the user named it (or `keymaps/vim.toml` for a built-in).
    pub file: String,
    /// 1-based.
    pub line: usize,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.message)
    }
}

/// Why a keymap could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum KeymapError {
    /// The file is missing or unreadable (the CLI's exit 66).
    #[error("{}: {reason}", path.display())]
    Read { path: PathBuf, reason: String },
    /// Every problem found in the file, in line order, one per line of the
    /// message (the CLI's exit 2).
    #[error("{}", join(.0))]
    Invalid(Vec<Problem>),
}

impl KeymapError {
    /// The problems in the file's text (none for a file that could not be read).
    pub fn problems(&self) -> &[Problem] {
        match self {
            KeymapError::Read { .. } => &[],
            KeymapError::Invalid(problems) => problems,
        }
    }
}

fn join(problems: &[Problem]) -> String {
    let lines: Vec<String> = problems.iter().map(Problem::to_string).collect();
    lines.join("\n")
}

/// Where each line of a text starts, to turn byte offsets into lines with a
/// binary search: counting line ends from the start for every binding made a
/// file of 20,000 bindings quadratic.
pub(super) struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub(super) fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex { starts }
    }

    /// The 1-based line of a byte offset.
    pub(super) fn line_of(&self, offset: usize) -> usize {
        // The number of lines starting at or before the offset.
        self.starts.partition_point(|&start| start <= offset)
    }
}

/// The closest of `known` to a misspelt `word`, if it is close enough to be a
/// likely typo (`move_dwon` -> `move_down`), or else the one name that holds
/// the word (`prepend` -> `prepend_keymap`).
pub(super) fn suggest<'a>(word: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let known: Vec<&str> = known.into_iter().collect();
    let len = word.chars().count();
    let limit = (len / 3).clamp(1, 3);
    let close = known
        .iter()
        // Lengths further apart than the limit cannot be close: a long word
        // from a file costs no distance table.
        .filter(|k| k.chars().count().abs_diff(len) <= limit)
        .map(|k| (distance(word, k), *k))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k);
    if close.is_some() || word.chars().count() < 4 {
        return close;
    }
    let mut holding = known.iter().filter(|k| k.contains(word));
    match (holding.next(), holding.next()) {
        (Some(k), None) => Some(*k),
        _ => None,
    }
}

/// Edit distance counting a swap of neighbours as one edit (optimal string
/// alignment).
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let width = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * width];
    for i in 0..=a.len() {
        d[i * width] = i;
    }
    for (j, cell) in d.iter_mut().enumerate().take(width) {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[(i - 1) * width + j] + 1)
                .min(d[i * width + j - 1] + 1)
                .min(d[(i - 1) * width + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[(i - 2) * width + j - 2] + 1);
            }
            d[i * width + j] = best;
        }
    }
    d[a.len() * width + b.len()]
}
