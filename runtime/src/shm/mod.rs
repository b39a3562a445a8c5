//! Shared-memory building blocks (Linux): sealed memfd regions, single-producer/
//! single-consumer rings of fixed-size slots, eventfd wake-ups without lost wake-ups, and
//! descriptor passing over Unix sockets.
//!
//! A channel ([`ServerEnd`], [`ClientEnd`]) is one region holding two rings:
//!
//! | offset | size | what |
//! |---|---|---|
//! | 0 | 64 | region header, below |
//! | 64 | 256 + `Sq × Zq` | request ring (client → server): `Sq` slots of `Zq` bytes |
//! | 320 + `Sq × Zq` | 256 + `Sr × Zr` | reply ring (server → client): `Sr` slots of `Zr` bytes |
//!
//! The region header, written once by the server before it shares the region:
//!
//! | offset | size | field |
//! |---|---|---|
//! | 0 | 8 | magic, the bytes `interopS` |
//! | 8 | 4 | layout version (1) |
//! | 12 | 4 | reserved, zero |
//! | 16 | 4 | request ring: slots `Sq` (a power of two) |
//! | 20 | 4 | request ring: slot size `Zq` (a multiple of 64) |
//! | 24 | 4 | reply ring: slots `Sr` |
//! | 28 | 4 | reply ring: slot size `Zr` |
//! | 32 | 32 | reserved, zero |
//!
//! All values are native-endian (both processes run on the same machine). The client checks
//! the header against the size of the mapping before trusting anything else; the layout of a
//! ring and its slots is described in `ring.rs`, the sleep protocol in `wake.rs`.
//!
//! Nothing here touches the file system: regions are anonymous memfds, sealed against
//! resizing, that travel to the peer over a Unix socket.

mod channel;
mod error;
mod eventfd;
mod fd_passing;
mod layout;
mod region;
mod ring;
mod wake;

pub use channel::{ClientEnd, ServerEnd, CHANNEL_FDS};
pub use error::{ShmError, ShmErrorKind};
pub use eventfd::EventFd;
pub use fd_passing::{recv_with_fds, send_with_fds, MAX_FDS};
pub use layout::{ChannelLayout, RingLayout, CACHE_LINE, LAYOUT_VERSION, SLOT_HEADER_SIZE};
pub use region::Region;
pub use ring::{Consumer, Loan, Producer, Received, RingError};
pub use wake::{wait_readable, wait_writable, WaitOutcome, WaitStrategy};
