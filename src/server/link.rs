//! What goes wrong between a client and the server that holds its store:
//! the transport's own errors, said here and handed to callers as
//! `StoreError::Unreachable` (the store knows nothing of sockets).

use std::path::PathBuf;

use crate::store::StoreError;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LinkError {
    #[error("lost the connection to the clusterdesk server of {}: {reason}", path.display())]
    Disconnected { path: PathBuf, reason: String },

    #[error("cannot start a clusterdesk server for {}: {reason}", path.display())]
    NoServer { path: PathBuf, reason: String },

    /// A server this client started stopped at once; `said` is its reason
    /// from its log (a damaged store, say), told as the server told it.
    #[error("{}", if said.is_empty() {
        format!("the clusterdesk server of {} stopped ({}); see {}", path.display(),
            code.map_or_else(|| "killed".to_string(), |c| format!("exit {c}")), log.display())
    } else {
        said.clone()
    })]
    ServerStopped {
        path: PathBuf,
        code: Option<i32>,
        said: String,
        log: PathBuf,
    },
}

impl LinkError {
    fn path(&self) -> &PathBuf {
        match self {
            LinkError::Disconnected { path, .. }
            | LinkError::NoServer { path, .. }
            | LinkError::ServerStopped { path, .. } => path,
        }
    }

    /// The CLI's exit code: a server that stopped on a damaged or busy
    /// store, or on bad data, says so with its own code.
    fn exit_code(&self) -> i32 {
        match self {
            LinkError::ServerStopped {
                code: Some(code @ (65 | 74 | 75)),
                ..
            } => *code,
            _ => 1,
        }
    }
}

impl From<LinkError> for StoreError {
    fn from(e: LinkError) -> StoreError {
        StoreError::Unreachable {
            path: e.path().clone(),
            message: e.to_string(),
            exit_code: e.exit_code(),
        }
    }
}
