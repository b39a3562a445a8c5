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

/// Writes one frame (header, payload, padding) on `stream`.
fn write_frame(stream: &mut impl Write, kind: interop::wire::Kind, method: u32, payload: &[u8]) {
    use interop::zerocopy::IntoBytes;
    let header = interop::wire::FrameHeader::new(kind, method, 1, payload.len() as u32);
    stream.write_all(header.as_bytes()).unwrap();
    stream.write_all(payload).unwrap();
    let padding = interop::wire::padded_len(payload.len()) - payload.len();
    stream.write_all(&[0; 8][..padding]).unwrap();
}

/// Reads one frame from `stream`: its kind and payload.
fn read_frame(stream: &mut impl std::io::Read) -> (interop::wire::Kind, Vec<u8>) {
    let mut header = [0u8; interop::wire::HEADER_LEN];
    stream.read_exact(&mut header).unwrap();
    let (header, kind) = interop::wire::FrameHeader::parse(&header).unwrap();
    let mut payload = vec![0; interop::wire::padded_len(header.length() as usize)];
    stream.read_exact(&mut payload).unwrap();
    payload.truncate(header.length() as usize);
    (kind, payload)
}

#[test]
fn an_invalid_request_is_refused_naming_type_and_field_and_the_connection_goes_on() {
    use interop::wire::{Failure, FailureCode, Hello, Kind, Mode};
    use interop::zerocopy::IntoBytes;
    use rust_fleet::fleet::control::{FleetControlDispatchRequest, FLEET_CONTROL};

    let server = ServerProcess::start(&unique_url(Transport::Pipe));
    let name = server.url.strip_prefix("pipe://").unwrap();
    let address = {
        use std::os::linux::net::SocketAddrExt;
        std::os::unix::net::SocketAddr::from_abstract_name(format!("interop/{name}")).unwrap()
    };
    let mut stream = std::os::unix::net::UnixStream::connect_addr(&address).unwrap();
    let hello = Hello::for_service(&FLEET_CONTROL, Mode::Stream, 0);
    write_frame(&mut stream, Kind::Hello, 0, &hello.encode());
    assert_eq!(read_frame(&mut stream).0, Kind::Welcome);

    let dispatch = &FLEET_CONTROL.methods[1];
    let mut request = FleetControlDispatchRequest::default().as_bytes().to_vec();
    // The union `order` starts with its tag; 99 names no variant.
    request[core::mem::offset_of!(FleetControlDispatchRequest, order)] = 99;
    write_frame(&mut stream, Kind::Request, dispatch.id, &request);
    let (kind, payload) = read_frame(&mut stream);
    assert_eq!(kind, Kind::Failure);
    let failure = Failure::decode(&payload).unwrap();
    assert_eq!(failure.code, FailureCode::InvalidPayload);
    for expected in [
        "fleet.control.FleetControl.dispatch",
        "FleetControlDispatchRequest",
        "order",
        "99",
    ] {
        assert!(failure.message.contains(expected), "{}", failure.message);
    }

    // The framing was intact, so the connection still serves.
    let ping = &FLEET_CONTROL.methods[3];
    write_frame(&mut stream, Kind::Request, ping.id, &[]);
    assert_eq!(read_frame(&mut stream), (Kind::Reply, Vec::new()));
}

#[test]
fn a_full_ring_blocks_the_sender_or_says_would_block() {
    use interop::endpoint::Endpoint;
    use rust_fleet::fleet::control::FLEET_CONTROL;
    use rust_fleet::fleet::geometry::Pose;

    let server = ServerProcess::start(&unique_url(Transport::Shm));
    let endpoint = Endpoint::parse(&server.url).unwrap();
    let options = interop::ClientOptions {
        ring_slots: 2,
        ..Default::default()
    };
    let mut client = FleetControlClient(
        interop::Client::connect_with(&endpoint, &FLEET_CONTROL, options).unwrap(),
    );
    // Keep the server's only thread busy in a slow handler: nobody drains the rings.
    let mut busy = FleetControlClient::connect(&server.url).unwrap();
    std::thread::spawn(move || {
        let _ = busy.get_vehicle(rust_fleet::SLOW_VEHICLE);
    });
    std::thread::sleep(Duration::from_millis(200));
    client.0.set_timeout(Duration::ZERO);
    let mut sent = 0;
    let error = loop {
        match client.report(sent, Pose::default(), 0, 1.0, 0.0, 0) {
            Ok(()) => sent += 1,
            Err(error) => break error,
        }
        assert!(sent < 100, "a ring of 2 slots took {sent} messages");
    };
    assert!(matches!(error, Error::WouldBlock { .. }), "{error:?}");
    assert!(error.to_string().contains("would block"), "{error}");
    // With a timeout, the sender waits for room, then gives up saying so.
    client.0.set_timeout(Duration::from_millis(50));
    let error = client
        .report(sent, Pose::default(), 0, 1.0, 0.0, 0)
        .unwrap_err();
    assert!(matches!(error, Error::Timeout { .. }), "{error:?}");
}

#[test]
fn messages_of_numbers_only_are_checked_by_length_and_the_rest_walked() {
    use interop::validate::{is_plain, Described};
    use rust_fleet::fleet::control::{
        FleetControlDispatchReply, FleetControlGetVehicleRequest, Vehicle, DESCRIPTOR,
    };
    // `id: u32`: every 4 bytes are a valid request.
    assert!(is_plain(
        DESCRIPTOR,
        FleetControlGetVehicleRequest::DESCRIPTOR_INDEX
    ));
    // `mission: u64, eta_ms: i64`.
    assert!(is_plain(
        DESCRIPTOR,
        FleetControlDispatchReply::DESCRIPTOR_INDEX
    ));
    // Enums, strings, padding: not every byte pattern is valid.
    assert!(!is_plain(DESCRIPTOR, Vehicle::DESCRIPTOR_INDEX));
    // A malformed descriptor is never taken for plain.
    assert!(!is_plain(&DESCRIPTOR[..20], Vehicle::DESCRIPTOR_INDEX));
    assert!(!is_plain(DESCRIPTOR, u32::MAX));
}
