//! What happens when things go wrong: a client killed while it calls, stubs generated from
//! another version of the schema, and a peer that sends bytes that are not frames.

mod support;

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Duration;

use interop::Error;
use rust_fleet::fleet::control::FleetControlClient;
use support::{eventually, unique_url, ServerProcess, Transport};

const TRANSPORTS: [Transport; 3] = [Transport::Pipe, Transport::Tcp, Transport::Shm];

#[test]
fn a_client_killed_mid_call_leaves_the_server_serving_the_others() {
    for transport in TRANSPORTS {
        let server = ServerProcess::start(&unique_url(transport));
        let mut steady = FleetControlClient::connect(&server.url).unwrap();
        let fds_before = server.settled_fds();
        let mut doomed = Command::new(env!("CARGO_BIN_EXE_fleet-client"))
            .args([server.url.as_str(), "--repeat", "100000000"])
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        eventually("the doomed client is connected", || {
            server.open_fds() > fds_before
        });
        std::thread::sleep(Duration::from_millis(100));
        doomed.kill().unwrap();
        doomed.wait().unwrap();
        eventually("the server closed the dead client's connection", || {
            server.open_fds() == fds_before
        });
        for id in 1..=20 {
            assert_eq!(steady.get_vehicle(id).unwrap().id, id);
        }
        let log = server.log();
        assert!(log.contains("closed the connection"), "{log}");
    }
}

#[test]
fn stubs_of_another_schema_version_get_a_precise_fingerprint_error() {
    use rust_fleet::v0::fleet::control::FleetControlClient as OldClient;
    for transport in TRANSPORTS {
        let server = ServerProcess::start(&unique_url(transport));
        let mut old = OldClient::connect(&server.url).unwrap();
        // Methods whose fingerprints agree still work.
        old.ping().unwrap();
        let error = old.get_vehicle(7).unwrap_err();
        let Error::FingerprintMismatch {
            method,
            ours,
            theirs,
        } = &error
        else {
            panic!("{transport:?}: expected a fingerprint mismatch, got {error:?}");
        };
        assert_eq!(method, "fleet.control.FleetControl.get_vehicle");
        assert_eq!(
            *ours,
            rust_fleet::v0::fleet::control::FLEET_CONTROL.methods[0].fingerprint
        );
        assert_eq!(
            *theirs,
            rust_fleet::fleet::control::FLEET_CONTROL.methods[0].fingerprint
        );
        let message = error.to_string();
        assert!(message.contains("regenerate the stubs"), "{message}");
        assert!(
            message.contains("fleet.control.FleetControl.get_vehicle"),
            "{message}"
        );
    }
}

/// Sends `bytes` on a fresh connection to `url`, ends the stream and waits until the server
/// closes the connection.
fn send_garbage(url: &str, bytes: &[u8]) {
    use std::io::Read;
    use std::net::Shutdown;
    let mut rest = Vec::new();
    // Reading ends (with EOF or a reset) once the server closes the connection.
    if let Some(address) = url.strip_prefix("tcp://") {
        let mut stream = std::net::TcpStream::connect(address).unwrap();
        stream.write_all(bytes).unwrap();
        stream.shutdown(Shutdown::Write).unwrap();
        let _ = stream.read_to_end(&mut rest);
    } else {
        use std::os::linux::net::SocketAddrExt;
        let name = url.strip_prefix("pipe://").unwrap();
        let address =
            std::os::unix::net::SocketAddr::from_abstract_name(format!("interop/{name}")).unwrap();
        let mut stream = std::os::unix::net::UnixStream::connect_addr(&address).unwrap();
        stream.write_all(bytes).unwrap();
        stream.shutdown(Shutdown::Write).unwrap();
        let _ = stream.read_to_end(&mut rest);
    }
}

#[test]
fn garbage_closes_that_connection_only_with_a_logged_reason() {
    // Shared-memory connections start on the same Unix socket as pipes.
    for transport in [Transport::Pipe, Transport::Tcp] {
        let server = ServerProcess::start(&unique_url(transport));
        let mut steady = FleetControlClient::connect(&server.url).unwrap();
        // Random bytes.
        let noise: Vec<u8> = (0..4096u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        send_garbage(&server.url, &noise);
        // A valid header announcing more than the largest payload.
        let mut huge = b"IOPF\x01\x01\0\0".to_vec();
        huge.extend_from_slice(&0u32.to_le_bytes());
        huge.extend_from_slice(&u32::MAX.to_le_bytes());
        huge.extend_from_slice(&0u64.to_le_bytes());
        send_garbage(&server.url, &huge);
        // A truncated frame, then the end of the stream.
        send_garbage(&server.url, &huge[..10]);
        assert_eq!(steady.get_vehicle(3).unwrap().id, 3);
        let log = server.log();
        assert!(log.contains("bad magic"), "{log}");
        assert!(log.contains("more than the limit"), "{log}");
        assert!(log.contains("the peer closed the connection"), "{log}");
    }
}
