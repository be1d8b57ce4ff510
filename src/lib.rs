//! clusterdesk: members, news and meetings of an industry cluster, kept in an
//! embedded sled store. `model` is pure; `store` is the only door to sled;
//! `ops` are the operations (import, bulk changes) over the store's API
//! that `cli` and the console (`tui`), thin layers both, call.

#![forbid(unsafe_code)]
#![deny(clippy::unwrap_used, clippy::expect_used)]
// A test that cannot set up fails loudly; that is what tests are for.
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

pub mod cli;
pub mod demo;
pub mod display;
pub mod editor;
pub mod io;
pub mod model;
pub mod ops;
pub mod server;
pub mod signals;
pub mod store;
pub mod tui;
