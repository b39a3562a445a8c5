//! One client connection as the server's loop sees it: the handshake on the socket, then frames
//! read, handled and answered in batches, on the socket itself or in shared-memory rings. A
//! client that does not read its replies is not read from until it catches up.

use std::io;
use std::sync::Arc;

use super::dispatch::{self, Peer};
use super::publisher::PublishedEvent;
use super::registry::{Registry, ServiceSlot};
use crate::transport::buffer::FrameBuffer;
use crate::transport::frames::{Incoming, Outgoing};
use crate::transport::socket::Stream;
use crate::wire::{Hello, Kind, Mode, VerdictKind, Welcome, WelcomeStatus};

/// Above this many unsent bytes the server stops reading the connection's requests, and
/// events for it are counted as lost instead of queued.
const SEND_LIMIT: usize = 4 * 1024 * 1024;

enum State {
    /// Waiting for the client's `Hello`.
    Greeting,
    /// Serving calls to one service.
    Serving { slot: Arc<ServiceSlot>, peer: Peer },
    /// Refused: sending the `Welcome` that says why, then closing.
    Closing,
}

/// What a turn of [`Connection::serve`] left behind.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Turn {
    /// Nothing to do until the next event.
    Idle,
    /// Frames are left: serve again soon.
    More,
    /// The connection switched to shared memory: watch its eventfds.
    SwitchedToShm,
}

pub(super) struct Connection {
    stream: Stream,
    pub(super) peer: String,
    inbox: Incoming,
    out: Outgoing,
    state: State,
    /// Events not delivered because the client fell behind, not yet reported to it.
    lagged: u64,
}

impl Connection {
    pub(super) fn new(stream: Stream, peer: String) -> Connection {
        Connection {
            stream,
            peer,
            inbox: Incoming::Buffer(FrameBuffer::default()),
            out: Outgoing::Buffer(FrameBuffer::default()),
            state: State::Greeting,
            lagged: 0,
        }
    }

    pub(super) fn source(&mut self) -> &mut Stream {
        &mut self.stream
    }

    /// The peer and its service, for logs.
    pub(super) fn describe(&self) -> String {
        match &self.state {
            State::Serving { slot, .. } => {
                format!("{} (`{}`)", self.peer, slot.descriptor.qualified_name)
            }
            _ => self.peer.clone(),
        }
    }

    /// Whether frames travel in shared memory.
    pub(super) fn is_shm(&self) -> bool {
        !matches!(self.inbox, Incoming::Buffer(_))
    }

    /// Handles up to `budget` frames and sends the answers; `socket_ready` when the socket
    /// reported an event. An error is the reason to close the connection.
    pub(super) fn serve(
        &mut self,
        registry: &Registry,
        budget: usize,
        socket_ready: bool,
    ) -> Result<Turn, String> {
        if socket_ready {
            self.flush()?;
            if self.is_shm() {
                self.check_socket()?;
            }
        }
        let mut handled = 0;
        loop {
            if !self.has_room()? {
                return Ok(Turn::Idle);
            }
            let Some(at) = self.inbox.front().map_err(|error| error.to_string())? else {
                if self.is_shm() || !self.read()? {
                    self.flush()?;
                    return Ok(Turn::Idle);
                }
                continue;
            };
            if handled == budget {
                self.flush()?;
                return Ok(Turn::More);
            }
            handled += 1;
            let payload = self.inbox.payload(&at);
            match &mut self.state {
                State::Greeting => {
                    if at.kind != Kind::Hello {
                        return Err(format!("expected a Hello frame first, got {:?}", at.kind));
                    }
                    let hello = Hello::decode(payload).map_err(|error| error.to_string())?;
                    self.inbox.pop(&at);
                    return self.greet(registry, &hello);
                }
                State::Serving { slot, peer } => {
                    dispatch::handle_frame(slot, peer, &at.header, at.kind, payload, &mut self.out)
                        .map_err(|error| error.to_string())?;
                }
                State::Closing => return Err("refused in its handshake".to_owned()),
            }
            self.inbox.pop(&at);
        }
    }

    /// Whether the client takes answers: a send buffer under its limit, or a free ring slot.
    /// A full ring arms its wake-up, so that the loop hears when a slot frees.
    fn has_room(&mut self) -> Result<bool, String> {
        match &mut self.out {
            Outgoing::Buffer(buffer) => {
                let full = buffer.len() > SEND_LIMIT;
                Ok(!full || self.flush()?)
            }
            #[cfg(target_os = "linux")]
            Outgoing::Ring(producer) => {
                if producer.is_writable().map_err(|error| error.to_string())? {
                    return Ok(true);
                }
                // False when a slot freed meanwhile: then there is room after all.
                let sleeping = producer
                    .prepare_sleep()
                    .map_err(|error| error.to_string())?;
                Ok(!sleeping)
            }
        }
    }

    /// Reads what the socket has; false when it has nothing now.
    fn read(&mut self) -> Result<bool, String> {
        let Some(buffer) = self.inbox.buffer_mut() else {
            return Ok(false);
        };
        loop {
            return match buffer.read_from(&mut self.stream) {
                Ok(0) => {
                    self.flush()?;
                    Err("the peer closed the connection".to_owned())
                }
                Ok(_) => Ok(true),
                Err(error) if error.kind() == io::ErrorKind::WouldBlock => Ok(false),
                Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
                Err(error) => Err(format!("read failed: {error}")),
            };
        }
    }

    /// On a shared-memory connection the socket only carries the hang-up of the client.
    fn check_socket(&mut self) -> Result<(), String> {
        let mut byte = [0u8; 1];
        match io::Read::read(&mut self.stream, &mut byte) {
            Ok(0) => Err("the peer closed the connection".to_owned()),
            Ok(_) => Err("the peer wrote on the socket of a shared-memory connection".to_owned()),
            Err(error) if error.kind() == io::ErrorKind::WouldBlock => Ok(()),
            Err(error) => Err(format!("read failed: {error}")),
        }
    }

    /// Writes what the socket takes; true when everything is sent.
    fn flush(&mut self) -> Result<bool, String> {
        let Some(buffer) = self.out.buffer_mut() else {
            return Ok(true);
        };
        let done = buffer
            .write_to(&mut self.stream)
            .map_err(|error| format!("write failed: {error}"))?;
        if done && matches!(self.state, State::Closing) {
            return Err("refused in its handshake".to_owned());
        }
        Ok(done)
    }

    /// Sends `event` if the client subscribed to it; counts it as lost if the client is too
    /// far behind.
    pub(super) fn push_event(&mut self, event: &PublishedEvent) -> Result<(), String> {
        let State::Serving { slot, peer } = &self.state else {
            return Ok(());
        };
        if !Arc::ptr_eq(slot, &event.slot) || !peer.subscriptions.contains(&event.method) {
            return Ok(());
        }
        let room = match &mut self.out {
            Outgoing::Buffer(buffer) => buffer.len() <= SEND_LIMIT,
            #[cfg(target_os = "linux")]
            Outgoing::Ring(producer) => {
                producer.is_writable().map_err(|error| error.to_string())?
            }
        };
        if !room {
            self.lagged += 1;
            return Ok(());
        }
        if self.lagged > 0 {
            let count = self.lagged.to_le_bytes();
            self.push(Kind::Lagged, event.method, &count)?;
            self.lagged = 0;
            if !self.out.has_room()? {
                self.lagged += 1;
                return Ok(());
            }
        }
        self.push(Kind::Event, event.method, &event.bytes)?;
        self.flush().map(|_| ())
    }

    fn push(&mut self, kind: Kind, method: u32, payload: &[u8]) -> Result<(), String> {
        use crate::transport::frames::Blocked;
        let slot =
            self.out
                .begin(kind, method, 0, payload.len())
                .map_err(|blocked| match blocked {
                    Blocked::Full => "the client's ring is full".to_owned(),
                    Blocked::Failed(reason) => reason,
                })?;
        slot.copy_from_slice(payload);
        self.out.commit(payload.len())
    }

    /// Answers a `Hello`: the connection serves the service from now on, or is closed.
    fn greet(&mut self, registry: &Registry, hello: &Hello) -> Result<Turn, String> {
        let slot = match registry.get(&hello.service) {
            None => return self.refuse(registry.unknown_service(&hello.service)),
            Some(_) if hello.auth != 0 => {
                return self.refuse(refusal(format!(
                    "authentication scheme {} is not supported by this server",
                    hello.auth
                )))
            }
            Some(slot) => slot,
        };
        let welcome = slot.welcome(&hello.methods);
        let peer = Peer {
            blocked: welcome
                .verdicts
                .iter()
                .filter(|verdict| verdict.kind == VerdictKind::FingerprintDiffers)
                .map(|verdict| verdict.id)
                .collect(),
            subscriptions: Default::default(),
        };
        let turn = match hello.mode {
            Mode::Stream => {
                self.push(Kind::Welcome, 0, &welcome.encode())?;
                Turn::More
            }
            Mode::SharedMemory => self.switch_to_shm(&slot, hello, &welcome)?,
        };
        log::debug!("{} calls `{}`", self.peer, slot.descriptor.qualified_name);
        self.state = State::Serving { slot, peer };
        self.flush()?;
        Ok(turn)
    }

    #[cfg(target_os = "linux")]
    fn switch_to_shm(
        &mut self,
        slot: &ServiceSlot,
        hello: &Hello,
        welcome: &Welcome,
    ) -> Result<Turn, String> {
        use crate::shm::{self, ChannelLayout, RingLayout};
        use std::os::fd::AsFd;
        let Stream::Unix(stream) = &self.stream else {
            return Err("shared memory was asked for over TCP".to_owned());
        };
        if self
            .inbox
            .buffer_mut()
            .is_some_and(|buffer| !buffer.is_empty())
        {
            return Err("frames after the Hello of a shared-memory connection".to_owned());
        }
        let slots = hello.ring_slots.clamp(2, 4096).next_power_of_two();
        // Room for the largest message, and for failures that explain themselves.
        let largest =
            crate::wire::HEADER_LEN + crate::wire::padded_len(slot.largest_message().max(248));
        let layout = RingLayout::for_messages(slots, largest)
            .map(|ring| ChannelLayout {
                requests: ring,
                replies: ring,
            })
            .map_err(|error| error.to_string())?;
        let name = format!("interop {}", slot.descriptor.qualified_name);
        let (end, fds) =
            shm::ServerEnd::create(&name, layout).map_err(|error| error.to_string())?;
        let mut frame = FrameBuffer::default();
        frame.push_frame_with(Kind::Welcome, 0, 0, &welcome.encode());
        let borrowed: Vec<_> = fds.iter().map(|fd| fd.as_fd()).collect();
        shm::send_with_fds(stream, frame.contents(), &borrowed)
            .map_err(|error| format!("cannot hand over the shared memory: {error}"))?;
        self.inbox = Incoming::Ring(end.requests);
        self.out = Outgoing::Ring(end.replies);
        Ok(Turn::SwitchedToShm)
    }

    #[cfg(not(target_os = "linux"))]
    fn switch_to_shm(&mut self, _: &ServiceSlot, _: &Hello, _: &Welcome) -> Result<Turn, String> {
        self.refuse(refusal("shared memory needs Linux".to_owned()))
    }

    /// Sends a refusing `Welcome`; the connection closes once it is sent.
    fn refuse(&mut self, welcome: Welcome) -> Result<Turn, String> {
        self.push(Kind::Welcome, 0, &welcome.encode())?;
        self.state = State::Closing;
        self.flush()?;
        Ok(Turn::Idle)
    }

    /// The eventfds of a shared-memory connection, to watch: requests arrived, reply slots
    /// freed.
    #[cfg(target_os = "linux")]
    pub(super) fn shm_doorbells(&self) -> Option<[std::os::fd::RawFd; 2]> {
        use std::os::fd::AsRawFd;
        match (&self.inbox, &self.out) {
            (Incoming::Ring(consumer), Outgoing::Ring(producer)) => Some([
                consumer.wake_fd().as_raw_fd(),
                producer.wake_fd().as_raw_fd(),
            ]),
            _ => None,
        }
    }

    /// Before the loop sleeps: announce it to the client; false when a request arrived
    /// meanwhile (serve it instead of sleeping).
    #[cfg(target_os = "linux")]
    pub(super) fn prepare_sleep(&mut self) -> Result<bool, String> {
        match &mut self.inbox {
            Incoming::Ring(consumer) => consumer.prepare_sleep().map_err(|error| error.to_string()),
            Incoming::Buffer(_) => Ok(true),
        }
    }

    /// Once the loop is awake: withdraw the sleep announcements, so that the client stops
    /// ringing; `rang` when a doorbell did ring, to drain it.
    #[cfg(target_os = "linux")]
    pub(super) fn awake(&mut self, rang: bool) {
        if let Incoming::Ring(consumer) = &mut self.inbox {
            consumer.cancel_sleep();
            if rang {
                let _ = consumer.wake_fd().drain();
            }
        }
        if let Outgoing::Ring(producer) = &mut self.out {
            producer.cancel_sleep();
            if rang {
                let _ = producer.wake_fd().drain();
            }
        }
    }

    /// Whether a request waits in the ring (shared memory only), without a system call.
    #[cfg(target_os = "linux")]
    pub(super) fn has_request(&mut self) -> bool {
        match &mut self.inbox {
            Incoming::Ring(consumer) => consumer.is_readable().unwrap_or(true),
            Incoming::Buffer(_) => false,
        }
    }
}

fn refusal(message: String) -> Welcome {
    Welcome {
        status: WelcomeStatus::Unsupported,
        verdicts: Vec::new(),
        message,
    }
}
