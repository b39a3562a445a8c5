//! The error of setting up and using shared-memory channels: what failed, where, and a hint.

use std::fmt;
use std::io;

use super::ring::RingError;

/// What kind of failure a [`ShmError`] is, for callers that react differently to each.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShmErrorKind {
    /// A system call failed (memfd, mmap, eventfd, poll, sendmsg...); the source says why.
    Os,
    /// A region, eventfd or message received from the peer was refused before being trusted.
    Refused,
    /// A ring or channel layout asked for is not valid (slot count, slot size, total size).
    BadLayout,
    /// The peer broke the ring protocol in shared memory; see [`RingError`].
    Corrupt,
    /// The peer closed its end of the socket.
    Closed,
    /// A nonblocking socket has nothing to receive or no room to send yet: try again when the
    /// event loop reports it ready.
    WouldBlock,
}

/// An error of the shared-memory building blocks.
#[derive(Debug)]
pub struct ShmError {
    kind: ShmErrorKind,
    what: String,
    hint: &'static str,
    source: Option<io::Error>,
    ring: Option<RingError>,
}

impl ShmError {
    /// A failed system call: `what` names the call and its object.
    pub(super) fn os(what: impl Into<String>, source: io::Error) -> ShmError {
        ShmError {
            kind: ShmErrorKind::Os,
            what: what.into(),
            hint: "",
            source: Some(source),
            ring: None,
        }
    }

    /// A failed system call on a socket, telling a nonblocking socket's "not now" apart.
    pub(super) fn socket(what: impl Into<String>, source: io::Error) -> ShmError {
        let mut error = ShmError::os(what, source);
        if error.source.as_ref().map(io::Error::kind) == Some(io::ErrorKind::WouldBlock) {
            error.kind = ShmErrorKind::WouldBlock;
        }
        error
    }

    /// The last OS error, as a failed system call.
    pub(super) fn last_os(what: impl Into<String>) -> ShmError {
        ShmError::os(what, io::Error::last_os_error())
    }

    /// Something received from the peer, refused.
    pub(super) fn refused(what: impl Into<String>, hint: &'static str) -> ShmError {
        ShmError {
            kind: ShmErrorKind::Refused,
            what: what.into(),
            hint,
            source: None,
            ring: None,
        }
    }

    /// An invalid layout.
    pub(super) fn bad_layout(what: impl Into<String>, hint: &'static str) -> ShmError {
        ShmError {
            kind: ShmErrorKind::BadLayout,
            what: what.into(),
            hint,
            source: None,
            ring: None,
        }
    }

    /// The peer closed the socket.
    pub(super) fn closed(what: impl Into<String>) -> ShmError {
        ShmError {
            kind: ShmErrorKind::Closed,
            what: what.into(),
            hint: "the peer process exited or dropped its end",
            source: None,
            ring: None,
        }
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> ShmErrorKind {
        self.kind
    }

    /// What the peer broke, when the kind is [`ShmErrorKind::Corrupt`].
    pub fn ring_error(&self) -> Option<&RingError> {
        self.ring.as_ref()
    }
}

impl fmt::Display for ShmError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.what)?;
        if let Some(source) = &self.source {
            write!(f, ": {source}")?;
        }
        if !self.hint.is_empty() {
            write!(f, " (hint: {})", self.hint)?;
        }
        Ok(())
    }
}

impl std::error::Error for ShmError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_ref()
            .map(|source| source as &(dyn std::error::Error + 'static))
    }
}

impl From<RingError> for ShmError {
    fn from(error: RingError) -> ShmError {
        ShmError {
            kind: ShmErrorKind::Corrupt,
            what: error.to_string(),
            hint: "the peer process is buggy or hostile; drop the channel",
            source: None,
            ring: Some(error),
        }
    }
}
