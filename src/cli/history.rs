//! `clusterdesk history [--limit N] [--format table|json]`: who changed what,
//! batch by batch, newest first.

use uuid::Uuid;

use super::{StoreArgs, write_stdout};
use crate::display::{cell, pad, truncate};
use crate::store::HistoryEntry;

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Format {
    Table,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// How many batches to show, newest first.
    #[arg(long, default_value_t = 20)]
    limit: usize,
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
}

/// One batch: its entries in the order they were made.
struct Batch<'a> {
    id: Uuid,
    entries: Vec<&'a HistoryEntry>,
}

fn summary(batch: &Batch) -> String {
    let count = |f: fn(&HistoryEntry) -> bool| batch.entries.iter().filter(|e| f(e)).count();
    let created = count(|e| e.before.is_none());
    let removed = count(|e| e.after.is_none());
    let updated = batch.entries.len() - created - removed;
    let mut parts = Vec::new();
    for (n, what) in [
        (created, "created"),
        (updated, "changed"),
        (removed, "removed"),
    ] {
        if n > 0 {
            parts.push(format!("{n} {what}"));
        }
    }
    let keys: Vec<String> = batch
        .entries
        .iter()
        .take(3)
        .map(|e| format!("{} {}", e.collection.singular(), e.key))
        .collect();
    let more = batch.entries.len().saturating_sub(3);
    let tail = if more > 0 {
        format!(" and {more} more")
    } else {
        String::new()
    };
    format!("{}: {}{tail}", parts.join(", "), keys.join(", "))
}

pub fn run(store: &StoreArgs, args: Args) -> anyhow::Result<()> {
    let store = store.open()?;
    let entries = store.history()?;
    let mut batches: Vec<Batch> = Vec::new();
    for e in &entries {
        match batches.last_mut() {
            Some(b) if b.id == e.batch => b.entries.push(e),
            _ => batches.push(Batch {
                id: e.batch,
                entries: vec![e],
            }),
        }
    }
    let newest: Vec<&Batch> = batches.iter().rev().take(args.limit).collect();
    match args.format {
        Format::Json => write_stdout(|out| {
            let value: Vec<serde_json::Value> = newest
                .iter()
                .map(|b| serde_json::json!({ "batch": b.id, "changes": b.entries }))
                .collect();
            serde_json::to_writer_pretty(&mut *out, &value)?;
            writeln!(out)
        }),
        Format::Table => write_stdout(|out| {
            writeln!(
                out,
                "{}  {}  {}  WHAT",
                pad("BATCH", 36),
                pad("WHEN", 20),
                pad("WHO", 12)
            )?;
            for b in newest {
                let Some(first) = b.entries.first() else {
                    continue;
                };
                let when = first
                    .at
                    .to_zoned(jiff::tz::TimeZone::system())
                    .strftime("%Y-%m-%d %H:%M:%S")
                    .to_string();
                writeln!(
                    out,
                    "{}  {}  {}  {}",
                    b.id,
                    pad(&when, 20),
                    pad(&truncate(&cell(&first.who), 12), 12),
                    cell(&summary(b))
                )?;
            }
            Ok(())
        }),
    }
}
