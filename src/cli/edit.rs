//! `clusterdesk edit C KEY`: the record as TOML in `$VISUAL`/`$EDITOR`/`vi`.
//!
//! An invalid save reopens the file with the errors as comments on top;
//! saving that unchanged abandons the edit (exit 65, nothing written). A
//! first save without changes writes nothing.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::{CliError, CollectionArg, open_store, with_record};
use crate::model::{FieldKind, FieldValue, Record};
use crate::store::{Store, StoreError};

mod form;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[arg(value_enum)]
    collection: CollectionArg,
    /// The record's key: member code, slug, or CODE/YEAR for indicators.
    key: String,
}

pub fn run(store: Option<&Path>, args: Args) -> anyhow::Result<()> {
    let collection = args.collection.into();
    with_record!(collection, edit(store, &args.key))
}

/// Marks the lines clusterdesk puts on top of the file; they are dropped on read.
const ERROR_MARK: &str = "#! ";

fn editor() -> String {
    ["VISUAL", "EDITOR"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .find(|v| !v.trim().is_empty())
        .unwrap_or_else(|| "vi".to_string())
}

/// Runs the editor through `sh`, so `EDITOR="code --wait"` works as in git.
fn run_editor(path: &Path) -> anyhow::Result<()> {
    let editor = editor();
    let status = Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$1\""))
        .arg("sh")
        .arg(path)
        .status()
        .map_err(|e| CliError::Failed(format!("cannot start the editor {editor:?}: {e}")))?;
    if !status.success() {
        return Err(CliError::Failed(format!(
            "the editor {editor:?} exited with {status}; nothing was changed"
        ))
        .into());
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
    fn create<R: Record>(key: &str) -> anyhow::Result<FormFile> {
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
        Ok(FormFile { path, keep: false })
    }

    fn write(&self, text: &str) -> anyhow::Result<()> {
        use std::os::unix::fs::OpenOptionsExt;
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(&self.path)
            .map_err(|e| CliError::Failed(format!("cannot write {}: {e}", self.path.display())))?;
        std::io::Write::write_all(&mut file, text.as_bytes())?;
        Ok(())
    }

    fn read(&self) -> anyhow::Result<String> {
        std::fs::read_to_string(&self.path).map_err(|e| {
            CliError::Input {
                path: self.path.clone(),
                reason: e.to_string(),
            }
            .into()
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

fn edit<R: Record>(store_path: Option<&Path>, key: &str) -> anyhow::Result<()> {
    // The store is open only to read and to save, never while the editor
    // runs: an edit can take minutes, and sled lets one process in at a time.
    let original: R = open_store(store_path)?.require(key)?;
    let mut file = FormFile::create::<R>(&original.key())?;
    let mut written = form::render(&original);
    let mut errors: Option<String> = None;
    loop {
        file.write(&written)?;
        run_editor(&file.path)?;
        let saved = file.read()?;
        if saved == written {
            return match errors {
                None => {
                    eprintln!(
                        "no changes to {} {}",
                        R::COLLECTION.singular(),
                        original.key()
                    );
                    Ok(())
                }
                Some(errors) => Err(CliError::Invalid(format!(
                    "edit abandoned, nothing written:\n{errors}"
                ))
                .into()),
            };
        }
        let body = strip_error_lines(&saved);
        let store = open_store(store_path)?;
        let current: Option<R> = store.get_by_id(original.id())?;
        if current.as_ref() != Some(&original) {
            file.keep = true;
            return Err(CliError::Failed(format!(
                "{} {} was changed or removed by someone else during the edit; nothing written. \
                 Your version is kept in {}",
                R::COLLECTION.singular(),
                original.key(),
                file.path.display()
            ))
            .into());
        }
        match save(&store, &original, &body) {
            Ok(Some(stored)) => {
                eprintln!("changed {} {}", R::COLLECTION.singular(), stored.key());
                return Ok(());
            }
            Ok(None) => {
                eprintln!(
                    "no changes to {} {}",
                    R::COLLECTION.singular(),
                    original.key()
                );
                return Ok(());
            }
            Err(message) => {
                let header: String = message
                    .lines()
                    .map(|l| format!("{ERROR_MARK}{l}\n"))
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

/// Parses and stores the edited form. `Ok(None)`: nothing changed. `Err`: the
/// reasons, one a line, to show on top of the form.
fn save<R: Record>(store: &Store, original: &R, text: &str) -> Result<Option<R>, String> {
    let record = form::parse(original, text)?;
    if &record == original {
        return Ok(None);
    }
    match store.put(record) {
        Ok(stored) => Ok(Some(stored)),
        Err(StoreError::Invalid { errors, .. }) => Err(errors.to_string()),
        Err(other) => Err(other.to_string()),
    }
}

/// Whether a field's TOML value is a list.
fn is_list(kind: FieldKind) -> bool {
    matches!(kind, FieldKind::List | FieldKind::TextList)
}

fn value_of(kind: FieldKind, value: &toml::Value) -> Option<FieldValue> {
    match value {
        toml::Value::String(s) => Some(FieldValue::Scalar(s.clone())),
        toml::Value::Integer(i) => Some(FieldValue::Scalar(i.to_string())),
        toml::Value::Datetime(d) => Some(FieldValue::Scalar(d.to_string())),
        toml::Value::Array(items) if is_list(kind) => items
            .iter()
            .map(|i| match i {
                toml::Value::String(s) => Some(s.clone()),
                toml::Value::Integer(n) => Some(n.to_string()),
                _ => None,
            })
            .collect::<Option<Vec<_>>>()
            .map(FieldValue::List),
        _ => None,
    }
}
