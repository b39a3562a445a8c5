//! A server killed in the middle of a call: the client learns at once, and keeps nothing open.
//! (Alone in its test binary, so that the descriptors it counts are its own.)

mod support;

use std::time::{Duration, Instant};

use interop::{CallError, Error};
use rust_fleet::fleet::control::FleetControlClient;
use support::{count_fds, unique_url, ServerProcess, Transport};

#[test]
fn a_server_killed_mid_call_fails_the_call_at_once_with_peer_gone() {
    for transport in [Transport::Pipe, Transport::Tcp, Transport::Shm] {
        let fds_before = count_fds("/proc/self/fd");
        let shm_before = dev_shm();
        let mut server = ServerProcess::start(&unique_url(transport));
        let url = server.url.clone();
        let caller = std::thread::spawn(move || {
            let mut client = FleetControlClient::connect(&url).unwrap();
            client.0.set_timeout(Duration::from_secs(60));
            let result = client.get_vehicle(rust_fleet::SLOW_VEHICLE);
            (result, Instant::now())
        });
        // Let the call reach the handler, which takes 30 s.
        std::thread::sleep(Duration::from_millis(300));
        let killed = Instant::now();
        server.kill();
        let (result, failed) = caller.join().unwrap();
        match result {
            Err(CallError::Runtime(Error::PeerGone { service })) => {
                assert_eq!(service, "fleet.control.FleetControl")
            }
            other => panic!("{transport:?}: expected PeerGone, got {other:?}"),
        }
        let delay = failed.saturating_duration_since(killed);
        assert!(
            delay < Duration::from_millis(100),
            "{transport:?}: PeerGone after {delay:?}"
        );
        drop(server);
        assert_eq!(
            count_fds("/proc/self/fd"),
            fds_before,
            "{transport:?}: leaked descriptors"
        );
        assert_eq!(
            dev_shm(),
            shm_before,
            "{transport:?}: files left in /dev/shm"
        );
    }
}

/// The names in `/dev/shm`: shared memory that outlives its processes would show up there.
fn dev_shm() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir("/dev/shm")
        .map(|entries| {
            entries
                .filter_map(|entry| Some(entry.ok()?.file_name().to_string_lossy().into_owned()))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}
