//! Records in and out of text formats: aligned tables and record pages for
//! people; CSV, JSON and JSON Lines for scripts.

pub mod csv;
pub mod json;
pub mod table;
pub mod text;
