//! The errors of connections and calls.

use std::fmt;
use std::io;
use std::time::Duration;

use crate::validate::ValidationError;
use crate::wire::{Failure, ProtocolError};

/// Why a connection or a call failed. Every variant names the service (and the method, where
/// there is one) and says what to do about it.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// A system call failed: connecting, binding, reading or writing.
    Io {
        /// What was being done: `connect to pipe://fleet`, ...
        context: String,
        /// The operating system's error.
        source: io::Error,
    },
    /// The peer closed the connection or its process died; pending calls fail with this at once.
    PeerGone {
        /// The service of the connection.
        service: String,
    },
    /// No reply within the call's timeout.
    Timeout {
        /// `package.Service.method`.
        method: String,
        /// The timeout that passed.
        after: Duration,
    },
    /// The ring or socket is full and the call was made without waiting.
    WouldBlock {
        /// `package.Service.method`.
        method: String,
    },
    /// The two sides' stubs were generated from different versions of the method.
    FingerprintMismatch {
        /// `package.Service.method`.
        method: String,
        /// This side's fingerprint.
        ours: [u8; 32],
        /// The peer's fingerprint (zero when the peer does not know the method at all).
        theirs: [u8; 32],
    },
    /// The server refused the connection in its handshake.
    Refused {
        /// The service asked for.
        service: String,
        /// Where.
        endpoint: String,
        /// The server's reason.
        reason: String,
    },
    /// The server's runtime refused the call (the handler never saw it).
    Failed {
        /// `package.Service.method`.
        method: String,
        /// The server's reason.
        failure: Failure,
    },
    /// The peer sent a message that fails validation; it was dropped before any code saw it.
    Invalid {
        /// `package.Service.method`.
        method: String,
        /// The type and field that are wrong.
        error: ValidationError,
    },
    /// A request (or one-way message) built here fails validation; it was dropped unsent.
    InvalidRequest {
        /// `package.Service.method`.
        method: String,
        /// The type and field that are wrong.
        error: ValidationError,
    },
    /// The peer broke the wire protocol; the connection was closed.
    Protocol {
        /// The service of the connection.
        service: String,
        /// What was wrong.
        error: ProtocolError,
    },
    /// Events were lost because this subscriber did not take them fast enough.
    Lagged {
        /// The service of the connection.
        service: String,
        /// How many events were lost.
        missed: u64,
    },
    /// The deployment manifest has problems, each located and explained.
    Manifest(crate::manifest::ManifestError),
    /// An endpoint or option given to the runtime makes no sense.
    Config {
        /// What is wrong and how to fix it.
        message: String,
    },
}

impl Error {
    pub(crate) fn io(context: impl Into<String>, source: io::Error) -> Error {
        Error::Io {
            context: context.into(),
            source,
        }
    }
}

fn hex(bytes: &[u8; 32]) -> String {
    bytes[..8]
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Io { context, source } => write!(f, "cannot {context}: {source}"),
            Error::PeerGone { service } => write!(
                f,
                "the peer of `{service}` is gone (its process ended or closed the connection)"
            ),
            Error::Timeout { method, after } => write!(
                f,
                "`{method}` got no reply within {after:?}; the server may be overloaded or \
                 stuck, or raise the timeout"
            ),
            Error::WouldBlock { method } => write!(
                f,
                "`{method}` would block: the connection is full; retry after the peer catches up"
            ),
            Error::FingerprintMismatch {
                method,
                ours,
                theirs,
            } => {
                if *theirs == [0; 32] {
                    write!(
                        f,
                        "`{method}` is unknown to the server (our fingerprint {}…); regenerate \
                         the stubs of both sides from the same schema",
                        hex(ours)
                    )
                } else {
                    write!(
                        f,
                        "`{method}` has fingerprint {}… here but {}… on the server: the two \
                         sides were generated from different schemas; regenerate the stubs \
                         from the same schema",
                        hex(ours),
                        hex(theirs)
                    )
                }
            }
            Error::Refused {
                service,
                endpoint,
                reason,
            } => write!(f, "{endpoint} refused `{service}`: {reason}"),
            Error::Failed { method, failure } => {
                write!(f, "the server refused `{method}`: {}", failure.message)
            }
            Error::Invalid { method, error } => {
                write!(f, "refused a message of `{method}` from the peer: {error}")
            }
            Error::InvalidRequest { method, error } => write!(
                f,
                "the request of `{method}` is not a valid message and was not sent: {error}"
            ),
            Error::Protocol { service, error } => {
                write!(f, "connection of `{service}` closed: {error}")
            }
            Error::Lagged { service, missed } => write!(
                f,
                "{missed} events of `{service}` were lost because they were not taken in \
                 time; take events more often or enlarge the event queue"
            ),
            Error::Manifest(error) => error.fmt(f),
            Error::Config { message } => f.write_str(message),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } => Some(source),
            Error::Invalid { error, .. } | Error::InvalidRequest { error, .. } => Some(error),
            Error::Protocol { error, .. } => Some(error),
            Error::Manifest(error) => Some(error),
            _ => None,
        }
    }
}

/// The failure of a call to a method declared with `error E`: the server's handler returned a
/// value of `E`, or the runtime failed.
#[derive(Debug)]
pub enum CallError<E> {
    /// The handler's answer, a member of the method's IDL error enum.
    Remote(E),
    /// The call did not complete.
    Runtime(Error),
}

impl<E> From<Error> for CallError<E> {
    fn from(error: Error) -> CallError<E> {
        CallError::Runtime(error)
    }
}

/// A method without `error` fails only in the runtime, so `?` turns its failure into an
/// [`Error`].
impl From<CallError<crate::NoError>> for Error {
    fn from(error: CallError<crate::NoError>) -> Error {
        match error {
            CallError::Remote(never) => match never {},
            CallError::Runtime(error) => error,
        }
    }
}

impl<E: fmt::Debug> fmt::Display for CallError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CallError::Remote(error) => write!(f, "the server answered with error {error:?}"),
            CallError::Runtime(error) => error.fmt(f),
        }
    }
}

impl<E: fmt::Debug> std::error::Error for CallError<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            CallError::Remote(_) => None,
            CallError::Runtime(error) => Some(error),
        }
    }
}
