//! Dates as `YYYY-MM-DD`, real calendar days only.

use jiff::civil::{Date, Time};

use super::error::FieldError;
use super::text::sanitize_for_message;

/// Parses `YYYY-MM-DD`; rejects other shapes and days that do not exist.
pub fn parse(field: &str, value: &str) -> Result<Date, FieldError> {
    let v = value.trim();
    let shape_ok = v.len() == 10
        && v.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            _ => b.is_ascii_digit(),
        });
    let invalid = || {
        FieldError::new(
            field,
            format!(
                "invalid date \"{}\" (expected YYYY-MM-DD)",
                sanitize_for_message(v)
            ),
        )
    };
    if !shape_ok {
        return Err(invalid());
    }
    // The shape is all ASCII digits, so these parse; a failure is still reported, not unwrapped.
    let year: i16 = v[0..4].parse().map_err(|_| invalid())?;
    let month: i8 = v[5..7].parse().map_err(|_| invalid())?;
    let day: i8 = v[8..10].parse().map_err(|_| invalid())?;
    Date::new(year, month, day).map_err(|_| invalid())
}

/// Parses an optional date: empty means none.
pub fn parse_opt(field: &str, value: &str) -> Result<Option<Date>, FieldError> {
    if value.trim().is_empty() {
        Ok(None)
    } else {
        parse(field, value).map(Some)
    }
}

/// Parses `HH:MM` (24-hour).
pub fn parse_time(field: &str, value: &str) -> Result<Option<Time>, FieldError> {
    let v = value.trim();
    if v.is_empty() {
        return Ok(None);
    }
    let invalid = || {
        FieldError::new(
            field,
            format!(
                "invalid time \"{}\" (expected HH:MM, 24-hour)",
                sanitize_for_message(v)
            ),
        )
    };
    let (h, m) = v.split_once(':').ok_or_else(invalid)?;
    // JSON carries a time as HH:MM:SS; whole minutes only.
    let m = m.strip_suffix(":00").unwrap_or(m);
    if h.len() != 2 || m.len() != 2 {
        return Err(invalid());
    }
    let hour: i8 = h.parse().map_err(|_| invalid())?;
    let minute: i8 = m.parse().map_err(|_| invalid())?;
    Time::new(hour, minute, 0, 0)
        .map(Some)
        .map_err(|_| invalid())
}

/// Formats a time as `HH:MM`.
pub fn format_time(t: Time) -> String {
    format!("{:02}:{:02}", t.hour(), t.minute())
}

/// Shows an optional date, empty when absent.
pub fn show(d: Option<Date>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

/// Today on this machine's clock, in its time zone.
pub fn today() -> Date {
    jiff::Zoned::now().date()
}
