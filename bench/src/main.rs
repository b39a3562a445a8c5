//! `interop-bench`: round-trip latency and one-way streaming rate between two processes pinned
//! to two cores, for raw baselines (and, as entries of the same table, the runtime's
//! transports). The binary runs itself again as the peer of each case.

mod affinity;
mod cases;
mod cpu;
mod peer;
mod report;
mod service;
mod shared;
mod stats;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use cases::{Config, CASES};
use report::Report;
use stats::Summary;

/// Measures round trips and streams of 64-byte messages between two pinned processes.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    /// A fast, rough run: 10,000 round trips and 2 million streamed messages per case.
    #[arg(long)]
    quick: bool,
    /// Print JSON instead of a markdown table.
    #[arg(long)]
    json: bool,
    /// Timed round trips per case (default 200,000; a tenth more run first as warm-up).
    #[arg(long)]
    round_trips: Option<u64>,
    /// Messages per streaming case (default 20 million).
    #[arg(long)]
    messages: Option<u64>,
    /// Run only this case (repeatable): shm-spin, eventfd, unix-socket, tcp, shm-ring-stream,
    /// shm-channel-spin, shm-channel-adaptive, rpc-inproc, rpc-shm-spin, rpc-shm-adaptive,
    /// rpc-shm-c, rpc-shm-python, rpc-shm-block, rpc-pipe, rpc-tcp, rpc-shm-oneway.
    #[arg(long = "case")]
    cases: Vec<String>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve one case as the peer process (run by the benchmark itself).
    #[command(hide = true)]
    Peer {
        /// The case.
        case: String,
        /// Its arguments.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Some(Command::Peer { case, args }) => serve(case, args),
        None => run(&cli),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("interop-bench: {error}");
            ExitCode::FAILURE
        }
    }
}

fn serve(case: &str, args: &[String]) -> Result<(), String> {
    let case = cases::find(case).ok_or_else(|| format!("no case named `{case}`"))?;
    peer::become_peer().map_err(|error| format!("preparing the peer of {}: {error}", case.name))?;
    (case.serve)(args).map_err(|error| format!("peer of {}: {error}", case.name))
}

fn run(cli: &Cli) -> Result<(), String> {
    let round_trips = cli
        .round_trips
        .unwrap_or(if cli.quick { 10_000 } else { 200_000 });
    let config = Config {
        round_trips,
        warmup: (round_trips / 10).max(1_000),
        messages: cli
            .messages
            .unwrap_or(if cli.quick { 2_000_000 } else { 20_000_000 }),
    };
    let selected: Vec<_> = if cli.cases.is_empty() {
        CASES.iter().collect()
    } else {
        cli.cases
            .iter()
            .map(|name| {
                cases::find(name).ok_or_else(|| {
                    let known: Vec<_> = CASES.iter().map(|case| case.name).collect();
                    format!("no case named `{name}` (hint: one of {})", known.join(", "))
                })
            })
            .collect::<Result<_, _>>()?
    };
    let cores = affinity::plan().map_err(|error| format!("reading the allowed cores: {error}"))?;
    if let Some([ours, theirs]) = cores {
        peer::assign_core(theirs);
        affinity::pin(ours).map_err(|error| format!("pinning to core {ours}: {error}"))?;
    }
    let mut measured = Vec::new();
    for case in selected {
        eprintln!("interop-bench: {} ...", case.name);
        let result = (case.measure)(&config).map_err(|error| format!("{}: {error}", case.name))?;
        measured.push((case, Summary::of(result)));
    }
    let report = Report::new(cores, config.round_trips, config.messages, measured);
    if cli.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&report).expect("the report serialises")
        );
    } else {
        print!("{}", report.markdown());
    }
    Ok(())
}
