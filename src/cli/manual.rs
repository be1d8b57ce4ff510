//! `clusterdesk completions SHELL` and `clusterdesk man`.

use clap::CommandFactory;

use super::{Cli, write_stdout};

#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    #[arg(value_enum)]
    shell: clap_complete::Shell,
}

pub fn completions(args: CompletionsArgs) -> anyhow::Result<()> {
    let mut cmd = Cli::command();
    write_stdout(|out| {
        clap_complete::generate(args.shell, &mut cmd, "clusterdesk", out);
        Ok(())
    })
}

pub fn man() -> anyhow::Result<()> {
    let man = clap_mangen::Man::new(Cli::command());
    write_stdout(|out| man.render(out))
}
