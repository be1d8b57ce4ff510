//! A record in `$VISUAL`/`$EDITOR`/`vi` as a TOML form, for `clusterdesk
//! edit` and the console's `e`. An invalid save reopens the form with the
//! reasons as `#!` comments on top; saving that unchanged abandons the edit.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::display::escape_line;
use crate::io::form;
use crate::model::Record;

/// Marks the lines clusterdesk puts on top of the form; they are dropped on read.
const ERROR_MARK: &str = "#! ";

#[derive(Debug, thiserror::Error)]
pub enum EditError {
    /// The form was saved unchanged after errors: the edit is given up.
    #[error("edit abandoned, nothing written:\n{0}")]
    Abandoned(String),
    #[error("cannot start the editor {editor:?}: {reason}")]
    EditorFailed { editor: String, reason: String },
    #[error("the editor {editor:?} exited with {status}; nothing was changed")]
    EditorExit { editor: String, status: String },
    #[error("{}: {reason}", path.display())]
    FormUnreadable { path: PathBuf, reason: String },
    /// Saving failed for a reason another try would not fix.
    #[error("{0}")]
    Fatal(String),
}

/// What became of an edit.
#[derive(Debug, PartialEq)]
pub enum Edited<R> {
    Saved(R),
    Unchanged,
}

/// How a save attempt went, as told by the caller's `save`.
pub enum SaveOutcome<R> {
    Saved(R),
    /// The reasons, one a line, shown on top of the reopened form.
    Invalid(String),
    /// Stop; the form is kept on disk and its path added to the message.
    Fatal(String),
}

pub fn editor_command() -> String {
    ["VISUAL", "EDITOR"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .find(|v| !v.trim().is_empty())
        .unwrap_or_else(|| "vi".to_string())
}

/// Runs the editor through `sh`, so `EDITOR="code --wait"` works as in git.
fn run_editor(path: &Path) -> Result<(), EditError> {
    let editor = editor_command();
    let status = Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$1\""))
        .arg("sh")
        .arg(path)
        .status()
        .map_err(|e| EditError::EditorFailed {
            editor: editor.clone(),
            reason: e.to_string(),
        })?;
    if !status.success() {
        return Err(EditError::EditorExit {
            editor,
            status: status.to_string(),
        });
    }
    Ok(())
}

/// A private file for the form, removed when the edit ends.
struct FormFile {
    path: PathBuf,
    /// Kept after the edit when it holds work that could not be saved.
    keep: bool,
}

impl FormFile {
    fn new<R: Record>(key: &str) -> FormFile {
        let safe: String = key
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let path = std::env::temp_dir().join(format!(
            "clusterdesk-{}-{safe}-{}.toml",
            R::COLLECTION,
            uuid::Uuid::now_v7().simple()
        ));
        FormFile { path, keep: false }
    }

    fn write(&self, text: &str) -> Result<(), EditError> {
        use std::os::unix::fs::OpenOptionsExt;
        let fail = |e: std::io::Error| {
            EditError::Fatal(format!("cannot write {}: {e}", self.path.display()))
        };
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(&self.path)
            .map_err(fail)?;
        std::io::Write::write_all(&mut file, text.as_bytes()).map_err(fail)
    }

    fn read(&self) -> Result<String, EditError> {
        std::fs::read_to_string(&self.path).map_err(|e| EditError::FormUnreadable {
            path: self.path.clone(),
            reason: e.to_string(),
        })
    }
}

impl Drop for FormFile {
    fn drop(&mut self) {
        if !self.keep {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// Edits `original` in the user's editor until a save works, the form is
/// left unchanged, or the editor fails. `save` stores a changed record.
pub fn edit<R: Record>(
    original: &R,
    mut save: impl FnMut(R) -> SaveOutcome<R>,
) -> Result<Edited<R>, EditError> {
    let mut file = FormFile::new::<R>(&original.key());
    let mut written = form::render(original);
    let mut errors: Option<String> = None;
    loop {
        file.write(&written)?;
        run_editor(&file.path)?;
        let saved = file.read()?;
        if saved == written {
            return match errors {
                None => Ok(Edited::Unchanged),
                Some(errors) => Err(EditError::Abandoned(errors)),
            };
        }
        let body = strip_error_lines(&saved);
        let outcome = match form::parse(original, &body) {
            Ok(record) if &record == original => return Ok(Edited::Unchanged),
            Ok(record) => save(record),
            Err(reasons) => SaveOutcome::Invalid(reasons),
        };
        match outcome {
            SaveOutcome::Saved(stored) => return Ok(Edited::Saved(stored)),
            SaveOutcome::Fatal(reason) => {
                file.keep = true;
                return Err(EditError::Fatal(format!(
                    "{reason}. Your version is kept in {}",
                    file.path.display()
                )));
            }
            SaveOutcome::Invalid(message) => {
                // The reasons quote what was typed (an unknown key, a
                // value): escaped, so the editor shows what was there and
                // the terminal it draws on gets none of it.
                let header: String = message
                    .lines()
                    .map(|l| format!("{ERROR_MARK}{}\n", escape_line(l)))
                    .collect();
                written = format!(
                    "{ERROR_MARK}This edit was not saved. Fix the lines below and save again;\n\
                     {ERROR_MARK}quit without changing anything to abandon the edit.\n{header}{body}"
                );
                errors = Some(message);
            }
        }
    }
}

fn strip_error_lines(text: &str) -> String {
    let mut lines = text.lines().peekable();
    while lines.peek().is_some_and(|l| l.starts_with(ERROR_MARK)) {
        lines.next();
    }
    let mut out: String = lines.map(|l| format!("{l}\n")).collect();
    if !text.ends_with('\n') {
        out.pop();
    }
    out
}
