//! How a client's frames reach the server and the server's frames come back, per transport.

use std::io;
use std::os::fd::AsRawFd;
use std::sync::Arc;
use std::time::Instant;

use crate::error::Error;
use crate::server::dispatch::{self, Peer};
use crate::server::registry::ServiceSlot;
use crate::transport::buffer::FrameBuffer;
use crate::transport::inproc::{self, EventQueue};
use crate::transport::socket::{self, ClientStream};
use crate::wire::Kind;

/// The client's end of a connection.
pub(super) enum Link {
    /// A Unix or TCP socket.
    Stream(ClientStream),
    /// The server's services in this process.
    Inproc {
        slot: Arc<ServiceSlot>,
        peer: Peer,
        events: Arc<EventQueue>,
    },
}

/// What became of an attempt to receive.
pub(super) enum Received {
    /// More frames are in the buffer.
    More,
    /// The deadline passed first.
    TimedOut,
}

impl Link {
    /// Sends every frame in `to_send` (for in-process links: handles them, which puts the
    /// answers straight into `received`). Waits for a full socket to drain until `deadline`.
    pub(super) fn transmit(
        &mut self,
        to_send: &mut FrameBuffer,
        received: &mut FrameBuffer,
        deadline: Instant,
        service: &str,
    ) -> Result<bool, Error> {
        match self {
            Link::Stream(stream) => loop {
                let done = to_send
                    .write_to(stream)
                    .map_err(|error| stream_error(error, service, "send"))?;
                if done {
                    return Ok(true);
                }
                let left = deadline.saturating_duration_since(Instant::now());
                if left.is_zero()
                    || !socket::wait_fd(stream.as_raw_fd(), true, Some(left))
                        .map_err(|error| Error::io("wait for the socket", error))?
                {
                    return Ok(false);
                }
            },
            Link::Inproc { slot, peer, events } => {
                while let Ok(Some(at)) = to_send.next_frame() {
                    let payload = to_send.payload(&at);
                    if matches!(at.kind, Kind::Subscribe | Kind::Unsubscribe)
                        && slot.event(at.header.method()).is_some()
                    {
                        inproc::subscribe_queue(slot, events);
                        events.set_subscribed(at.header.method(), at.kind == Kind::Subscribe);
                    }
                    dispatch::handle_frame(slot, peer, &at.header, at.kind, payload, received)
                        .map_err(|error| Error::Protocol {
                            service: service.to_owned(),
                            error,
                        })?;
                    to_send.consume(at.header.frame_len());
                }
                Ok(true)
            }
        }
    }

    /// Receives more frames into `received`, waiting until `deadline` (forever with `None`).
    pub(super) fn receive(
        &mut self,
        received: &mut FrameBuffer,
        deadline: Option<Instant>,
        service: &str,
    ) -> Result<Received, Error> {
        match self {
            Link::Stream(stream) => loop {
                match received.read_from(stream) {
                    Ok(0) => {
                        return Err(Error::PeerGone {
                            service: service.to_owned(),
                        })
                    }
                    Ok(_) => return Ok(Received::More),
                    Err(error) if error.kind() == io::ErrorKind::WouldBlock => {}
                    Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
                    Err(error) => return Err(stream_error(error, service, "receive")),
                }
                let left =
                    deadline.map(|deadline| deadline.saturating_duration_since(Instant::now()));
                if left.is_some_and(|left| left.is_zero())
                    || !socket::wait_fd(stream.as_raw_fd(), false, left)
                        .map_err(|error| Error::io("wait for the socket", error))?
                {
                    return Ok(Received::TimedOut);
                }
            },
            Link::Inproc { events, .. } => Ok(if events.take(received, deadline) {
                Received::More
            } else {
                Received::TimedOut
            }),
        }
    }
}

/// A socket error: a peer that hung up is [`Error::PeerGone`].
fn stream_error(error: io::Error, service: &str, doing: &str) -> Error {
    match error.kind() {
        io::ErrorKind::BrokenPipe
        | io::ErrorKind::ConnectionReset
        | io::ErrorKind::ConnectionAborted
        | io::ErrorKind::WriteZero => Error::PeerGone {
            service: service.to_owned(),
        },
        _ => Error::io(format!("{doing} on the connection of `{service}`"), error),
    }
}
