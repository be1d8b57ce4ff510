//! Fields whose value comes from a fixed list: case-insensitive in, canonical out.

use super::error::FieldError;
use super::text::sanitize_for_message;

/// Declares an enum of canonical names with parsing that names the choices.
macro_rules! choice {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub const NAMES: &'static [&'static str] = &[$($text),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(field: &str, value: &str) -> Result<Self, FieldError> {
                let v = value.trim();
                $(if v.eq_ignore_ascii_case($text) { return Ok($name::$variant); })+
                Err(unknown_choice(field, value, Self::NAMES))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                $name::parse(stringify!($name), &text).map_err(|e| serde::de::Error::custom(e.reason))
            }
        }
    };
}

pub(crate) fn unknown_choice(field: &str, value: &str, names: &[&str]) -> FieldError {
    FieldError::new(
        field,
        format!(
            "\"{}\" is not one of: {}",
            sanitize_for_message(value.trim()),
            names.join(", ")
        ),
    )
}

choice!(
    /// What a member company does.
    Sector {
        ElectricalEquipment = "electrical-equipment",
        Machinery = "machinery",
        Ict = "ict",
        Research = "research",
        Public = "public",
        Other = "other",
    }
);

choice!(
    /// Where a member stands with the cluster.
    Status {
        Prospect = "prospect",
        Active = "active",
        Suspended = "suspended",
        Former = "former",
    }
);

choice!(
    /// The language of a news item.
    Lang { Lt = "lt", En = "en" }
);

choice!(
    /// Where a news item is on its way to the portal.
    NewsStatus {
        Draft = "draft",
        Review = "review",
        Scheduled = "scheduled",
        Published = "published",
        Withdrawn = "withdrawn",
    }
);

choice!(
    /// What sort of meeting.
    MeetingKind {
        ExperienceSharing = "experience-sharing",
        Workshop = "workshop",
        Board = "board",
        GeneralAssembly = "general-assembly",
        Other = "other",
    }
);
