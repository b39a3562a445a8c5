//! Ping-pong of 64-byte messages over a byte stream: a Unix socket pair or TCP loopback.

use std::io::{self, Read, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::net::UnixStream;

use super::{time_round_trips, Config, MESSAGE_SIZE};
use crate::peer;
use crate::stats::Measured;

/// Sends a message and waits for its echo, `config.total_round_trips()` times.
fn ping_pong(mut stream: impl Read + Write, config: &Config) -> io::Result<Measured> {
    let mut message = [0u8; MESSAGE_SIZE];
    time_round_trips(config, |i| {
        message[..8].copy_from_slice(&i.to_le_bytes());
        stream.write_all(&message)?;
        stream.read_exact(&mut message)?;
        if message[..8] != i.to_le_bytes() {
            return Err(io::Error::other(format!(
                "round trip {i}: the echo differs"
            )));
        }
        Ok(())
    })
}

/// Echoes `total` messages.
fn echo(mut stream: impl Read + Write, total: u64) -> io::Result<()> {
    let mut message = [0u8; MESSAGE_SIZE];
    for _ in 0..total {
        stream.read_exact(&mut message)?;
        stream.write_all(&message)?;
    }
    Ok(())
}

pub fn measure_unix(config: &Config) -> io::Result<Measured> {
    let mut fds = [0; 2];
    // SAFETY: `fds` holds the two descriptors written; no SOCK_CLOEXEC: the peer inherits one.
    if unsafe { libc::socketpair(libc::AF_UNIX, libc::SOCK_STREAM, 0, fds.as_mut_ptr()) } != 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: two new descriptors nothing else owns.
    let (ours, theirs) = unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
    let child = peer::spawn(
        "unix-socket",
        &[
            theirs.as_raw_fd().to_string(),
            config.total_round_trips().to_string(),
        ],
    )?;
    drop(theirs);
    let measured = ping_pong(UnixStream::from(ours), config)?;
    peer::finish(child)?;
    Ok(measured)
}

pub fn serve_unix(args: &[String]) -> io::Result<()> {
    let stream = UnixStream::from(peer::inherited_fd(args, 0)?);
    echo(stream, peer::number(args, 1, "the round trips")?)
}

pub fn measure_tcp(config: &Config) -> io::Result<Measured> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
    let port = listener.local_addr()?.port();
    let child = peer::spawn(
        "tcp",
        &[port.to_string(), config.total_round_trips().to_string()],
    )?;
    let (stream, _) = listener.accept()?;
    stream.set_nodelay(true)?;
    let measured = ping_pong(stream, config)?;
    peer::finish(child)?;
    Ok(measured)
}

pub fn serve_tcp(args: &[String]) -> io::Result<()> {
    let port: u16 = peer::number(args, 0, "the port")?;
    let stream = TcpStream::connect((Ipv4Addr::LOCALHOST, port))?;
    stream.set_nodelay(true)?;
    echo(stream, peer::number(args, 1, "the round trips")?)
}
