//! Sharing one store: `clusterdesk serve` owns it and speaks the Store API
//! over a Unix socket beside it (`serve.rs`, one thread per client in
//! `session.rs`); consoles and CLI commands are its clients (`client.rs`),
//! and the first of them starts it (`spawn.rs`). `protocol.rs` is the wire,
//! `auth.rs` decides who may connect.

pub mod auth;
pub mod client;
pub mod protocol;
pub mod serve;
mod session;
pub mod spawn;
