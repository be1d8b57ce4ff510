//! Records in and out of text formats: aligned tables and record pages for
//! people; CSV, JSON and JSON Lines for scripts; the TOML form `edit` opens.

pub mod csv;
pub mod dump;
pub mod form;
pub mod json;
pub mod read;
pub mod table;
pub mod text;
