//! `FIELD=VALUE` arguments, shared by `add` and `set`.

use crate::model::record::unknown_field;
use crate::model::text::sanitize_for_message;
use crate::model::{FieldErrors, Record};

use super::CliError;

/// Applies `FIELD=VALUE` arguments to a record, checking each field's rules;
/// every broken rule is reported, each naming its argument.
pub fn apply<R: Record>(record: &mut R, assignments: &[String]) -> Result<(), CliError> {
    let mut lines = Vec::new();
    let mut errors = FieldErrors::default();
    for (i, arg) in assignments.iter().enumerate() {
        let Some((field, value)) = arg.split_once('=') else {
            return Err(CliError::Usage(format!(
                "argument \"{}\" is not FIELD=VALUE",
                sanitize_for_message(arg)
            )));
        };
        let field = field.trim();
        if R::spec(field).is_none() {
            return Err(CliError::Usage(format!(
                "{}: {}",
                R::COLLECTION,
                unknown_field::<R>(field)
            )));
        }
        if let Err(e) = record.set_text(field, value) {
            lines.push(format!("argument {}: {e}", i + 1));
            errors.push(e);
        }
    }
    if lines.is_empty() {
        Ok(())
    } else {
        Err(CliError::Invalid(
            lines
                .iter()
                .map(|l| format!("{}: {l}", R::COLLECTION))
                .collect::<Vec<_>>()
                .join("\n"),
        ))
    }
}
