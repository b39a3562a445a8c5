//! Serves the sample fleet service on the endpoints given as arguments, until killed:
//! `fleet-server pipe://fleet tcp://127.0.0.1:7000 shm://fleet`; or, with no arguments, as the
//! node `INTEROP_NODE` of the manifest `INTEROP_MANIFEST`. It prints a line for every message
//! it receives (not with `--quiet`), and the runtime's log (`RUST_LOG=debug` for more), on
//! stdout.

use std::io::Write;

fn main() {
    let mut urls: Vec<String> = std::env::args().skip(1).collect();
    let quiet = urls.iter().any(|arg| arg == "--quiet");
    urls.retain(|arg| arg != "--quiet");
    let received = if quiet {
        log::LevelFilter::Off
    } else {
        log::LevelFilter::Info
    };
    env_logger::Builder::new()
        .filter_level(log::LevelFilter::Info)
        .parse_default_env()
        .filter_module(rust_fleet::RECEIVED, received)
        .target(env_logger::Target::Stdout)
        .format(|out, record| {
            if record.target() == rust_fleet::RECEIVED {
                writeln!(out, "{}", record.args())
            } else {
                writeln!(
                    out,
                    "[{} {}] {}",
                    record.level(),
                    record.target(),
                    record.args()
                )
            }
        })
        .init();
    let from_manifest = urls.is_empty() && std::env::var_os(interop::MANIFEST_VAR).is_some();
    if (urls.is_empty() && !from_manifest) || urls.iter().any(|url| url == "--help" || url == "-h")
    {
        eprintln!(
            "usage: fleet-server [--quiet] URL...\n\nServes fleet.control.FleetControl on every \
             URL: inproc://NAME, shm://NAME, pipe://NAME or tcp://HOST:PORT. Without URLs, serves \
             as the node {} of the manifest {}. Prints a line per message received, unless \
             --quiet.",
            interop::NODE_VAR,
            interop::MANIFEST_VAR
        );
        std::process::exit(2);
    }
    let served = if from_manifest {
        rust_fleet::serve_node()
    } else {
        rust_fleet::serve(&urls)
    };
    if let Err(error) = served {
        eprintln!("error: {error}");
        std::process::exit(1);
    }
}
