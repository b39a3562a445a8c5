//! One client connection on a socket, as the server's loop sees it: the handshake, then frames
//! read, handled and answered in batches, with the send buffer bounding how far a client that
//! does not read its replies can fall behind.

use std::io;
use std::sync::Arc;

use super::dispatch::{self, Peer};
use super::publisher::PublishedEvent;
use super::registry::{Registry, ServiceSlot};
use crate::transport::buffer::FrameBuffer;
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

pub(super) struct Connection {
    stream: Stream,
    pub(super) peer: String,
    received: FrameBuffer,
    to_send: FrameBuffer,
    state: State,
    /// Events not delivered because the client fell behind, not yet reported to it.
    lagged: u64,
}

impl Connection {
    pub(super) fn new(stream: Stream, peer: String) -> Connection {
        Connection {
            stream,
            peer,
            received: FrameBuffer::default(),
            to_send: FrameBuffer::default(),
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

    /// Reads and handles up to `budget` frames and sends the answers. `Ok(true)` when work is
    /// left for another turn; an error is the reason to close the connection.
    pub(super) fn serve(
        &mut self,
        registry: &Registry,
        budget: usize,
        writable: bool,
    ) -> Result<bool, String> {
        if writable {
            self.flush()?;
        }
        let mut handled = 0;
        loop {
            if self.to_send.len() > SEND_LIMIT && !self.flush()? {
                // The client does not read its replies: wait until it does (the socket turns
                // writable) before reading more requests.
                return Ok(false);
            }
            let frame = self
                .received
                .next_frame()
                .map_err(|error| error.to_string())?;
            let Some(at) = frame else {
                match self.received.read_from(&mut self.stream) {
                    Ok(0) => {
                        self.flush()?;
                        return Err("the peer closed the connection".to_owned());
                    }
                    Ok(_) => continue,
                    Err(error) if error.kind() == io::ErrorKind::WouldBlock => {
                        self.flush()?;
                        return Ok(false);
                    }
                    Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
                    Err(error) => return Err(format!("read failed: {error}")),
                }
            };
            if handled == budget {
                self.flush()?;
                return Ok(true);
            }
            handled += 1;
            let payload = self.received.payload(&at);
            match &mut self.state {
                State::Greeting => {
                    if at.kind != Kind::Hello {
                        return Err(format!("expected a Hello frame first, got {:?}", at.kind));
                    }
                    let hello = Hello::decode(payload).map_err(|error| error.to_string())?;
                    self.state = greet(registry, &hello, &mut self.to_send);
                }
                State::Serving { slot, peer } => {
                    dispatch::handle_frame(
                        slot,
                        peer,
                        &at.header,
                        at.kind,
                        payload,
                        &mut self.to_send,
                    )
                    .map_err(|error| error.to_string())?;
                }
                State::Closing => {
                    return Err("refused in its handshake".to_owned());
                }
            }
            self.received.consume(at.header.frame_len());
        }
    }

    /// Writes what the socket takes; true when everything is sent.
    fn flush(&mut self) -> Result<bool, String> {
        let done = self
            .to_send
            .write_to(&mut self.stream)
            .map_err(|error| format!("write failed: {error}"))?;
        if done && matches!(self.state, State::Closing) {
            return Err("refused in its handshake".to_owned());
        }
        Ok(done)
    }

    /// Queues `event` if the client subscribed to it; counts it as lost if the client is too
    /// far behind.
    pub(super) fn push_event(&mut self, event: &PublishedEvent) -> Result<(), String> {
        let State::Serving { slot, peer } = &self.state else {
            return Ok(());
        };
        if !Arc::ptr_eq(slot, &event.slot) || !peer.subscriptions.contains(&event.method) {
            return Ok(());
        }
        if self.to_send.len() > SEND_LIMIT {
            self.lagged += 1;
            return Ok(());
        }
        if self.lagged > 0 {
            self.to_send
                .push_frame_with(Kind::Lagged, event.method, 0, &self.lagged.to_le_bytes());
            self.lagged = 0;
        }
        self.to_send
            .push_frame_with(Kind::Event, event.method, 0, &event.bytes);
        self.flush().map(|_| ())
    }
}

/// Answers a `Hello`: the state the connection goes on in.
fn greet(registry: &Registry, hello: &Hello, out: &mut FrameBuffer) -> State {
    let (welcome, state) = match registry.get(&hello.service) {
        None => (registry.unknown_service(&hello.service), State::Closing),
        Some(_) if hello.auth != 0 => (
            refusal(format!(
                "authentication scheme {} is not supported by this server",
                hello.auth
            )),
            State::Closing,
        ),
        Some(_) if hello.mode == Mode::SharedMemory => (
            refusal("shared-memory connections are not served on this endpoint".to_owned()),
            State::Closing,
        ),
        Some(slot) => {
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
            (welcome, State::Serving { slot, peer })
        }
    };
    out.push_frame_with(Kind::Welcome, 0, 0, &welcome.encode());
    state
}

fn refusal(message: String) -> Welcome {
    Welcome {
        status: WelcomeStatus::Unsupported,
        verdicts: Vec::new(),
        message,
    }
}
