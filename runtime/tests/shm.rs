//! Shared-memory channels between real processes: the test binary runs itself again as the
//! client, the two meet on an abstract Unix socket, the server sends the region and eventfds
//! over it, and both exchange messages through the rings.

#![cfg(target_os = "linux")]

use std::os::fd::AsFd;
use std::os::linux::net::SocketAddrExt;
use std::os::unix::net::{SocketAddr, UnixListener, UnixStream};
use std::process::{Child, Command};
use std::time::Duration;

use interop::shm::{
    recv_with_fds, send_with_fds, wait_readable, wait_writable, ChannelLayout, ClientEnd, Consumer,
    Producer, RingLayout, ServerEnd, WaitOutcome, WaitStrategy, CHANNEL_FDS,
};

/// Set in the child: which test's client to play.
const ROLE: &str = "INTEROP_SHM_TEST_ROLE";
/// Set in the child: the abstract socket name to connect to.
const SOCKET: &str = "INTEROP_SHM_TEST_SOCKET";

const MESSAGES: u64 = 100_000;
/// Requests in flight: at most the reply ring's slots, so that the server never waits for
/// reply space while the client waits for request space.
const WINDOW: u64 = 16;
/// Long enough for a loaded machine, short enough to fail a hung test.
const PATIENCE: Option<Duration> = Some(Duration::from_secs(30));

fn layout() -> ChannelLayout {
    ChannelLayout {
        // Smaller than the window: the client also waits for space.
        requests: RingLayout::new(8, 128).unwrap(),
        replies: RingLayout::new(WINDOW as u32, 128).unwrap(),
    }
}

fn open_fd_count() -> usize {
    std::fs::read_dir("/proc/self/fd").unwrap().count()
}

/// The test binary again, running only `test` as the client at `socket`.
fn spawn_client(test: &str, socket: &str) -> Child {
    Command::new(std::env::current_exe().unwrap())
        .args(["--exact", test, "--nocapture", "--test-threads", "1"])
        .env(ROLE, "client")
        .env(SOCKET, socket)
        .spawn()
        .unwrap()
}

/// The bytes of message `seq` in direction `salt`: the sequence number then a pattern, of a
/// length that varies with `seq` up to the slot capacity.
fn message(seq: u64, salt: u8, capacity: usize) -> Vec<u8> {
    let len = 8 + (seq as usize * 7) % (capacity - 7);
    let mut bytes = seq.to_le_bytes().to_vec();
    bytes.extend((8..len).map(|i| (seq as u8).wrapping_mul(31) ^ salt ^ i as u8));
    bytes
}

fn send(producer: &mut Producer, strategy: WaitStrategy, peer: &UnixStream, bytes: &[u8]) {
    let outcome = wait_writable(producer, strategy, PATIENCE, Some(peer.as_fd())).unwrap();
    assert_eq!(outcome, WaitOutcome::Ready, "waiting for space");
    let mut loan = producer.try_loan().unwrap().expect("ready to write");
    loan[..bytes.len()].copy_from_slice(bytes);
    loan.commit(bytes.len()).unwrap();
}

fn expect(consumer: &mut Consumer, strategy: WaitStrategy, peer: &UnixStream, bytes: &[u8]) {
    let outcome = wait_readable(consumer, strategy, PATIENCE, Some(peer.as_fd())).unwrap();
    assert_eq!(outcome, WaitOutcome::Ready, "waiting for a message");
    let received = consumer.try_peek().unwrap().expect("ready to read");
    assert_eq!(&*received, bytes);
}

/// Runs `test` as the server of a client process; returns after checking that the client
/// exited successfully.
fn serve(test: &str, strategy: WaitStrategy) {
    let name = format!("interop-shm-test-{}-{test}", std::process::id());
    let listener =
        UnixListener::bind_addr(&SocketAddr::from_abstract_name(&name).unwrap()).unwrap();
    let mut child = spawn_client(test, &name);
    let (stream, _) = listener.accept().unwrap();
    let (mut server, fds) = ServerEnd::create(test, layout()).unwrap();
    let borrowed: Vec<_> = fds.iter().map(AsFd::as_fd).collect();
    send_with_fds(&stream, b"shm", &borrowed).unwrap();
    drop(borrowed);
    drop(fds);
    let request_capacity = server.requests.capacity();
    let reply_capacity = server.replies.capacity();
    for seq in 0..MESSAGES {
        let request = message(seq, 0x5a, request_capacity);
        expect(&mut server.requests, strategy, &stream, &request);
        send(
            &mut server.replies,
            strategy,
            &stream,
            &message(seq, 0xa5, reply_capacity),
        );
    }
    let status = child.wait().unwrap();
    assert!(status.success(), "the client process failed: {status}");
}

/// The client side: connects, opens the channel, pipelines `WINDOW` requests and checks every
/// reply; then checks that it closed every descriptor it opened.
fn run_client(strategy: WaitStrategy) {
    let fds_before = open_fd_count();
    {
        let name = std::env::var(SOCKET).unwrap();
        let stream =
            UnixStream::connect_addr(&SocketAddr::from_abstract_name(name).unwrap()).unwrap();
        let mut hello = [0u8; 3];
        let (len, fds) = recv_with_fds(&stream, &mut hello, CHANNEL_FDS).unwrap();
        assert_eq!(&hello[..len], b"shm");
        let mut client = ClientEnd::open(fds).unwrap();
        let request_capacity = client.requests.capacity();
        let reply_capacity = client.replies.capacity();
        let (mut sent, mut received) = (0, 0);
        while received < MESSAGES {
            while sent < MESSAGES && sent - received < WINDOW {
                send(
                    &mut client.requests,
                    strategy,
                    &stream,
                    &message(sent, 0x5a, request_capacity),
                );
                sent += 1;
            }
            expect(
                &mut client.replies,
                strategy,
                &stream,
                &message(received, 0xa5, reply_capacity),
            );
            received += 1;
        }
    }
    assert_eq!(open_fd_count(), fds_before, "descriptors leaked");
}

/// The test body for both roles.
fn two_processes(test: &str, strategy: WaitStrategy) {
    if std::env::var_os(ROLE).is_some() {
        run_client(strategy);
    } else {
        serve(test, strategy);
    }
}

#[test]
fn two_processes_exchange_messages_blocking() {
    two_processes(
        "two_processes_exchange_messages_blocking",
        WaitStrategy::Block,
    );
}

#[test]
fn two_processes_exchange_messages_adaptive() {
    two_processes(
        "two_processes_exchange_messages_adaptive",
        WaitStrategy::default(),
    );
}

#[test]
fn the_server_sees_a_client_that_dies() {
    const TEST: &str = "the_server_sees_a_client_that_dies";
    if std::env::var_os(ROLE).is_some() {
        // Opens the channel, then exits without a word.
        let name = std::env::var(SOCKET).unwrap();
        let stream =
            UnixStream::connect_addr(&SocketAddr::from_abstract_name(name).unwrap()).unwrap();
        let (_, fds) = recv_with_fds(&stream, &mut [0u8; 3], CHANNEL_FDS).unwrap();
        let _client = ClientEnd::open(fds).unwrap();
        std::process::exit(0);
    }
    let name = format!("interop-shm-test-{}-{TEST}", std::process::id());
    let listener =
        UnixListener::bind_addr(&SocketAddr::from_abstract_name(&name).unwrap()).unwrap();
    let mut child = spawn_client(TEST, &name);
    let (stream, _) = listener.accept().unwrap();
    let (mut server, fds) = ServerEnd::create(TEST, layout()).unwrap();
    let borrowed: Vec<_> = fds.iter().map(AsFd::as_fd).collect();
    send_with_fds(&stream, b"shm", &borrowed).unwrap();
    let outcome = wait_readable(
        &mut server.requests,
        WaitStrategy::Block,
        PATIENCE,
        Some(stream.as_fd()),
    )
    .unwrap();
    assert_eq!(outcome, WaitOutcome::WatchedFd { hung_up: true });
    assert!(child.wait().unwrap().success());
}
