//! Where machine output goes: stdout, or a file replaced whole.

use std::io::Write;
use std::path::Path;

use super::{CliError, write_stdout};

/// Writes to `path` or, without one, to stdout. A file is written beside
/// its target and renamed over it once complete and synced: a reader never
/// sees half of it, and a failed run leaves the old file as it was.
pub fn write_output(
    path: Option<&Path>,
    write: impl FnOnce(&mut dyn Write) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let Some(path) = path else {
        return write_stdout(|out| {
            write(out).map_err(|e| match e.downcast::<std::io::Error>() {
                Ok(io) => io,
                Err(other) => std::io::Error::other(format!("{other:#}")),
            })
        });
    };
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let failed =
        |e: std::io::Error| CliError::Failed(format!("cannot write {}: {e}", path.display()));
    let mut file = tempfile::NamedTempFile::new_in(dir).map_err(failed)?;
    {
        let mut out = std::io::BufWriter::new(file.as_file_mut());
        write(&mut out)?;
        out.flush().map_err(failed)?;
    }
    file.as_file().sync_all().map_err(failed)?;
    file.persist(path).map_err(|e| failed(e.error))?;
    Ok(())
}

/// A message for the person running the command (progress, a summary, a
/// warning) on stderr, escaped like errors: it may quote keys, paths and
/// column names.
pub fn note(text: impl std::fmt::Display) {
    eprintln!("{}", crate::display::escape(&text.to_string()));
}
