//! How a [`Store`] is opened through a server: here, not in `store/`, so
//! the store knows nothing of servers.

use std::path::Path;

use super::client::Client;
use super::spawn;
use crate::store::{Engine, Store, StoreError};

impl Store {
    /// Opens the store: through its server if one is running, else in this
    /// process (exclusively, until it is dropped).
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        Ok(match spawn::connect_running(path)? {
            Some(client) => Store::new(Box::new(client)),
            None => Store::new(Box::new(Engine::open(path)?)),
        })
    }

    /// Connects to the store's server, starting one in the background if
    /// none runs: how the CLI and the console open a store.
    pub fn connect(path: &Path) -> Result<Store, StoreError> {
        Ok(Store::new(Box::new(spawn::connect_or_start(path)?)))
    }

    /// Connects to the server listening on `socket` (one forwarded from
    /// another machine, say); never starts one.
    pub fn connect_socket(socket: &Path) -> Result<Store, StoreError> {
        Ok(Store::new(Box::new(Client::connect(socket, socket)?)))
    }
}
