//! `clusterdesk list C [--filter F=V]... [--sort F] [--format ...]`

use crate::model::Collection;

use super::{CliError, StoreArgs, write_stdout};
use crate::each_record;
use crate::io;
use crate::model::record::unknown_field;
use crate::model::text::sort_fold;
use crate::model::{FieldValue, Record};
use crate::store::Store;

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Format {
    Table,
    Json,
    Jsonl,
    Csv,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    #[arg(value_enum)]
    collection: Collection,
    /// Keep records whose FIELD equals VALUE (any item, for list fields;
    /// case-insensitive). Repeat to require several.
    #[arg(long, value_name = "FIELD=VALUE")]
    filter: Vec<String>,
    /// Order by FIELD (`-FIELD` for descending); the default is the key.
    #[arg(long, value_name = "FIELD", allow_hyphen_values = true)]
    sort: Option<String>,
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
}

pub fn run(store: &StoreArgs, args: Args) -> anyhow::Result<()> {
    let collection = args.collection;
    each_record!(type of collection, R => list::<R>(store, &args))
}

struct Filter {
    field: String,
    value: String,
}

impl Filter {
    fn parse<R: Record>(arg: &str) -> Result<Filter, CliError> {
        let (field, value) = arg
            .split_once('=')
            .ok_or_else(|| CliError::Usage(format!("--filter {arg:?} is not FIELD=VALUE")))?;
        let field = field.trim();
        if R::spec(field).is_none() {
            return Err(CliError::Usage(format!(
                "--filter: {}",
                unknown_field::<R>(field)
            )));
        }
        Ok(Filter {
            field: field.to_string(),
            value: value.trim().to_lowercase(),
        })
    }

    fn keeps<R: Record>(&self, record: &R) -> bool {
        match record.get(&self.field) {
            Some(FieldValue::Scalar(s)) => s.to_lowercase() == self.value,
            Some(FieldValue::List(items)) => items.iter().any(|i| i.to_lowercase() == self.value),
            None => false,
        }
    }
}

/// Reads the records in the asked order: through an index when one is kept
/// for the field, else sorted in memory.
fn sorted<R: Record>(store: &Store, sort: Option<&str>) -> anyhow::Result<Vec<R>> {
    let (field, descending) = match sort {
        Some(s) => match s.strip_prefix('-') {
            Some(f) => (Some(f.trim()), true),
            None => (Some(s.trim()), false),
        },
        None => (None, false),
    };
    let key_field = R::KEY_FIELDS.first().copied();
    let mut records: Vec<R> = match field {
        None => store.scan::<R>(None)?.collect::<Result<_, _>>()?,
        Some(f) if Some(f) == key_field || f == R::COLLECTION.key_name() => {
            store.scan::<R>(None)?.collect::<Result<_, _>>()?
        }
        Some(f) if R::sorts().contains(&f) => {
            store.scan::<R>(Some(f))?.collect::<Result<_, _>>()?
        }
        Some(f) => {
            if R::spec(f).is_none() {
                return Err(CliError::Usage(format!("--sort: {}", unknown_field::<R>(f))).into());
            }
            let mut all: Vec<(String, R)> = store
                .scan::<R>(None)?
                .map(|r| {
                    r.map(|r| {
                        (
                            sort_fold(&r.get(f).map(|v| v.to_text()).unwrap_or_default()),
                            r,
                        )
                    })
                })
                .collect::<Result<_, _>>()?;
            // Stable: records with equal values stay in key order.
            all.sort_by(|a, b| a.0.cmp(&b.0));
            all.into_iter().map(|(_, r)| r).collect()
        }
    };
    if descending {
        records.reverse();
    }
    Ok(records)
}

fn list<R: Record>(store: &StoreArgs, args: &Args) -> anyhow::Result<()> {
    let filters = args
        .filter
        .iter()
        .map(|f| Filter::parse::<R>(f))
        .collect::<Result<Vec<_>, _>>()?;
    let store = store.open()?;
    let records: Vec<R> = sorted::<R>(&store, args.sort.as_deref())?
        .into_iter()
        .filter(|r| filters.iter().all(|f| f.keeps(r)))
        .collect();
    write_stdout(|out| match args.format {
        Format::Table => io::table::write(out, &records),
        Format::Json => io::json::write_array(out, records),
        Format::Jsonl => io::json::write_lines(out, records),
        Format::Csv => io::csv::write(out, records),
    })
}
