//! Serves the sample fleet service on the endpoints given as arguments, until killed:
//! `fleet-server pipe://fleet tcp://127.0.0.1:7000 shm://fleet`; or, with no arguments, as the
//! node `INTEROP_NODE` of the manifest `INTEROP_MANIFEST`. The runtime's log goes to
//! stderr (`RUST_LOG=debug` for more).

fn main() {
    env_logger::Builder::new()
        .filter_level(log::LevelFilter::Info)
        .parse_default_env()
        .init();
    let urls: Vec<String> = std::env::args().skip(1).collect();
    let from_manifest = urls.is_empty() && std::env::var_os(interop::MANIFEST_VAR).is_some();
    if (urls.is_empty() && !from_manifest) || urls.iter().any(|url| url == "--help" || url == "-h")
    {
        eprintln!(
            "usage: fleet-server URL...\n\nServes fleet.control.FleetControl on every URL: \
             inproc://NAME, shm://NAME, pipe://NAME or tcp://HOST:PORT. Without URLs, serves as \
             the node {} of the manifest {}.",
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
