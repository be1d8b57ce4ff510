//! Operations on the store that the CLI and the console share, with no clap
//! and no terminal: they take a `Store` and plain values and give back
//! results and errors that name what was wrong; the callers say it to
//! people (`cli/`) or on the screen (`tui/`).
//!
//! - `import.rs`: a file of rows into a collection, all or nothing: pass 1
//!   checks every row (`plan.rs` decides each), pass 2 writes them as one
//!   batch, in chunks when large, with a reading thread beside the writer.
//! - `load.rs`: a dump into an empty store, checked whole, then written.
//! - `save.rs`: one record in a batch of its own, checked or not against
//!   what the edit began from (a conflict when someone saved meanwhile).
//! - `change.rs`: set fields on and delete several records as one batch;
//!   what a batch did, in words.

pub mod change;
pub mod import;
pub mod load;
pub mod plan;
pub mod save;
