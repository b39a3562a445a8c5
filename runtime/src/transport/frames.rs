//! Where a side builds the frames it sends and finds the frames it receives: a socket's
//! buffers, or the slots of a shared-memory ring, read and written in place either way.

use crate::transport::buffer::{FrameAt, FrameBuffer};
use crate::wire::{self, FrameHeader, Kind, ProtocolError, HEADER_LEN};

#[cfg(target_os = "linux")]
use crate::shm;

/// Frames to send.
pub(crate) enum Outgoing {
    /// Appended to a buffer that the socket drains.
    Buffer(FrameBuffer),
    /// One frame per slot of a ring.
    #[cfg(target_os = "linux")]
    Ring(shm::Producer),
}

/// Why a frame cannot be started now.
#[derive(Debug)]
pub(crate) enum Blocked {
    /// The ring is full: wait for the peer to take some frames.
    Full,
    /// The ring is corrupt or the frame larger than a slot.
    Failed(String),
}

impl Outgoing {
    /// Starts a frame with a zeroed payload of `len` bytes; [`Outgoing::commit`] sends it.
    pub(crate) fn begin(
        &mut self,
        kind: Kind,
        method: u32,
        correlation: u64,
        len: usize,
    ) -> Result<&mut [u8], Blocked> {
        match self {
            Outgoing::Buffer(buffer) => Ok(buffer.push_frame(kind, method, correlation, len)),
            #[cfg(target_os = "linux")]
            Outgoing::Ring(producer) => {
                let frame_len = HEADER_LEN + wire::padded_len(len);
                let capacity = producer.capacity();
                if frame_len > capacity {
                    return Err(Blocked::Failed(format!(
                        "a frame of {frame_len} bytes does not fit a ring slot of {capacity}"
                    )));
                }
                let slot = producer
                    .free_slot()
                    .map_err(|error| Blocked::Failed(error.to_string()))?
                    .ok_or(Blocked::Full)?;
                let header = FrameHeader::new(kind, method, correlation, len as u32);
                slot[..HEADER_LEN].copy_from_slice(zerocopy::IntoBytes::as_bytes(&header));
                slot[HEADER_LEN..frame_len].fill(0);
                Ok(&mut slot[HEADER_LEN..HEADER_LEN + len])
            }
        }
    }

    /// The buffer, for links that drain it into a socket or hand it to a server in-process.
    pub(crate) fn buffer_mut(&mut self) -> Option<&mut FrameBuffer> {
        match self {
            Outgoing::Buffer(buffer) => Some(buffer),
            #[cfg(target_os = "linux")]
            Outgoing::Ring(_) => None,
        }
    }

    /// The ring, for links that wait for room in it.
    #[cfg(target_os = "linux")]
    pub(crate) fn ring_mut(&mut self) -> Option<&mut shm::Producer> {
        match self {
            Outgoing::Ring(producer) => Some(producer),
            Outgoing::Buffer(_) => None,
        }
    }

    /// Whether a frame can be started without waiting.
    pub(crate) fn has_room(&mut self) -> Result<bool, String> {
        match self {
            Outgoing::Buffer(_) => Ok(true),
            #[cfg(target_os = "linux")]
            Outgoing::Ring(producer) => producer.is_writable().map_err(|error| error.to_string()),
        }
    }

    /// The largest payload one frame may carry.
    pub(crate) fn max_payload(&self) -> usize {
        match self {
            Outgoing::Buffer(_) => wire::MAX_PAYLOAD as usize,
            #[cfg(target_os = "linux")]
            Outgoing::Ring(producer) => producer.capacity().saturating_sub(HEADER_LEN) & !7,
        }
    }

    /// The payload of the frame being built, of `len` bytes.
    pub(crate) fn building(&self, len: usize) -> &[u8] {
        match self {
            Outgoing::Buffer(buffer) => buffer.last_payload(len),
            #[cfg(target_os = "linux")]
            Outgoing::Ring(producer) => &producer.loaned()[HEADER_LEN..HEADER_LEN + len],
        }
    }

    /// The payload of the frame being built, of `len` bytes, to fill in.
    pub(crate) fn building_mut(&mut self, len: usize) -> &mut [u8] {
        match self {
            Outgoing::Buffer(buffer) => buffer.last_payload_mut(len),
            #[cfg(target_os = "linux")]
            Outgoing::Ring(producer) => &mut producer.loaned_mut()[HEADER_LEN..HEADER_LEN + len],
        }
    }

    /// Drops the frame being built, of a payload of `len` bytes.
    pub(crate) fn cancel(&mut self, len: usize) {
        match self {
            Outgoing::Buffer(buffer) => buffer.pop_frame(len),
            #[cfg(target_os = "linux")]
            Outgoing::Ring(_) => {}
        }
    }

    /// Completes the frame being built, of a payload of `len` bytes: a ring publishes it at
    /// once; a buffer keeps it until the socket takes it.
    pub(crate) fn commit(&mut self, len: usize) -> Result<(), String> {
        match self {
            Outgoing::Buffer(_) => Ok(()),
            #[cfg(target_os = "linux")]
            Outgoing::Ring(producer) => producer
                .commit(HEADER_LEN + wire::padded_len(len))
                .map_err(|error| error.to_string()),
        }
    }
}

/// Frames received.
pub(crate) enum Incoming {
    /// Read from a socket into a buffer.
    Buffer(FrameBuffer),
    /// In the slots of a ring, one frame per slot.
    #[cfg(target_os = "linux")]
    Ring(shm::Consumer),
}

impl Incoming {
    /// The buffer, for links that fill it from a socket or in-process.
    pub(crate) fn buffer_mut(&mut self) -> Option<&mut FrameBuffer> {
        match self {
            Incoming::Buffer(buffer) => Some(buffer),
            #[cfg(target_os = "linux")]
            Incoming::Ring(_) => None,
        }
    }

    /// The ring, for links that wait for frames in it.
    #[cfg(target_os = "linux")]
    pub(crate) fn ring_mut(&mut self) -> Option<&mut shm::Consumer> {
        match self {
            Incoming::Ring(consumer) => Some(consumer),
            Incoming::Buffer(_) => None,
        }
    }

    /// The frame at the front, once wholly received.
    pub(crate) fn front(&mut self) -> Result<Option<FrameAt>, ProtocolError> {
        match self {
            Incoming::Buffer(buffer) => buffer.next_frame(),
            #[cfg(target_os = "linux")]
            Incoming::Ring(consumer) => {
                let Some(slot) = consumer
                    .oldest()
                    .map_err(|error| ProtocolError::new(error.to_string()))?
                else {
                    return Ok(None);
                };
                let (header, kind) = FrameHeader::parse(slot)?;
                if HEADER_LEN + header.length() as usize > slot.len() {
                    return Err(ProtocolError::new(format!(
                        "a frame announces {} payload bytes in a slot message of {}",
                        header.length(),
                        slot.len()
                    )));
                }
                Ok(Some(FrameAt { header, kind }))
            }
        }
    }

    /// The payload of the frame at the front (found by [`Incoming::front`]).
    pub(crate) fn payload(&self, at: &FrameAt) -> &[u8] {
        match self {
            Incoming::Buffer(buffer) => buffer.payload(at),
            #[cfg(target_os = "linux")]
            Incoming::Ring(consumer) => &consumer.held_message()[at.payload_range()],
        }
    }

    /// Drops the frame at the front.
    pub(crate) fn pop(&mut self, at: &FrameAt) {
        match self {
            Incoming::Buffer(buffer) => buffer.consume(at.header.frame_len()),
            #[cfg(target_os = "linux")]
            Incoming::Ring(consumer) => consumer.release_oldest(),
        }
    }

    /// The payload of the frame at the front, when one was found: for guards that read it in
    /// place after [`Incoming::front`].
    pub(crate) fn front_payload(&self) -> &[u8] {
        match self {
            Incoming::Buffer(buffer) => buffer.front_payload(),
            #[cfg(target_os = "linux")]
            Incoming::Ring(consumer) => {
                let slot = consumer.held_message();
                match FrameHeader::parse(slot) {
                    Ok((header, _)) => &slot[HEADER_LEN..HEADER_LEN + header.length() as usize],
                    Err(_) => &[],
                }
            }
        }
    }
}
