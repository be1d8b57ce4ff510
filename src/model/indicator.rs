//! A member's yearly figures: turnover, export, R&D spending, employees.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::error::{FieldError, FieldErrors};
use super::record::{
    Collection, Context, FieldKind, FieldSpec, FieldValue, Record, check_required,
};
use super::text::{self, sanitize_for_message};

/// Earliest year a figure may be given for.
pub const FIRST_YEAR: i16 = 1990;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
// A dump line with a field this build does not know is refused, not half read.
#[serde(deny_unknown_fields)]
pub struct Indicator {
    pub id: Uuid,
    pub member: String,
    pub year: i16,
    pub turnover_eur: Option<u64>,
    pub export_eur: Option<u64>,
    pub rnd_eur: Option<u64>,
    pub employees: Option<u32>,
}

const FIELDS: &[FieldSpec] = &[
    FieldSpec::new("member", FieldKind::Text).required().table(),
    FieldSpec::new("year", FieldKind::Number).required().table(),
    FieldSpec::new("turnover_eur", FieldKind::Number).table(),
    FieldSpec::new("export_eur", FieldKind::Number).table(),
    FieldSpec::new("rnd_eur", FieldKind::Number).table(),
    FieldSpec::new("employees", FieldKind::Number).table(),
];

/// A whole number of euros or people; spaces and `_` between digit groups are allowed.
fn amount<T: std::str::FromStr>(field: &str, value: &str) -> Result<Option<T>, FieldError> {
    let digits: String = value
        .chars()
        .filter(|c| !matches!(c, ' ' | '_' | '\u{a0}'))
        .collect();
    if digits.is_empty() {
        return Ok(None);
    }
    if !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err(FieldError::new(
            field,
            format!(
                "\"{}\" is not a whole non-negative number",
                sanitize_for_message(value.trim())
            ),
        ));
    }
    digits
        .parse()
        .map(Some)
        .map_err(|_| FieldError::new(field, format!("{digits} is too large")))
}

fn show<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

/// Splits `CODE/YEAR` (or `CODE:YEAR`).
pub fn split_key(key: &str) -> Option<(String, i16)> {
    let (code, year) = key.trim().rsplit_once(['/', ':'])?;
    Some((code.trim().to_ascii_uppercase(), year.trim().parse().ok()?))
}

impl Record for Indicator {
    const COLLECTION: Collection = Collection::Indicators;
    const NAME: &'static str = "indicators";
    const SINGULAR: &'static str = "indicator";
    const PLURAL: &'static str = "indicators";
    const REFERS_TO_MEMBERS: bool = true;
    const LIST_COLUMNS: &'static [&'static str] =
        &["member", "year", "turnover_eur", "export_eur", "rnd_eur"];
    const TITLE_FIELD: &'static str = "member";
    const DEFAULT_SORT: &'static str = "member";
    const KEY_FIELDS: &'static [&'static str] = &["member", "year"];

    fn empty(id: Uuid) -> Self {
        Indicator {
            id,
            member: String::new(),
            year: 0,
            turnover_eur: None,
            export_eur: None,
            rnd_eur: None,
            employees: None,
        }
    }

    fn id(&self) -> Uuid {
        self.id
    }

    /// `CODE/YEAR`, the year zero-padded so keys sort by year within a member.
    fn key(&self) -> String {
        format!("{}/{:04}", self.member, self.year)
    }

    fn normalize_key(key: &str) -> String {
        match split_key(key) {
            Some((code, year)) => format!("{code}/{year:04}"),
            None => key.trim().to_ascii_uppercase(),
        }
    }

    fn fields() -> &'static [FieldSpec] {
        FIELDS
    }

    fn get(&self, field: &str) -> Option<FieldValue> {
        let v = match field {
            "member" => self.member.clone(),
            "year" if self.year == 0 => String::new(),
            "year" => self.year.to_string(),
            "turnover_eur" => show(self.turnover_eur),
            "export_eur" => show(self.export_eur),
            "rnd_eur" => show(self.rnd_eur),
            "employees" => show(self.employees),
            _ => return None,
        };
        Some(FieldValue::Scalar(v))
    }

    fn set(&mut self, field: &str, value: &FieldValue) -> Result<(), FieldError> {
        let v = value.scalar(field)?;
        match field {
            "member" => self.member = text::member_code(field, v)?,
            "year" => {
                let year: Option<i16> = amount(field, v)?;
                match year {
                    Some(y) if y >= FIRST_YEAR => self.year = y,
                    Some(y) => {
                        return Err(FieldError::new(
                            field,
                            format!("{y} is before {FIRST_YEAR}"),
                        ));
                    }
                    None => self.year = 0,
                }
            }
            "turnover_eur" => self.turnover_eur = amount(field, v)?,
            "export_eur" => self.export_eur = amount(field, v)?,
            "rnd_eur" => self.rnd_eur = amount(field, v)?,
            "employees" => self.employees = amount(field, v)?,
            _ => return Err(super::record::unknown_field::<Self>(field)),
        }
        Ok(())
    }

    fn finish(&mut self, ctx: &Context) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::default();
        check_required(self, &mut errors);
        let next_year = ctx.today.year() + 1;
        if self.year > next_year {
            errors.push(FieldError::new(
                "year",
                format!("{} is after next year ({next_year})", self.year),
            ));
        }
        errors.into_result()
    }

    fn member_refs(&self) -> Vec<(&'static str, String)> {
        vec![("member", self.member.clone())]
    }
}
