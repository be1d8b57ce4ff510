//! The domain: members, indicators, news and meetings, and the rules their
//! fields follow. Pure: no I/O, no clock (the caller passes [`Context`]).

pub mod any;
pub mod choice;
pub mod date;
pub mod error;
pub mod indicator;
pub mod meeting;
pub mod member;
pub mod news;
pub mod record;
pub mod text;

pub use any::{AnyRecord, IntoAny};
pub use choice::{Lang, MeetingKind, NewsStatus, Sector, Status};
pub use error::{FieldError, FieldErrors};
pub use indicator::Indicator;
pub use meeting::{Action, Meeting};
pub use member::{Contact, Member, StatusChange};
pub use news::NewsItem;
pub use record::{Collection, Context, FieldKind, FieldSpec, FieldValue, Record};
