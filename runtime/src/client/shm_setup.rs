//! Setting up a shared-memory connection: the handshake on the Unix socket, whose `Welcome`
//! brings the channel's region and eventfds.

use std::os::fd::AsRawFd;
use std::os::unix::net::UnixStream;
use std::time::Instant;

use super::link::Link;
use super::ClientOptions;
use crate::endpoint::SocketName;
use crate::error::Error;
use crate::service::ServiceDescriptor;
use crate::shm::{self, ShmErrorKind};
use crate::transport::buffer::FrameBuffer;
use crate::transport::socket;
use crate::wire::{Hello, Kind, ProtocolError, Welcome, WelcomeStatus};

/// Connects to `name`, sends `hello` (asking for shared memory) and maps the channel the
/// server hands over. A refusal comes back as the `Welcome`, with a link that is not used.
pub(super) fn connect(
    name: &SocketName,
    hello: &Hello,
    options: &ClientOptions,
    service: &'static ServiceDescriptor,
) -> Result<(Link, Welcome), Error> {
    let socket = socket::connect_unix(name)?;
    let deadline = Instant::now() + options.handshake_timeout();
    let qualified = service.qualified_name;
    let timeout = || Error::Timeout {
        method: format!("{qualified} (the handshake)"),
        after: options.handshake_timeout(),
    };
    let protocol = |reason: String| Error::Protocol {
        service: qualified.to_owned(),
        error: ProtocolError::new(reason),
    };

    let mut out = FrameBuffer::default();
    out.push_frame_with(Kind::Hello, 0, 0, &hello.encode());
    while !out
        .write_to(&mut &socket)
        .map_err(|error| Error::io("send the handshake", error))?
    {
        if !wait(&socket, true, deadline)? {
            return Err(timeout());
        }
    }

    let mut inbox = FrameBuffer::default();
    let mut fds = Vec::new();
    let at = loop {
        if let Some(at) = inbox.next_frame().map_err(|error| protocol(error.reason))? {
            break at;
        }
        if !wait(&socket, false, deadline)? {
            return Err(timeout());
        }
        let mut bytes = [0u8; 4096];
        let (len, received) = match shm::recv_with_fds(&socket, &mut bytes, shm::CHANNEL_FDS) {
            Ok(received) => received,
            Err(error) if error.kind() == ShmErrorKind::WouldBlock => continue,
            Err(error) if error.kind() == ShmErrorKind::Closed => {
                return Err(Error::PeerGone {
                    service: qualified.to_owned(),
                })
            }
            Err(error) => return Err(protocol(error.to_string())),
        };
        fds.extend(received);
        inbox
            .read_from(&mut &bytes[..len])
            .map_err(|error| Error::io("receive the handshake", error))?;
    };
    if at.kind != Kind::Welcome {
        return Err(protocol(format!(
            "expected a Welcome frame, got {:?}",
            at.kind
        )));
    }
    let welcome = Welcome::decode(inbox.payload(&at)).map_err(|error| protocol(error.reason))?;
    if welcome.status != WelcomeStatus::Accepted {
        return Ok((
            Link::stream(socket::Stream::Unix(mio::net::UnixStream::from_std(socket))),
            welcome,
        ));
    }
    inbox.consume(at.header.frame_len());
    if !inbox.is_empty() {
        return Err(protocol(
            "bytes after the Welcome on a shared-memory connection".to_owned(),
        ));
    }
    let end = shm::ClientEnd::open(fds).map_err(|error| protocol(error.to_string()))?;
    Ok((Link::shm(socket, end, options.wait), welcome))
}

/// Waits until the socket is readable (or writable) or `deadline` passes.
fn wait(socket: &UnixStream, write: bool, deadline: Instant) -> Result<bool, Error> {
    let left = deadline.saturating_duration_since(Instant::now());
    if left.is_zero() {
        return Ok(false);
    }
    socket::wait_fd(socket.as_raw_fd(), write, Some(left))
        .map_err(|error| Error::io("wait for the socket", error))
}
