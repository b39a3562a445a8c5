//! Round trips over the runtime's shared-memory channel (`interop::shm`): the peer serves as
//! the channel's server and echoes each request as a reply; this process is the client.

use std::io;
use std::os::fd::{AsFd, AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::net::UnixStream;

use interop::shm::{
    recv_with_fds, send_with_fds, wait_readable, ChannelLayout, ClientEnd, Consumer, Producer,
    ServerEnd, ShmError, WaitOutcome, WaitStrategy, CHANNEL_FDS,
};

use super::{time_round_trips, wait_strategy, Config, MESSAGE_SIZE};
use crate::peer;
use crate::stats::Measured;

fn failed(error: ShmError) -> io::Error {
    io::Error::other(error.to_string())
}

/// Waits for the next message of `consumer` and hands it to `handle`.
fn receive(
    consumer: &mut Consumer,
    strategy: WaitStrategy,
    peer: &UnixStream,
    handle: impl FnOnce(&[u8]) -> io::Result<()>,
) -> io::Result<()> {
    match wait_readable(consumer, strategy, None, Some(peer.as_fd())).map_err(failed)? {
        WaitOutcome::Ready => {}
        other => {
            return Err(io::Error::other(format!(
                "waiting for a message: {other:?}"
            )))
        }
    }
    let message = consumer.try_peek().map_err(failed)?.expect("ready to read");
    handle(&message)
}

/// Writes `bytes` as the next message (the ring has room: one message is in flight).
fn send(producer: &mut Producer, bytes: &[u8]) -> io::Result<()> {
    let mut loan = producer
        .try_loan()
        .map_err(failed)?
        .ok_or_else(|| io::Error::other("the ring is full with one message in flight"))?;
    loan[..bytes.len()].copy_from_slice(bytes);
    loan.commit(bytes.len()).map_err(failed)
}

fn measure(config: &Config, strategy_name: &str) -> io::Result<Measured> {
    let strategy = wait_strategy(strategy_name)?;
    let mut fds = [0; 2];
    // SAFETY: `fds` holds the two descriptors written; no SOCK_CLOEXEC: the peer inherits one.
    if unsafe { libc::socketpair(libc::AF_UNIX, libc::SOCK_STREAM, 0, fds.as_mut_ptr()) } != 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: two new descriptors nothing else owns.
    let (ours, theirs) = unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
    let child = peer::spawn(
        &format!("shm-channel-{strategy_name}"),
        &[
            theirs.as_raw_fd().to_string(),
            config.total_round_trips().to_string(),
        ],
    )?;
    drop(theirs);
    let socket = UnixStream::from(ours);
    let (_, channel_fds) = recv_with_fds(&socket, &mut [0u8; 1], CHANNEL_FDS).map_err(failed)?;
    let mut client = ClientEnd::open(channel_fds).map_err(failed)?;
    let mut message = [0u8; MESSAGE_SIZE];
    let measured = time_round_trips(config, |i| {
        message[..8].copy_from_slice(&i.to_le_bytes());
        send(&mut client.requests, &message)?;
        receive(&mut client.replies, strategy, &socket, |reply| {
            if reply[..8] != i.to_le_bytes() {
                return Err(io::Error::other(format!(
                    "round trip {i}: the echo differs"
                )));
            }
            Ok(())
        })
    })?;
    peer::finish(child)?;
    Ok(measured)
}

fn serve(args: &[String], strategy_name: &str) -> io::Result<()> {
    let strategy = wait_strategy(strategy_name)?;
    let socket = UnixStream::from(peer::inherited_fd(args, 0)?);
    let total: u64 = peer::number(args, 1, "the round trips")?;
    let (mut server, fds) =
        ServerEnd::create("interop-bench", ChannelLayout::default()).map_err(failed)?;
    let borrowed: Vec<_> = fds.iter().map(AsFd::as_fd).collect();
    send_with_fds(&socket, b"s", &borrowed).map_err(failed)?;
    let mut echo = [0u8; MESSAGE_SIZE];
    for _ in 0..total {
        receive(&mut server.requests, strategy, &socket, |request| {
            echo[..request.len()].copy_from_slice(request);
            Ok(())
        })?;
        send(&mut server.replies, &echo)?;
    }
    Ok(())
}

pub fn measure_spin(config: &Config) -> io::Result<Measured> {
    measure(config, "spin")
}

pub fn serve_spin(args: &[String]) -> io::Result<()> {
    serve(args, "spin")
}

pub fn measure_adaptive(config: &Config) -> io::Result<Measured> {
    measure(config, "adaptive")
}

pub fn serve_adaptive(args: &[String]) -> io::Result<()> {
    serve(args, "adaptive")
}
