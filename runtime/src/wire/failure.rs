//! The payload of a `Failure` frame: why the runtime refused a frame.

use super::{put_str, ProtocolError, Reader};

/// Why a frame was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u16)]
pub enum FailureCode {
    /// The method id names no method of the service.
    UnknownMethod = 1,
    /// The method's fingerprints differ between the two sides' stubs.
    FingerprintMismatch = 2,
    /// The payload failed validation (`docs/IDL.md` §11).
    InvalidPayload = 3,
    /// The frame kind does not apply to the method (a `Request` for an event, ...).
    WrongKind = 4,
    /// The service's handler panicked while handling the call.
    HandlerPanicked = 5,
    /// A code this runtime does not know (sent by a newer peer).
    Other = 0xffff,
}

impl FailureCode {
    fn from_u16(value: u16) -> FailureCode {
        match value {
            1 => FailureCode::UnknownMethod,
            2 => FailureCode::FingerprintMismatch,
            3 => FailureCode::InvalidPayload,
            4 => FailureCode::WrongKind,
            5 => FailureCode::HandlerPanicked,
            _ => FailureCode::Other,
        }
    }
}

/// A refusal: its code and a message for people.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    /// Why.
    pub code: FailureCode,
    /// The details, naming the service, method, type and field where they apply.
    pub message: String,
}

impl Failure {
    /// Encodes the failure as a frame payload: the code as a `u16`, then the message.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(4 + self.message.len());
        out.extend_from_slice(&(self.code as u16).to_le_bytes());
        put_str(&mut out, &self.message);
        out
    }

    /// Decodes a failure payload.
    pub fn decode(bytes: &[u8]) -> Result<Failure, ProtocolError> {
        let mut reader = Reader::new(bytes, "failure payload");
        let code = FailureCode::from_u16(reader.u16()?);
        let message = reader.str()?.to_owned();
        reader.finish()?;
        Ok(Failure { code, message })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_round_trip_and_truncated_ones_are_refused() {
        let failure = Failure {
            code: FailureCode::InvalidPayload,
            message: "invalid `a.B`: field `c` at byte 4: padding bytes must be zero".into(),
        };
        let bytes = failure.encode();
        assert_eq!(Failure::decode(&bytes).unwrap(), failure);
        assert!(Failure::decode(&bytes[..bytes.len() - 1]).is_err());
        assert!(Failure::decode(&[1]).is_err());
    }
}
