//! `interopc`: the interop command-line tool.

mod commands;
mod report;

use std::process::ExitCode;

use clap::Parser;

/// Check, lay out, describe and generate code for interop IDL schemas; plan deployments.
#[derive(Parser)]
#[command(name = "interopc", version, about, long_about = None, propagate_version = true)]
#[command(
    after_help = "Examples:\n  interopc check samples/fleet/control.idl\n  interopc generate samples/fleet/control.idl --out generated\n  interopc layout samples/fleet/control.idl Vehicle\n  interopc describe samples/fleet/control.idl > model.json\n  interopc plan samples/fleet/manifest.toml"
)]
struct Cli {
    /// Log what the tool does (repeat for more detail).
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    verbose: u8,

    #[command(subcommand)]
    command: commands::Command,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let level = match cli.verbose {
        0 => log::LevelFilter::Warn,
        1 => log::LevelFilter::Info,
        2 => log::LevelFilter::Debug,
        _ => log::LevelFilter::Trace,
    };
    env_logger::Builder::new()
        .filter_level(level)
        .parse_default_env()
        .init();
    cli.command.run()
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn command_line_is_consistent() {
        super::Cli::command().debug_assert();
    }
}
