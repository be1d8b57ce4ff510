//! `clusterdesk demo`: a demo cluster in its own store; the console opens on
//! it at a terminal, and a script is told where it is and what to try.

use std::path::Path;

use super::{StoreArgs, data_dir, write_stdout};
use crate::model::{Member, NewsItem};

#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(flags: &StoreArgs, keymap: Option<&Path>, _args: Args) -> anyhow::Result<()> {
    // The demo keeps to its own store unless one is named, so trying it
    // never mixes invented companies into the real register.
    let path = match &flags.dir {
        Some(p) => p.clone(),
        None => data_dir()?.join("demo"),
    };
    let flags = flags.at(&path);
    let store = flags.open()?;
    let summary = crate::demo::build(&store)?;
    if super::interactive() {
        return super::console_on(Some(store), &flags, keymap);
    }
    let verb = if summary.created {
        "built"
    } else {
        "already holds"
    };
    // stdout is a terminal too: the path is the user's.
    let shown = crate::display::escape_line(&path.display().to_string()).into_owned();
    let quoted = if shown.contains(' ') {
        format!("'{shown}'")
    } else {
        shown.clone()
    };
    let member = store
        .keys::<Member>()?
        .into_iter()
        .next()
        .unwrap_or_default();
    let news = store
        .keys::<NewsItem>()?
        .into_iter()
        .next()
        .unwrap_or_default();
    write_stdout(|out| {
        writeln!(
            out,
            "The demo store {shown} {verb} {} members, {} indicators, {} news items and {} meetings.",
            summary.members, summary.indicators, summary.news, summary.meetings
        )?;
        writeln!(out, "\nTry:")?;
        for line in [
            "list members".to_string(),
            "list members --filter status=active --sort name".to_string(),
            format!("show members {member}"),
            "list meetings --sort -date".to_string(),
            "list news --format json".to_string(),
            format!("set members {member} phone=\"+370 600 12345\""),
            format!("edit news {news}"),
        ] {
            writeln!(out, "  clusterdesk --store {quoted} {line}")?;
        }
        writeln!(
            out,
            "\nor export CLUSTERDESK_STORE={quoted} and leave out --store."
        )
    })
}
