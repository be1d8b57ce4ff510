//! A news item on its way to the cluster's portal.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::choice::{Lang, NewsStatus};
use super::date;
use super::error::{FieldError, FieldErrors};
use super::record::{
    Collection, Context, FieldKind, FieldSpec, FieldValue, Record, check_required,
};
use super::text::{self, Lines, NAME_MAX, SHORT_MAX, SUMMARY_MAX};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
// A dump line with a field this build does not know is refused, not half read.
#[serde(deny_unknown_fields)]
pub struct NewsItem {
    pub id: Uuid,
    pub slug: String,
    pub title: String,
    pub lang: Option<Lang>,
    pub status: NewsStatus,
    pub author: String,
    pub tags: Vec<String>,
    /// Codes of the members the item is about.
    pub members: Vec<String>,
    pub summary: String,
    pub body: String,
    pub created: Option<Date>,
    pub updated: Option<Date>,
    pub publish_at: Option<Date>,
    pub published_at: Option<Date>,
}

const FIELDS: &[FieldSpec] = &[
    FieldSpec::new("slug", FieldKind::Text).table(),
    FieldSpec::new("title", FieldKind::Text).required().table(),
    FieldSpec::new("lang", FieldKind::Choice(Lang::NAMES))
        .required()
        .table(),
    FieldSpec::new("status", FieldKind::Choice(NewsStatus::NAMES)).table(),
    FieldSpec::new("author", FieldKind::Text),
    FieldSpec::new("tags", FieldKind::List),
    FieldSpec::new("members", FieldKind::List),
    FieldSpec::new("summary", FieldKind::Text),
    FieldSpec::new("body", FieldKind::MultiLine),
    FieldSpec::new("created", FieldKind::Date).table(),
    FieldSpec::new("updated", FieldKind::Date),
    FieldSpec::new("publish_at", FieldKind::Date),
    FieldSpec::new("published_at", FieldKind::Date),
];

impl Record for NewsItem {
    const COLLECTION: Collection = Collection::News;
    const NAME: &'static str = "news";
    const SINGULAR: &'static str = "news item";
    const PLURAL: &'static str = "news items";
    const REFERS_TO_MEMBERS: bool = true;
    const LIST_COLUMNS: &'static [&'static str] = &["slug", "title", "status", "lang", "created"];
    const TITLE_FIELD: &'static str = "title";
    const DEFAULT_SORT: &'static str = "created";
    const NEWEST_FIRST: bool = true;
    const KEY_FIELDS: &'static [&'static str] = &["slug"];

    fn empty(id: Uuid) -> Self {
        NewsItem {
            id,
            slug: String::new(),
            title: String::new(),
            lang: None,
            status: NewsStatus::Draft,
            author: String::new(),
            tags: Vec::new(),
            members: Vec::new(),
            summary: String::new(),
            body: String::new(),
            created: None,
            updated: None,
            publish_at: None,
            published_at: None,
        }
    }

    fn id(&self) -> Uuid {
        self.id
    }

    fn key(&self) -> String {
        self.slug.clone()
    }

    fn search_text(&self) -> String {
        format!(
            "{} {} {}",
            self.author,
            self.tags.join(" "),
            self.members.join(" ")
        )
    }

    fn derive_key(&mut self) {
        if self.slug.is_empty() {
            self.slug = text::slugify(&self.title);
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
            "lang" => s(self.lang.map(Lang::as_str).unwrap_or("")),
            "status" => s(self.status.as_str()),
            "author" => s(&self.author),
            "tags" => Some(FieldValue::List(self.tags.clone())),
            "members" => Some(FieldValue::List(self.members.clone())),
            "summary" => s(&self.summary),
            "body" => s(&self.body),
            "created" => s(&date::show(self.created)),
            "updated" => s(&date::show(self.updated)),
            "publish_at" => s(&date::show(self.publish_at)),
            "published_at" => s(&date::show(self.published_at)),
            _ => None,
        }
    }

    fn set(&mut self, field: &str, value: &FieldValue) -> Result<(), FieldError> {
        match field {
            "tags" => self.tags = text::tags(field, &value.items(FieldKind::List))?,
            "members" => self.members = text::member_codes(field, &value.items(FieldKind::List))?,
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
                    "lang" => {
                        self.lang = if v.trim().is_empty() {
                            None
                        } else {
                            Some(Lang::parse(field, v)?)
                        }
                    }
                    "status" => self.status = NewsStatus::parse(field, v)?,
                    "author" => self.author = text::clean(field, v, Lines::One, SHORT_MAX)?,
                    "summary" => self.summary = text::clean(field, v, Lines::One, SUMMARY_MAX)?,
                    "body" => self.body = text::clean(field, v, Lines::Many, 0)?,
                    "created" => self.created = date::parse_opt(field, v)?,
                    "updated" => self.updated = date::parse_opt(field, v)?,
                    "publish_at" => self.publish_at = date::parse_opt(field, v)?,
                    "published_at" => self.published_at = date::parse_opt(field, v)?,
                    _ => return Err(super::record::unknown_field::<Self>(field)),
                }
            }
        }
        Ok(())
    }

    fn finish(&mut self, ctx: &Context) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::default();
        check_required(self, &mut errors);
        self.derive_key();
        if self.slug.is_empty() && !self.title.is_empty() {
            errors.push(FieldError::new(
                "slug",
                "cannot be made from the title (no letters or digits); give one",
            ));
        }
        if self.status == NewsStatus::Scheduled && self.publish_at.is_none() {
            errors.push(FieldError::new(
                "publish_at",
                "is required when status is scheduled",
            ));
        }
        if self.status == NewsStatus::Published && self.published_at.is_none() {
            self.published_at = Some(ctx.today);
        }
        self.created.get_or_insert(ctx.today);
        self.updated = Some(ctx.today);
        errors.into_result()
    }

    fn sorts() -> &'static [&'static str] {
        &["created", "title"]
    }

    fn sort_key(&self, sort: &str) -> Vec<u8> {
        match sort {
            "created" => date::show(self.created).into_bytes(),
            "title" => text::sort_fold(&self.title).into_bytes(),
            _ => Vec::new(),
        }
    }

    fn member_refs(&self) -> Vec<(&'static str, String)> {
        self.members
            .iter()
            .map(|c| ("members", c.clone()))
            .collect()
    }
}
