//! Serves the sample fleet service on the endpoints given as arguments, until killed:
//! `fleet-server pipe://fleet tcp://127.0.0.1:7000 shm://fleet`. The runtime's log goes to
//! stderr (`RUST_LOG=debug` for more).

fn main() {
    env_logger::Builder::new()
        .filter_level(log::LevelFilter::Info)
        .parse_default_env()
        .init();
    let urls: Vec<String> = std::env::args().skip(1).collect();
    if urls.is_empty() || urls.iter().any(|url| url == "--help" || url == "-h") {
        eprintln!(
            "usage: fleet-server URL...\n\nServes fleet.control.FleetControl on every URL: \
             inproc://NAME, shm://NAME, pipe://NAME or tcp://HOST:PORT."
        );
        std::process::exit(2);
    }
    if let Err(error) = rust_fleet::serve(&urls) {
        eprintln!("error: {error}");
        std::process::exit(1);
    }
}
