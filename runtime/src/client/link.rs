//! The client's end of a connection: where it builds the frames it sends, where the server's
//! frames arrive, and how it waits, per transport.

use std::io;
use std::os::fd::{AsFd, AsRawFd};
use std::sync::Arc;
use std::time::Instant;

use crate::error::Error;
use crate::server::dispatch::{self, Peer};
use crate::server::registry::ServiceSlot;
use crate::transport::buffer::FrameBuffer;
use crate::transport::frames::{Blocked, Incoming, Outgoing};
use crate::transport::inproc::{self, EventQueue};
use crate::transport::socket::{self, Stream};
use crate::wire::Kind;

/// A connection: frames out, frames in, and what carries them.
pub(super) struct Link {
    /// Frames being built and sent.
    pub(super) out: Outgoing,
    /// Frames received, the oldest at the front.
    pub(super) inbox: Incoming,
    carrier: Carrier,
}

enum Carrier {
    /// A Unix or TCP socket.
    Stream(Stream),
    /// The server's services in this process.
    Inproc {
        slot: Arc<ServiceSlot>,
        peer: Peer,
        events: Arc<EventQueue>,
    },
    /// Shared-memory rings; the socket only tells when the server is gone.
    #[cfg(target_os = "linux")]
    Shm {
        socket: std::os::unix::net::UnixStream,
        wait: crate::shm::WaitStrategy,
    },
}

/// What became of an attempt to receive.
pub(super) enum Received {
    /// More frames are in the inbox.
    More,
    /// The deadline passed first.
    TimedOut,
}

impl Link {
    /// A link over a connected socket.
    pub(super) fn stream(stream: Stream) -> Link {
        Link {
            out: Outgoing::Buffer(FrameBuffer::default()),
            inbox: Incoming::Buffer(FrameBuffer::default()),
            carrier: Carrier::Stream(stream),
        }
    }

    /// A link to a service of this process.
    pub(super) fn inproc(slot: Arc<ServiceSlot>, peer: Peer, events: Arc<EventQueue>) -> Link {
        Link {
            out: Outgoing::Buffer(FrameBuffer::default()),
            inbox: Incoming::Buffer(FrameBuffer::default()),
            carrier: Carrier::Inproc { slot, peer, events },
        }
    }

    /// A link over a shared-memory channel set up on `socket`.
    #[cfg(target_os = "linux")]
    pub(super) fn shm(
        socket: std::os::unix::net::UnixStream,
        end: crate::shm::ClientEnd,
        wait: crate::shm::WaitStrategy,
    ) -> Link {
        Link {
            out: Outgoing::Ring(end.requests),
            inbox: Incoming::Ring(end.replies),
            carrier: Carrier::Shm { socket, wait },
        }
    }

    /// Starts a frame, waiting until `deadline` for room in a full ring.
    pub(super) fn begin(
        &mut self,
        kind: Kind,
        method: u32,
        correlation: u64,
        len: usize,
        deadline: Instant,
        service: &str,
    ) -> Result<bool, Error> {
        loop {
            match self.out.begin(kind, method, correlation, len) {
                Ok(_) => return Ok(true),
                Err(Blocked::Failed(reason)) => {
                    return Err(Error::Config {
                        message: format!("cannot send to `{service}`: {reason}"),
                    })
                }
                Err(Blocked::Full) => {
                    if !self.wait_for_room(deadline, service)? {
                        return Ok(false);
                    }
                }
            }
        }
    }

    #[cfg(target_os = "linux")]
    fn wait_for_room(&mut self, deadline: Instant, service: &str) -> Result<bool, Error> {
        let (Carrier::Shm { socket, wait }, Some(producer)) = (&self.carrier, self.out.ring_mut())
        else {
            return Ok(true);
        };
        let left = deadline.saturating_duration_since(Instant::now());
        let outcome = crate::shm::wait_writable(producer, *wait, Some(left), Some(socket.as_fd()));
        shm_outcome(outcome, socket, service)
    }

    #[cfg(not(target_os = "linux"))]
    fn wait_for_room(&mut self, _: Instant, _: &str) -> Result<bool, Error> {
        Ok(true)
    }

    /// Sends the frame just built (of a payload of `len` bytes) and any before it that a full
    /// socket held back, waiting until `deadline` for the socket to take them. In-process,
    /// the server handles the frames at once and its answers land in the inbox.
    pub(super) fn send(
        &mut self,
        len: usize,
        deadline: Instant,
        service: &str,
    ) -> Result<bool, Error> {
        let protocol = |error| Error::Protocol {
            service: service.to_owned(),
            error,
        };
        self.out
            .commit(len)
            .map_err(|reason| protocol(crate::wire::ProtocolError::new(reason)))?;
        match &mut self.carrier {
            Carrier::Stream(stream) => {
                let Some(to_send) = self.out.buffer_mut() else {
                    return Ok(true);
                };
                loop {
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
                }
            }
            Carrier::Inproc { slot, peer, events } => {
                let (Some(to_send), Some(received)) =
                    (self.out.buffer_mut(), self.inbox.buffer_mut())
                else {
                    return Ok(true);
                };
                while let Ok(Some(at)) = to_send.next_frame() {
                    let payload = to_send.payload(&at);
                    if matches!(at.kind, Kind::Subscribe | Kind::Unsubscribe)
                        && slot.event(at.header.method()).is_some()
                    {
                        inproc::subscribe_queue(slot, events);
                        events.set_subscribed(at.header.method(), at.kind == Kind::Subscribe);
                    }
                    dispatch::handle_frame(slot, peer, &at.header, at.kind, payload, received)
                        .map_err(protocol)?;
                    to_send.consume(at.header.frame_len());
                }
                Ok(true)
            }
            #[cfg(target_os = "linux")]
            Carrier::Shm { .. } => Ok(true),
        }
    }

    /// Receives more frames into the inbox, waiting until `deadline` (forever with `None`).
    pub(super) fn receive(
        &mut self,
        deadline: Option<Instant>,
        service: &str,
    ) -> Result<Received, Error> {
        let left = || deadline.map(|deadline| deadline.saturating_duration_since(Instant::now()));
        match &mut self.carrier {
            Carrier::Stream(stream) => {
                let Some(received) = self.inbox.buffer_mut() else {
                    return Ok(Received::TimedOut);
                };
                // Wait first, then read: the client asks for more only when the frames it has
                // are not enough, so the socket rarely has something before the wait.
                loop {
                    if !socket::wait_fd(stream.as_raw_fd(), false, left())
                        .map_err(|error| Error::io("wait for the socket", error))?
                    {
                        return Ok(Received::TimedOut);
                    }
                    match received.read_from(stream) {
                        Ok(0) => {
                            return Err(Error::PeerGone {
                                service: service.to_owned(),
                            })
                        }
                        Ok(_) => return Ok(Received::More),
                        Err(error)
                            if matches!(
                                error.kind(),
                                io::ErrorKind::WouldBlock | io::ErrorKind::Interrupted
                            ) => {}
                        Err(error) => return Err(stream_error(error, service, "receive")),
                    }
                }
            }
            Carrier::Inproc { events, .. } => {
                let Some(received) = self.inbox.buffer_mut() else {
                    return Ok(Received::TimedOut);
                };
                Ok(if events.take(received, deadline) {
                    Received::More
                } else {
                    Received::TimedOut
                })
            }
            #[cfg(target_os = "linux")]
            Carrier::Shm { socket, wait } => {
                let Some(consumer) = self.inbox.ring_mut() else {
                    return Ok(Received::TimedOut);
                };
                let outcome =
                    crate::shm::wait_readable(consumer, *wait, left(), Some(socket.as_fd()));
                Ok(if shm_outcome(outcome, socket, service)? {
                    Received::More
                } else {
                    Received::TimedOut
                })
            }
        }
    }
}

/// Whether a shared-memory wait ended with the ring ready (`false`: the time passed); the
/// socket waking the wait means the server is gone or broke the protocol.
#[cfg(target_os = "linux")]
fn shm_outcome(
    outcome: Result<crate::shm::WaitOutcome, crate::shm::ShmError>,
    socket: &std::os::unix::net::UnixStream,
    service: &str,
) -> Result<bool, Error> {
    use crate::shm::WaitOutcome;
    match outcome {
        Ok(WaitOutcome::Ready) => Ok(true),
        Ok(WaitOutcome::TimedOut) => Ok(false),
        Ok(WaitOutcome::WatchedFd { .. }) => {
            let mut byte = [0u8; 1];
            match io::Read::read(&mut &*socket, &mut byte) {
                Err(error) if error.kind() == io::ErrorKind::WouldBlock => Ok(false),
                Ok(0) | Err(_) => Err(Error::PeerGone {
                    service: service.to_owned(),
                }),
                Ok(_) => Err(Error::Protocol {
                    service: service.to_owned(),
                    error: crate::wire::ProtocolError::new(
                        "the server wrote on the socket of a shared-memory connection",
                    ),
                }),
            }
        }
        Err(error) => Err(Error::Protocol {
            service: service.to_owned(),
            error: crate::wire::ProtocolError::new(error.to_string()),
        }),
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
