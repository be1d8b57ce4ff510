//! Sharing one store: `clusterdesk serve` owns it and speaks the Store API
//! over a Unix socket beside it (`serve.rs`, one thread per client in
//! `session.rs`); consoles and CLI commands are its clients (`client.rs`),
//! and the first of them starts it (`spawn.rs`). `protocol.rs` is the wire,
//! `auth.rs` decides who may connect, `limits.rs` how much they may take;
//! `inbox.rs` reads a client's frames and `outbox.rs` queues and writes
//! its events, so a client that does not read stalls nobody.

pub mod auth;
pub mod client;
mod inbox;
mod limits;
pub mod link;
mod open;
mod outbox;
pub mod protocol;
mod remote;
pub mod serve;
mod session;
pub mod spawn;
