//! What the server does with one frame from a client, whatever the transport: find the method,
//! check that it may be called, validate the payload, run the handler on it in place and
//! write the reply, error or failure frame.

use std::collections::HashSet;
use std::panic::{self, AssertUnwindSafe};

use super::registry::ServiceSlot;
use super::service::{Call, Outcome};
use crate::service::{MethodDescriptor, MethodKind};
use crate::transport::buffer::FrameBuffer;
use crate::transport::frames::{Blocked, Outgoing};
use crate::wire::{Failure, FailureCode, FrameHeader, Kind, ProtocolError};

/// Where the server writes the frames it answers with: a socket's send buffer, a ring, or an
/// in-process client's receive buffer.
pub(crate) trait Outbox {
    /// Starts a frame with a zeroed payload of `len` bytes, 8-aligned, and returns the payload.
    fn begin(
        &mut self,
        kind: Kind,
        method: u32,
        correlation: u64,
        len: usize,
    ) -> Result<&mut [u8], String>;
    /// Drops the frame just begun, of a payload of `len` bytes.
    fn cancel(&mut self, len: usize);
    /// Completes the frame just begun, of a payload of `len` bytes.
    fn commit(&mut self, len: usize) -> Result<(), String>;
    /// The largest payload a frame may carry.
    fn max_payload(&self) -> usize;
}

impl Outbox for FrameBuffer {
    fn begin(
        &mut self,
        kind: Kind,
        method: u32,
        correlation: u64,
        len: usize,
    ) -> Result<&mut [u8], String> {
        Ok(self.push_frame(kind, method, correlation, len))
    }

    fn cancel(&mut self, len: usize) {
        self.pop_frame(len);
    }

    fn commit(&mut self, _: usize) -> Result<(), String> {
        Ok(())
    }

    fn max_payload(&self) -> usize {
        crate::wire::MAX_PAYLOAD as usize
    }
}

impl Outbox for Outgoing {
    fn begin(
        &mut self,
        kind: Kind,
        method: u32,
        correlation: u64,
        len: usize,
    ) -> Result<&mut [u8], String> {
        Outgoing::begin(self, kind, method, correlation, len).map_err(|blocked| match blocked {
            Blocked::Full => "the peer's ring is full".to_owned(),
            Blocked::Failed(reason) => reason,
        })
    }

    fn cancel(&mut self, len: usize) {
        Outgoing::cancel(self, len);
    }

    fn commit(&mut self, len: usize) -> Result<(), String> {
        Outgoing::commit(self, len)
    }

    fn max_payload(&self) -> usize {
        Outgoing::max_payload(self)
    }
}

/// What the server knows about one client connection of a service.
#[derive(Default)]
pub(crate) struct Peer {
    /// Methods the client may not call: their fingerprints differ.
    pub(crate) blocked: HashSet<u32>,
    /// Events the client subscribed to.
    pub(crate) subscriptions: HashSet<u32>,
}

/// Handles one frame from a client of `slot`, writing at most one frame to `out`. An error
/// means the client broke the protocol and the connection must close.
pub(crate) fn handle_frame(
    slot: &ServiceSlot,
    peer: &mut Peer,
    header: &FrameHeader,
    kind: Kind,
    payload: &[u8],
    out: &mut impl Outbox,
) -> Result<(), ProtocolError> {
    let correlation = header.correlation();
    let method_id = header.method();
    let expected = match kind {
        Kind::Request => MethodKind::Rpc,
        Kind::OneWay => MethodKind::Oneway,
        Kind::Subscribe | Kind::Unsubscribe => MethodKind::Event,
        other => {
            return Err(ProtocolError::new(format!(
                "a client may not send a {other:?} frame once connected"
            )))
        }
    };
    let refuse_with = |out: &mut _, code, message| {
        refuse(
            out,
            slot,
            kind,
            method_id,
            correlation,
            Failure { code, message },
        )
    };
    let Some(method) = slot.descriptor.method(method_id) else {
        return refuse_with(
            out,
            FailureCode::UnknownMethod,
            format!(
                "`{}` has no method with id {method_id:#010x}; regenerate the client's stubs",
                slot.descriptor.qualified_name
            ),
        );
    };
    if method.kind != expected {
        return refuse_with(
            out,
            FailureCode::WrongKind,
            format!(
                "`{}` is {}, so a {kind:?} frame does not apply to it",
                method.qualified_name,
                kind_words(method.kind)
            ),
        );
    }
    if peer.blocked.contains(&method_id) {
        return refuse_with(
            out,
            FailureCode::FingerprintMismatch,
            format!(
                "`{}` differs between client and server (fingerprints differ); regenerate the \
                 stubs of both sides from the same schema",
                method.qualified_name
            ),
        );
    }
    match kind {
        Kind::Subscribe | Kind::Unsubscribe => {
            if kind == Kind::Subscribe {
                peer.subscriptions.insert(method_id);
            } else {
                peer.subscriptions.remove(&method_id);
            }
            out.begin(Kind::Reply, method_id, correlation, 0)
                .map_err(ProtocolError::new)?;
            out.commit(0).map_err(ProtocolError::new)?;
        }
        _ => {
            if let Err(message) = check_message(slot, method, payload) {
                return refuse_with(out, FailureCode::InvalidPayload, message);
            }
            if let Some(failure) = call(slot, method, kind, correlation, payload, out)? {
                return refuse_with(out, failure.code, failure.message);
            }
        }
    }
    Ok(())
}

/// Validates a request or one-way message of `method` received from the peer; the error
/// names the method, the type and the field.
fn check_message(
    slot: &ServiceSlot,
    method: &MethodDescriptor,
    payload: &[u8],
) -> Result<(), String> {
    slot.checks()
        .params(method)
        .check(slot.descriptor.descriptor, payload)
        .map_err(|error| format!("`{}`: {error}", method.qualified_name))
}

/// Runs the handler; a failure to report comes back instead of a frame.
fn call(
    slot: &ServiceSlot,
    method: &'static MethodDescriptor,
    kind: Kind,
    correlation: u64,
    payload: &[u8],
    out: &mut impl Outbox,
) -> Result<Option<Failure>, ProtocolError> {
    // A one-way message gets no reply: no frame is begun for it.
    let replying = kind == Kind::Request;
    let reply_len = if replying {
        slot.checks().results(method).size()
    } else {
        0
    };
    let mut no_reply = [0u8; 0];
    let reply: &mut [u8] = if replying {
        out.begin(Kind::Reply, method.id, correlation, reply_len)
            .map_err(ProtocolError::new)?
    } else {
        &mut no_reply
    };
    let outcome = {
        let mut handler = slot.lock_handler();
        panic::catch_unwind(AssertUnwindSafe(|| {
            handler.call(Call {
                method,
                request: payload,
                reply,
            })
        }))
    };
    if replying && !matches!(outcome, Ok(Outcome::Done)) {
        out.cancel(reply_len);
    }
    let failure = |code, message| Ok(Some(Failure { code, message }));
    match outcome {
        Ok(Outcome::Done) if replying => {
            out.commit(reply_len).map_err(ProtocolError::new)?;
            Ok(None)
        }
        Ok(Outcome::Done) => Ok(None),
        Ok(Outcome::Error(bytes)) if replying => {
            out.begin(Kind::Error, method.id, correlation, bytes.len())
                .map_err(ProtocolError::new)?
                .copy_from_slice(&bytes);
            out.commit(bytes.len()).map_err(ProtocolError::new)?;
            Ok(None)
        }
        Ok(Outcome::Error(_)) => {
            log::warn!(
                "the handler of one-way `{}` answered with an error value; nobody is told",
                method.qualified_name
            );
            Ok(None)
        }
        Ok(Outcome::Failed(message)) => failure(FailureCode::Other, message),
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|text| text.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            log::error!(
                "the handler of `{}` panicked: {what}",
                method.qualified_name
            );
            failure(
                FailureCode::HandlerPanicked,
                format!(
                    "the handler of `{}` panicked: {what}",
                    method.qualified_name
                ),
            )
        }
    }
}

/// Answers a request with a `Failure` frame; a one-way message has nobody to answer, so the
/// failure is logged.
fn refuse(
    out: &mut impl Outbox,
    slot: &ServiceSlot,
    kind: Kind,
    method: u32,
    correlation: u64,
    failure: Failure,
) -> Result<(), ProtocolError> {
    if kind == Kind::OneWay {
        log::warn!(
            "dropped a one-way message of `{}`: {}",
            slot.descriptor.qualified_name,
            failure.message
        );
        Ok(())
    } else {
        write_failure(out, method, correlation, &failure)
    }
}

/// Writes a `Failure` frame.
pub(crate) fn write_failure(
    out: &mut impl Outbox,
    method: u32,
    correlation: u64,
    failure: &Failure,
) -> Result<(), ProtocolError> {
    let mut message = failure.message.as_str();
    // A long message is cut to fit a ring slot (code and length take 4 bytes).
    let room = out.max_payload().saturating_sub(4);
    if message.len() > room {
        let mut end = room;
        while !message.is_char_boundary(end) {
            end -= 1;
        }
        message = &message[..end];
    }
    let bytes = Failure {
        code: failure.code,
        message: message.to_owned(),
    }
    .encode();
    out.begin(Kind::Failure, method, correlation, bytes.len())
        .map_err(ProtocolError::new)?
        .copy_from_slice(&bytes);
    out.commit(bytes.len()).map_err(ProtocolError::new)
}

fn kind_words(kind: MethodKind) -> &'static str {
    match kind {
        MethodKind::Rpc => "an rpc",
        MethodKind::Oneway => "one-way",
        MethodKind::Event => "an event",
    }
}
