//! A member company of the cluster.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::choice::{Sector, Status};
use super::date;
use super::error::{FieldError, FieldErrors};
use super::record::{
    Collection, Context, FieldKind, FieldSpec, FieldValue, Record, check_required,
};
use super::text::{self, Lines, NAME_MAX, SHORT_MAX};

/// A person to talk to at a member company.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Contact {
    pub name: String,
    pub role: String,
    pub email: String,
    pub phone: String,
}

impl Contact {
    fn is_empty(&self) -> bool {
        self.name.is_empty()
            && self.role.is_empty()
            && self.email.is_empty()
            && self.phone.is_empty()
    }

    /// Sets one part of the contact, named as in the contact's own fields.
    fn set(&mut self, part: &str, field: &str, value: &str) -> Result<(), FieldError> {
        match part {
            "name" => self.name = text::clean(field, value, Lines::One, NAME_MAX)?,
            "role" => self.role = text::clean(field, value, Lines::One, SHORT_MAX)?,
            "email" => {
                self.email = if value.trim().is_empty() {
                    String::new()
                } else {
                    text::email(field, value)?
                }
            }
            "phone" => self.phone = phone(field, value)?,
            _ => {
                return Err(FieldError::new(
                    field,
                    "is not a part of a contact (name, role, email, phone)",
                ));
            }
        }
        Ok(())
    }

    /// Re-checks every part, e.g. after the contact came whole from a file.
    fn checked(&self, field: &str) -> Result<Contact, FieldError> {
        let mut out = Contact::default();
        for (part, value) in [
            ("name", &self.name),
            ("role", &self.role),
            ("email", &self.email),
            ("phone", &self.phone),
        ] {
            out.set(part, &format!("{field}.{part}"), value)?;
        }
        if out.name.is_empty() && !out.is_empty() {
            return Err(FieldError::new(format!("{field}.name"), "is required"));
        }
        Ok(out)
    }
}

/// When a member's status changed, and to what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusChange {
    pub date: Date,
    pub status: Status,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
// A dump line with a field this build does not know is refused, not half read.
#[serde(deny_unknown_fields)]
pub struct Member {
    pub id: Uuid,
    pub code: String,
    pub name: String,
    pub sector: Option<Sector>,
    pub areas: Vec<String>,
    pub status: Status,
    pub status_history: Vec<StatusChange>,
    pub joined: Option<Date>,
    pub left: Option<Date>,
    pub city: String,
    pub country: String,
    pub website: String,
    pub email: String,
    pub phone: String,
    pub contacts: Vec<Contact>,
    pub notes: String,
}

/// A phone number: digits, spaces and `+ ( ) - . /`, so it can be dialled,
/// then optionally an extension (`x94245`, `ext. 12`), as accounting and
/// registration exports write them.
fn phone(field: &str, value: &str) -> Result<String, FieldError> {
    let v = text::clean(field, value, Lines::One, 40)?;
    if v.is_empty() {
        return Ok(v);
    }
    let lower = v.to_ascii_lowercase();
    let (number, extension) = match lower.find("ext").or_else(|| lower.find('x')) {
        Some(at) => (
            &lower[..at],
            Some(lower[at..].trim_start_matches(['e', 'x', 't', '.', ':', ' '])),
        ),
        None => (lower.as_str(), None),
    };
    let dialable = |s: &str| {
        s.chars()
            .all(|c| c.is_ascii_digit() || " +()-./".contains(c))
    };
    let number_ok = dialable(number) && number.chars().any(|c| c.is_ascii_digit());
    let extension_ok =
        extension.is_none_or(|e| !e.is_empty() && e.chars().all(|c| c.is_ascii_digit()));
    if !number_ok || !extension_ok {
        return Err(FieldError::new(
            field,
            format!(
                "{v:?} is not a phone number (digits, spaces and + ( ) - . /, then an extension like x123 if any)"
            ),
        ));
    }
    Ok(v)
}

const FIELDS: &[FieldSpec] = &[
    FieldSpec::new("code", FieldKind::Text).required().table(),
    FieldSpec::new("name", FieldKind::Text).required().table(),
    FieldSpec::new("sector", FieldKind::Choice(Sector::NAMES))
        .required()
        .table(),
    FieldSpec::new("areas", FieldKind::List),
    FieldSpec::new("status", FieldKind::Choice(Status::NAMES)).table(),
    FieldSpec::new("joined", FieldKind::Date).table(),
    FieldSpec::new("left", FieldKind::Date),
    FieldSpec::new("city", FieldKind::Text).table(),
    FieldSpec::new("country", FieldKind::Text),
    FieldSpec::new("website", FieldKind::Text),
    FieldSpec::new("email", FieldKind::Text),
    FieldSpec::new("phone", FieldKind::Text).table(),
    FieldSpec::new("contact_name", FieldKind::Text).not_in_form(),
    FieldSpec::new("contact_role", FieldKind::Text).not_in_form(),
    FieldSpec::new("contact_email", FieldKind::Text).not_in_form(),
    FieldSpec::new("contact_phone", FieldKind::Text).not_in_form(),
    FieldSpec::new("notes", FieldKind::MultiLine),
];

impl Member {
    fn primary_contact(&self) -> Contact {
        self.contacts.first().cloned().unwrap_or_default()
    }
}

impl Record for Member {
    const COLLECTION: Collection = Collection::Members;
    const NAME: &'static str = "members";
    const SINGULAR: &'static str = "member";
    const PLURAL: &'static str = "members";
    const LIST_COLUMNS: &'static [&'static str] =
        &["code", "name", "status", "city", "sector", "joined"];
    const TITLE_FIELD: &'static str = "name";
    const DEFAULT_SORT: &'static str = "name";
    const KEY_FIELDS: &'static [&'static str] = &["code"];

    fn empty(id: Uuid) -> Self {
        Member {
            id,
            code: String::new(),
            name: String::new(),
            sector: None,
            areas: Vec::new(),
            status: Status::Prospect,
            status_history: Vec::new(),
            joined: None,
            left: None,
            city: String::new(),
            country: "LT".to_string(),
            website: String::new(),
            email: String::new(),
            phone: String::new(),
            contacts: Vec::new(),
            notes: String::new(),
        }
    }

    fn id(&self) -> Uuid {
        self.id
    }

    fn key(&self) -> String {
        self.code.clone()
    }

    fn search_text(&self) -> String {
        let mut parts = vec![self.email.as_str(), self.phone.as_str()];
        parts.extend(self.areas.iter().map(String::as_str));
        for c in &self.contacts {
            parts.extend([c.name.as_str(), c.email.as_str(), c.phone.as_str()]);
        }
        parts.join(" ")
    }

    fn normalize_key(key: &str) -> String {
        key.trim().to_ascii_uppercase()
    }

    fn fields() -> &'static [FieldSpec] {
        FIELDS
    }

    fn get(&self, field: &str) -> Option<FieldValue> {
        let s = |v: &str| Some(FieldValue::Scalar(v.to_string()));
        match field {
            "code" => s(&self.code),
            "name" => s(&self.name),
            "sector" => s(self.sector.map(Sector::as_str).unwrap_or("")),
            "areas" => Some(FieldValue::List(self.areas.clone())),
            "status" => s(self.status.as_str()),
            "joined" => s(&date::show(self.joined)),
            "left" => s(&date::show(self.left)),
            "city" => s(&self.city),
            "country" => s(&self.country),
            "website" => s(&self.website),
            "email" => s(&self.email),
            "phone" => s(&self.phone),
            "contact_name" => s(&self.primary_contact().name),
            "contact_role" => s(&self.primary_contact().role),
            "contact_email" => s(&self.primary_contact().email),
            "contact_phone" => s(&self.primary_contact().phone),
            "notes" => s(&self.notes),
            _ => None,
        }
    }

    fn set(&mut self, field: &str, value: &FieldValue) -> Result<(), FieldError> {
        if field == "areas" {
            self.areas = text::tags(field, &value.items(FieldKind::List))?;
            return Ok(());
        }
        let v = value.scalar(field)?;
        let opt = |v: &str, f: fn(&str, &str) -> Result<String, FieldError>| {
            if v.trim().is_empty() {
                Ok(String::new())
            } else {
                f(field, v)
            }
        };
        match field {
            "code" => self.code = text::member_code(field, v)?,
            "name" => self.name = text::clean(field, v, Lines::One, NAME_MAX)?,
            "sector" => {
                self.sector = if v.trim().is_empty() {
                    None
                } else {
                    Some(Sector::parse(field, v)?)
                }
            }
            "status" => self.status = Status::parse(field, v)?,
            "joined" => self.joined = date::parse_opt(field, v)?,
            "left" => self.left = date::parse_opt(field, v)?,
            "city" => self.city = text::clean(field, v, Lines::One, SHORT_MAX)?,
            // Most members are Lithuanian: an empty country means LT.
            "country" if v.trim().is_empty() => self.country = "LT".to_string(),
            "country" => self.country = text::country(field, v)?,
            "website" => self.website = opt(v, text::website)?,
            "email" => self.email = opt(v, text::email)?,
            "phone" => self.phone = phone(field, v)?,
            "notes" => self.notes = text::clean(field, v, Lines::Many, 0)?,
            _ => {
                let Some(part) = field.strip_prefix("contact_") else {
                    return Err(super::record::unknown_field::<Self>(field));
                };
                if self.contacts.is_empty() {
                    self.contacts.push(Contact::default());
                }
                self.contacts[0].set(part, field, v)?;
                if self.contacts[0].is_empty() {
                    self.contacts.remove(0);
                }
            }
        }
        Ok(())
    }

    fn finish(&mut self, ctx: &Context) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::default();
        check_required(self, &mut errors);
        if let (Some(joined), Some(left)) = (self.joined, self.left)
            && left < joined
        {
            errors.push(FieldError::new(
                "left",
                format!("{left} is before joined ({joined})"),
            ));
        }
        for (i, contact) in self.contacts.iter().enumerate() {
            if contact.name.is_empty() {
                errors.push(FieldError::new(
                    format!("contacts[{}].name", i + 1),
                    "is required",
                ));
            }
        }
        if self.status_history.last().map(|c| c.status) != Some(self.status) {
            self.status_history.push(StatusChange {
                date: ctx.today,
                status: self.status,
            });
        }
        errors.into_result()
    }

    fn sorts() -> &'static [&'static str] {
        &["name", "joined"]
    }

    fn sort_key(&self, sort: &str) -> Vec<u8> {
        match sort {
            "name" => text::sort_fold(&self.name).into_bytes(),
            "joined" => date::show(self.joined).into_bytes(),
            _ => Vec::new(),
        }
    }

    fn nested(&self) -> Vec<(&'static str, serde_json::Value)> {
        vec![
            (
                "contacts",
                serde_json::to_value(&self.contacts).unwrap_or_default(),
            ),
            (
                "status_history",
                serde_json::to_value(&self.status_history).unwrap_or_default(),
            ),
        ]
    }

    fn set_nested(&mut self, name: &str, value: serde_json::Value) -> Result<(), FieldError> {
        match name {
            "contacts" => {
                let contacts: Vec<Contact> = serde_json::from_value(value)
                    .map_err(|e| FieldError::new(name, e.to_string()))?;
                self.contacts = contacts
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| !c.is_empty())
                    .map(|(i, c)| c.checked(&format!("contacts[{}]", i + 1)))
                    .collect::<Result<_, _>>()?;
            }
            "status_history" => {
                let mut history: Vec<StatusChange> = serde_json::from_value(value)
                    .map_err(|e| FieldError::new(name, e.to_string()))?;
                history.sort_by_key(|c| c.date);
                self.status_history = history;
            }
            _ => return Err(super::record::unknown_field::<Self>(name)),
        }
        Ok(())
    }
}
