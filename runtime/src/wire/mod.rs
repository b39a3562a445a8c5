//! The wire protocol (`docs/PROTOCOL.md`): every message travels as a fixed 24-byte frame header
//! followed by its payload, the message's fixed layout, padded with zeros to a multiple of 8
//! bytes so that the next frame, and every payload, starts 8-aligned in the receiver's buffer.
//!
//! The same frames travel over every transport: written into a shared-memory ring slot, or one
//! after another on a Unix or TCP socket. Nothing here trusts the peer: every decoder checks
//! lengths before it reads and reports what was wrong.

mod failure;
mod handshake;
mod header;

pub use failure::{Failure, FailureCode};
pub use handshake::{Hello, MethodOffer, Mode, Verdict, VerdictKind, Welcome, WelcomeStatus};
pub use header::{padded_len, FrameHeader, Kind, FRAME_ALIGN, HEADER_LEN, MAGIC, VERSION};

use std::fmt;

/// The largest payload any frame may announce: the IDL's default message size limit (16 MiB)
/// plus room for a handshake. A header announcing more closes the connection.
pub const MAX_PAYLOAD: u32 = 16 * 1024 * 1024 + 64 * 1024;

/// Bytes from the peer that do not follow the protocol; the connection they came on is closed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProtocolError {
    /// What was wrong, in words, with the values found.
    pub reason: String,
}

impl ProtocolError {
    pub(crate) fn new(reason: impl Into<String>) -> ProtocolError {
        ProtocolError {
            reason: reason.into(),
        }
    }
}

impl fmt::Display for ProtocolError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "protocol violation: {}", self.reason)
    }
}

impl std::error::Error for ProtocolError {}

/// Reads little-endian values from a payload, refusing to run past its end.
pub(crate) struct Reader<'a> {
    bytes: &'a [u8],
    what: &'static str,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(bytes: &'a [u8], what: &'static str) -> Reader<'a> {
        Reader { bytes, what }
    }

    pub(crate) fn take(&mut self, count: usize) -> Result<&'a [u8], ProtocolError> {
        if self.bytes.len() < count {
            return Err(ProtocolError::new(format!(
                "the {} ends early: {count} more bytes expected, {} left",
                self.what,
                self.bytes.len()
            )));
        }
        let (head, rest) = self.bytes.split_at(count);
        self.bytes = rest;
        Ok(head)
    }

    pub(crate) fn array<const N: usize>(&mut self) -> Result<[u8; N], ProtocolError> {
        Ok(self.take(N)?.try_into().expect("took exactly N bytes"))
    }

    pub(crate) fn u8(&mut self) -> Result<u8, ProtocolError> {
        Ok(self.array::<1>()?[0])
    }

    pub(crate) fn u16(&mut self) -> Result<u16, ProtocolError> {
        Ok(u16::from_le_bytes(self.array()?))
    }

    pub(crate) fn u32(&mut self) -> Result<u32, ProtocolError> {
        Ok(u32::from_le_bytes(self.array()?))
    }

    /// A UTF-8 string preceded by its length as a `u16`.
    pub(crate) fn str(&mut self) -> Result<&'a str, ProtocolError> {
        let len = usize::from(self.u16()?);
        let bytes = self.take(len)?;
        std::str::from_utf8(bytes)
            .map_err(|_| ProtocolError::new(format!("a text in the {} is not UTF-8", self.what)))
    }

    /// The bytes not read yet.
    pub(crate) fn rest(&mut self) -> &'a [u8] {
        std::mem::take(&mut self.bytes)
    }

    pub(crate) fn finish(self) -> Result<(), ProtocolError> {
        if self.bytes.is_empty() {
            Ok(())
        } else {
            Err(ProtocolError::new(format!(
                "{} unexpected bytes after the {}",
                self.bytes.len(),
                self.what
            )))
        }
    }
}

/// Appends a UTF-8 string preceded by its length as a `u16`, cut at a character boundary to
/// fit.
pub(crate) fn put_str(out: &mut Vec<u8>, text: &str) {
    let mut end = text.len().min(usize::from(u16::MAX));
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    out.extend_from_slice(&(end as u16).to_le_bytes());
    out.extend_from_slice(&text.as_bytes()[..end]);
}
