//! Which store a command works on and how it reaches it: `--store`,
//! `--embedded`, `--connect`, parsed once and handed to each subcommand
//! (no process-wide flags).

use std::path::{Path, PathBuf};

use super::{data_dir, output};
use crate::store::Store;

/// The store flags every subcommand takes.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct StoreArgs {
    /// The store directory (default: $XDG_DATA_HOME/clusterdesk/store).
    #[arg(
        long = "store",
        global = true,
        env = "CLUSTERDESK_STORE",
        value_name = "DIR"
    )]
    pub dir: Option<PathBuf>,

    /// Open the store in this process instead of through its server: for
    /// one user alone, recovery and benchmarks (refused while a server runs).
    /// The variable takes 1/0, true/false, yes/no, on/off.
    #[arg(
        long,
        global = true,
        env = "CLUSTERDESK_EMBEDDED",
        value_parser = clap::builder::BoolishValueParser::new()
    )]
    pub embedded: bool,

    /// Use the server listening on SOCKET (e.g. a socket forwarded with
    /// `ssh -L`) instead of the store's own.
    #[arg(
        long,
        global = true,
        env = "CLUSTERDESK_CONNECT",
        value_name = "SOCKET"
    )]
    pub connect: Option<PathBuf>,
}

impl StoreArgs {
    /// The same flags for another directory (the demo's own store).
    pub fn at(&self, dir: &Path) -> StoreArgs {
        StoreArgs {
            dir: Some(dir.to_path_buf()),
            ..self.clone()
        }
    }

    /// Where the store is: `--store`, else `CLUSTERDESK_STORE` (clap reads
    /// both), else `$XDG_DATA_HOME/clusterdesk/store`.
    pub fn path(&self) -> anyhow::Result<PathBuf> {
        match &self.dir {
            Some(p) => Ok(p.clone()),
            None => data_dir().map(|d| d.join("store")),
        }
    }

    /// The store as commands open it: through its server (started if none
    /// runs), or in this process with `--embedded`.
    pub fn open(&self) -> anyhow::Result<Store> {
        self.open_with(Store::open_local)
    }

    /// [`StoreArgs::open`] for a bulk write: in this process, a small page cache.
    pub fn open_for_bulk(&self) -> anyhow::Result<Store> {
        self.open_with(Store::open_local_for_bulk)
    }

    fn open_with(
        &self,
        embedded: fn(&Path) -> Result<Store, crate::store::StoreError>,
    ) -> anyhow::Result<Store> {
        if let Some(socket) = &self.connect {
            return Ok(Store::connect_socket(socket)?);
        }
        let path = self.path()?;
        Ok(if self.embedded {
            said_tightened(embedded(&path)?)
        } else {
            Store::connect(&path)?
        })
    }
}

/// Tells the person at the terminal which files of the store were open to
/// others until now.
fn said_tightened(store: Store) -> Store {
    for t in store.tightened() {
        output::note(format!("clusterdesk: note: {t}"));
    }
    store
}
