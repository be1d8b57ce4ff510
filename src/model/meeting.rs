//! A meeting or experience-sharing event: who came, what was decided, who does what.

use jiff::civil::{Date, Time};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::choice::MeetingKind;
use super::date;
use super::error::{FieldError, FieldErrors};
use super::record::{
    Collection, Context, FieldKind, FieldSpec, FieldValue, Record, check_required,
};
use super::text::{self, Lines, NAME_MAX, SHORT_MAX, SUMMARY_MAX};

/// Something someone agreed to do.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Action {
    pub text: String,
    /// A person or a member code.
    pub owner: String,
    pub due: Option<Date>,
    pub done: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
// A dump line with a field this build does not know is refused, not half read.
#[serde(deny_unknown_fields)]
pub struct Meeting {
    pub id: Uuid,
    pub slug: String,
    pub title: String,
    pub date: Option<Date>,
    pub start: Option<Time>,
    pub location: String,
    pub kind: Option<MeetingKind>,
    /// Codes of the members that attended.
    pub attendees: Vec<String>,
    pub notes: String,
    pub decisions: Vec<String>,
    pub actions: Vec<Action>,
}

const FIELDS: &[FieldSpec] = &[
    FieldSpec::new("slug", FieldKind::Text).table(),
    FieldSpec::new("title", FieldKind::Text).required().table(),
    FieldSpec::new("date", FieldKind::Date).required().table(),
    FieldSpec::new("start", FieldKind::Text),
    FieldSpec::new("location", FieldKind::Text).table(),
    FieldSpec::new("kind", FieldKind::Choice(MeetingKind::NAMES))
        .required()
        .table(),
    FieldSpec::new("attendees", FieldKind::List),
    FieldSpec::new("notes", FieldKind::MultiLine),
    FieldSpec::new("decisions", FieldKind::TextList),
];

impl Record for Meeting {
    const COLLECTION: Collection = Collection::Meetings;
    const NAME: &'static str = "meetings";
    const SINGULAR: &'static str = "meeting";
    const PLURAL: &'static str = "meetings";
    const REFERS_TO_MEMBERS: bool = true;
    const LIST_COLUMNS: &'static [&'static str] = &["slug", "title", "date", "kind", "location"];
    const TITLE_FIELD: &'static str = "title";
    const DEFAULT_SORT: &'static str = "date";
    const NEWEST_FIRST: bool = true;
    const KEY_FIELDS: &'static [&'static str] = &["slug"];

    fn empty(id: Uuid) -> Self {
        Meeting {
            id,
            slug: String::new(),
            title: String::new(),
            date: None,
            start: None,
            location: String::new(),
            kind: None,
            attendees: Vec::new(),
            notes: String::new(),
            decisions: Vec::new(),
            actions: Vec::new(),
        }
    }

    fn id(&self) -> Uuid {
        self.id
    }

    fn key(&self) -> String {
        self.slug.clone()
    }

    fn search_text(&self) -> String {
        self.attendees.join(" ")
    }

    /// `YYYY-MM-DD-title`, as `add` makes it.
    fn derive_key(&mut self) {
        if self.slug.is_empty()
            && let Some(d) = self.date
        {
            let title = text::slugify(&self.title);
            self.slug = text::slugify(&format!("{d} {title}"));
        }
    }

    fn fields() -> &'static [FieldSpec] {
        FIELDS
    }

    fn get(&self, field: &str) -> Option<FieldValue> {
        let s = |v: &str| Some(FieldValue::Scalar(v.to_string()));
        match field {
            "slug" => s(&self.slug),
            "title" => s(&self.title),
            "date" => s(&date::show(self.date)),
            "start" => s(&self.start.map(date::format_time).unwrap_or_default()),
            "location" => s(&self.location),
            "kind" => s(self.kind.map(MeetingKind::as_str).unwrap_or("")),
            "attendees" => Some(FieldValue::List(self.attendees.clone())),
            "notes" => s(&self.notes),
            "decisions" => Some(FieldValue::List(self.decisions.clone())),
            _ => None,
        }
    }

    fn set(&mut self, field: &str, value: &FieldValue) -> Result<(), FieldError> {
        match field {
            "attendees" => {
                self.attendees = text::member_codes(field, &value.items(FieldKind::List))?
            }
            "decisions" => {
                self.decisions = value
                    .items(FieldKind::TextList)
                    .iter()
                    .map(|d| text::clean(field, d, Lines::Many, 0))
                    .filter(|d| d.as_ref().map_or(true, |d| !d.is_empty()))
                    .collect::<Result<_, _>>()?
            }
            _ => {
                let v = value.scalar(field)?;
                match field {
                    "slug" => {
                        self.slug = if v.trim().is_empty() {
                            String::new()
                        } else {
                            text::slug(field, v)?
                        }
                    }
                    "title" => self.title = text::clean(field, v, Lines::One, NAME_MAX)?,
                    "date" => self.date = date::parse_opt(field, v)?,
                    "start" => self.start = date::parse_time(field, v)?,
                    "location" => self.location = text::clean(field, v, Lines::One, SHORT_MAX)?,
                    "kind" => {
                        self.kind = if v.trim().is_empty() {
                            None
                        } else {
                            Some(MeetingKind::parse(field, v)?)
                        }
                    }
                    "notes" => self.notes = text::clean(field, v, Lines::Many, 0)?,
                    _ => return Err(super::record::unknown_field::<Self>(field)),
                }
            }
        }
        Ok(())
    }

    fn finish(&mut self, _ctx: &Context) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::default();
        check_required(self, &mut errors);
        self.derive_key();
        for (i, action) in self.actions.iter().enumerate() {
            if action.text.is_empty() {
                errors.push(FieldError::new(
                    format!("actions[{}].text", i + 1),
                    "is required",
                ));
            }
        }
        errors.into_result()
    }

    fn sorts() -> &'static [&'static str] {
        &["date"]
    }

    fn sort_key(&self, sort: &str) -> Vec<u8> {
        match sort {
            "date" => {
                let start = self.start.map(date::format_time).unwrap_or_default();
                format!("{}T{start}", date::show(self.date)).into_bytes()
            }
            _ => Vec::new(),
        }
    }

    fn member_refs(&self) -> Vec<(&'static str, String)> {
        self.attendees
            .iter()
            .map(|c| ("attendees", c.clone()))
            .collect()
    }

    fn nested(&self) -> Vec<(&'static str, serde_json::Value)> {
        vec![(
            "actions",
            serde_json::to_value(&self.actions).unwrap_or_default(),
        )]
    }

    fn set_nested(&mut self, name: &str, value: serde_json::Value) -> Result<(), FieldError> {
        if name != "actions" {
            return Err(super::record::unknown_field::<Self>(name));
        }
        let actions: Vec<Action> =
            serde_json::from_value(value).map_err(|e| FieldError::new(name, e.to_string()))?;
        let mut checked = Vec::with_capacity(actions.len());
        for (i, a) in actions.into_iter().enumerate() {
            let field = format!("actions[{}]", i + 1);
            checked.push(Action {
                text: text::clean(&format!("{field}.text"), &a.text, Lines::One, SUMMARY_MAX)?,
                owner: text::clean(&format!("{field}.owner"), &a.owner, Lines::One, SHORT_MAX)?,
                due: a.due,
                done: a.done,
            });
        }
        self.actions = checked;
        Ok(())
    }
}
