//! The frame header.

use zerocopy::little_endian::{U16, U32, U64};
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout, Unaligned};

use super::{ProtocolError, MAX_PAYLOAD};

/// The first four bytes of every frame.
pub const MAGIC: [u8; 4] = *b"IOPF";

/// The protocol version this runtime speaks.
pub const VERSION: u8 = 1;

/// The size of the frame header in bytes.
pub const HEADER_LEN: usize = 24;

/// Frames, and therefore payloads, start at multiples of this many bytes.
pub const FRAME_ALIGN: usize = 8;

/// What a frame carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Kind {
    /// Client → server, first frame of a connection: the service and its methods' fingerprints.
    Hello = 1,
    /// Server → client, the answer to `Hello`.
    Welcome = 2,
    /// Client → server: a call that expects a reply with the same correlation id.
    Request = 3,
    /// Server → client: the reply message of a call.
    Reply = 4,
    /// Server → client: the call failed with a value of the method's IDL error enum.
    Error = 5,
    /// Client → server: a call without a reply.
    OneWay = 6,
    /// Server → client: an event for a subscribed client.
    Event = 7,
    /// Client → server: deliver the event with this method id from now on; answered by an
    /// empty `Reply` or a `Failure`.
    Subscribe = 8,
    /// Client → server: stop delivering the event; answered like `Subscribe`.
    Unsubscribe = 9,
    /// Either way: the runtime refused a frame (unknown method, invalid payload, fingerprint
    /// mismatch...); the payload is a [`super::Failure`].
    Failure = 10,
    /// Server → client: this many events were not delivered because the client's queue was
    /// full; the payload is the count as a `u64`.
    Lagged = 11,
}

impl Kind {
    fn from_u8(value: u8) -> Option<Kind> {
        Some(match value {
            1 => Kind::Hello,
            2 => Kind::Welcome,
            3 => Kind::Request,
            4 => Kind::Reply,
            5 => Kind::Error,
            6 => Kind::OneWay,
            7 => Kind::Event,
            8 => Kind::Subscribe,
            9 => Kind::Unsubscribe,
            10 => Kind::Failure,
            11 => Kind::Lagged,
            _ => return None,
        })
    }
}

/// The 24 bytes before every payload, little-endian (`docs/PROTOCOL.md` §2).
#[derive(Clone, Copy, Debug, FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
pub struct FrameHeader {
    magic: [u8; 4],
    version: u8,
    kind: u8,
    flags: U16,
    method: U32,
    length: U32,
    correlation: U64,
}

const _: () = assert!(size_of::<FrameHeader>() == HEADER_LEN);

impl FrameHeader {
    /// A header for a payload of `length` bytes.
    pub fn new(kind: Kind, method: u32, correlation: u64, length: u32) -> FrameHeader {
        FrameHeader {
            magic: MAGIC,
            version: VERSION,
            kind: kind as u8,
            flags: U16::ZERO,
            method: U32::new(method),
            length: U32::new(length),
            correlation: U64::new(correlation),
        }
    }

    /// Reads and checks the header at the start of `bytes` (at least [`HEADER_LEN`] long).
    pub fn parse(bytes: &[u8]) -> Result<(FrameHeader, Kind), ProtocolError> {
        let (header, _) = FrameHeader::read_from_prefix(bytes)
            .map_err(|_| ProtocolError::new("a frame header is shorter than 24 bytes"))?;
        if header.magic != MAGIC {
            return Err(ProtocolError::new(format!(
                "bad magic {:02x?} (expected {:02x?}): the peer does not speak this protocol",
                header.magic, MAGIC
            )));
        }
        if header.version != VERSION {
            return Err(ProtocolError::new(format!(
                "protocol version {} (this runtime speaks {VERSION}): upgrade the older side",
                header.version
            )));
        }
        let kind = Kind::from_u8(header.kind)
            .ok_or_else(|| ProtocolError::new(format!("unknown frame kind {}", header.kind)))?;
        if header.flags.get() != 0 {
            return Err(ProtocolError::new(format!(
                "frame flags {:#06x} are reserved and must be zero",
                header.flags.get()
            )));
        }
        if header.length.get() > MAX_PAYLOAD {
            return Err(ProtocolError::new(format!(
                "a payload of {} bytes is announced, more than the limit of {MAX_PAYLOAD}",
                header.length.get()
            )));
        }
        Ok((header, kind))
    }

    /// The method id (zero for frames not about a method).
    pub fn method(&self) -> u32 {
        self.method.get()
    }

    /// The payload's length in bytes, without padding.
    pub fn length(&self) -> u32 {
        self.length.get()
    }

    /// The id that pairs a reply with its request.
    pub fn correlation(&self) -> u64 {
        self.correlation.get()
    }

    /// The whole frame's length on the wire: header, payload and padding.
    pub fn frame_len(&self) -> usize {
        HEADER_LEN + padded_len(self.length.get() as usize)
    }
}

/// `len` rounded up to a multiple of [`FRAME_ALIGN`].
pub fn padded_len(len: usize) -> usize {
    len.div_ceil(FRAME_ALIGN) * FRAME_ALIGN
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_header_round_trips_with_its_documented_byte_layout() {
        let header = FrameHeader::new(Kind::Request, 0x1234_5678, 9, 13);
        let bytes = header.as_bytes();
        assert_eq!(&bytes[..4], b"IOPF");
        assert_eq!(bytes[4], VERSION);
        assert_eq!(bytes[5], Kind::Request as u8);
        assert_eq!(&bytes[8..12], &0x1234_5678u32.to_le_bytes());
        assert_eq!(&bytes[12..16], &13u32.to_le_bytes());
        assert_eq!(&bytes[16..24], &9u64.to_le_bytes());
        let (parsed, kind) = FrameHeader::parse(bytes).unwrap();
        assert_eq!(kind, Kind::Request);
        assert_eq!(parsed.method(), 0x1234_5678);
        assert_eq!(parsed.correlation(), 9);
        assert_eq!(parsed.frame_len(), 24 + 16);
    }

    #[test]
    fn bad_headers_are_refused_with_the_reason() {
        let good = FrameHeader::new(Kind::Reply, 1, 1, 8);
        let refuse = |edit: &dyn Fn(&mut [u8]), expected: &str| {
            let mut bytes = good.as_bytes().to_vec();
            edit(&mut bytes);
            let error = FrameHeader::parse(&bytes).unwrap_err();
            assert!(error.reason.contains(expected), "{error}");
        };
        refuse(&|b| b[0] = b'X', "bad magic");
        refuse(&|b| b[4] = 9, "protocol version 9");
        refuse(&|b| b[5] = 0, "unknown frame kind 0");
        refuse(&|b| b[6] = 1, "reserved");
        refuse(
            &|b| b[12..16].copy_from_slice(&u32::MAX.to_le_bytes()),
            "more than the limit",
        );
        assert!(FrameHeader::parse(&good.as_bytes()[..10]).is_err());
    }
}
