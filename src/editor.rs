//! A record in `$VISUAL`/`$EDITOR`/`vi` as a TOML form, for `clusterdesk
//! edit` and the console's `e`. An invalid save reopens the form with the
//! reasons as `#!` comments on top; saving that unchanged abandons the edit.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::display::escape_line;
use crate::io::form;
use crate::model::Record;
use crate::signals::{Signals, Stopped};

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
    /// A stop signal came while the editor ran; it was passed on to it.
    #[error(transparent)]
    Stopped(Stopped),
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
/// A stop signal for clusterdesk (SIGTERM, SIGHUP) is passed on to the
/// editor, and the edit ends once the editor has gone.
fn run_editor(path: &Path, signals: &Signals) -> Result<(), EditError> {
    let editor = editor_command();
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$1\""))
        .arg("sh")
        .arg(path)
        .spawn()
        .map_err(|e| EditError::EditorFailed {
            editor: editor.clone(),
            reason: e.to_string(),
        })?;
    let mut passed_on = None;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) => {}
            Err(e) => {
                return Err(EditError::EditorFailed {
                    editor,
                    reason: e.to_string(),
                });
            }
        }
        signals.forget_interrupt();
        if let Some(signal) = signals.pending()
            && passed_on != Some(signal)
        {
            pass_on(&child, signal);
            passed_on = Some(signal);
        }
        std::thread::sleep(EDITOR_WAIT);
    };
    if let Some(signal) = passed_on {
        return Err(EditError::Stopped(Stopped(signal)));
    }
    if !status.success() {
        return Err(EditError::EditorExit {
            editor,
            status: status.to_string(),
        });
    }
    Ok(())
}

/// How often the wait for the editor looks for a stop signal: often enough
/// that a SIGTERM is passed on at once, rarely enough to cost nothing.
const EDITOR_WAIT: std::time::Duration = std::time::Duration::from_millis(20);

fn pass_on(child: &std::process::Child, signal: i32) {
    use nix::sys::signal::{Signal, kill};
    use nix::unistd::Pid;
    let (Ok(pid), Ok(signal)) = (i32::try_from(child.id()), Signal::try_from(signal)) else {
        return;
    };
    // `sh -c` may have exec'd the editor or may be waiting on it: the
    // signal goes to sh, which passes SIGTERM/SIGHUP on to its child.
    let _ = kill(Pid::from_raw(pid), signal);
}

/// A private directory (0700) for the form, removed with everything in it
/// when the edit ends, however it ends (a signal included: see
/// `crate::signals`). Nothing else on the machine can read the record.
struct FormFile {
    dir: Option<tempfile::TempDir>,
    path: PathBuf,
}

impl FormFile {
    fn new<R: Record>(key: &str) -> Result<FormFile, EditError> {
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
        let dir = tempfile::Builder::new()
            .prefix("clusterdesk-edit-")
            .permissions(std::os::unix::fs::PermissionsExt::from_mode(0o700))
            .tempdir()
            .map_err(|e| {
                EditError::Fatal(format!(
                    "cannot make a private directory in {}: {e}",
                    std::env::temp_dir().display()
                ))
            })?;
        let path = dir.path().join(format!("{}-{safe}.toml", R::COLLECTION));
        Ok(FormFile {
            dir: Some(dir),
            path,
        })
    }

    /// Keeps the form after the edit: it holds work that could not be saved.
    fn keep(&mut self) {
        if let Some(dir) = self.dir.take() {
            let _ = dir.keep();
        }
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

/// Edits `original` in the user's editor until a save works, the form is
/// left unchanged, or the editor fails. `save` stores a changed record.
pub fn edit<R: Record>(
    original: &R,
    signals: &Signals,
    mut save: impl FnMut(R) -> SaveOutcome<R>,
) -> Result<Edited<R>, EditError> {
    let mut file = FormFile::new::<R>(&original.key())?;
    let mut written = form::render(original);
    let mut errors: Option<String> = None;
    loop {
        file.write(&written)?;
        run_editor(&file.path, signals)?;
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
                file.keep();
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
