//! A byte buffer whose contents start 8-aligned, for frames read from and written to sockets:
//! a payload in it can be viewed in place as the message it holds.

use std::io::{self, Read, Write};

use zerocopy::IntoBytes;

use crate::wire::{self, FrameHeader, Kind, ProtocolError, FRAME_ALIGN, HEADER_LEN};

/// Bytes `[start, end)` of `words`; `start` is always a multiple of [`FRAME_ALIGN`].
#[derive(Default)]
pub(crate) struct FrameBuffer {
    words: Vec<u64>,
    start: usize,
    end: usize,
}

/// A whole frame at the front of a [`FrameBuffer`].
#[derive(Clone, Copy, Debug)]
pub(crate) struct FrameAt {
    pub(crate) header: FrameHeader,
    pub(crate) kind: Kind,
}

impl FrameAt {
    /// The payload's range within the buffer's contents.
    pub(crate) fn payload_range(&self) -> std::ops::Range<usize> {
        HEADER_LEN..HEADER_LEN + self.header.length() as usize
    }
}

impl FrameBuffer {
    /// The bytes held.
    pub(crate) fn contents(&self) -> &[u8] {
        &self.words.as_bytes()[self.start..self.end]
    }

    /// True when nothing is held.
    pub(crate) fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// How many bytes are held.
    pub(crate) fn len(&self) -> usize {
        self.end - self.start
    }

    /// Drops `count` bytes from the front (a multiple of [`FRAME_ALIGN`]).
    pub(crate) fn consume(&mut self, count: usize) {
        debug_assert!(count % FRAME_ALIGN == 0 && count <= self.len());
        self.start += count;
        if self.start == self.end {
            self.start = 0;
            self.end = 0;
        }
    }

    /// At least `count` writable bytes after the contents, moving the contents to the front or
    /// growing the buffer when needed.
    fn spare(&mut self, count: usize) -> &mut [u8] {
        let capacity = self.words.len() * 8;
        if capacity - self.end < count {
            if self.start > 0 {
                let len = self.len();
                self.words
                    .as_mut_bytes()
                    .copy_within(self.start..self.end, 0);
                self.start = 0;
                self.end = len;
            }
            if capacity - self.end < count {
                let words = (self.end + count).div_ceil(8).max(self.words.len() * 2);
                self.words.resize(words, 0);
            }
        }
        &mut self.words.as_mut_bytes()[self.end..]
    }

    /// Reads what the socket has (one `read`), leaving room for at least the frame that is
    /// partly received. `Ok(0)` is the end of the stream.
    pub(crate) fn read_from(&mut self, source: &mut impl Read) -> io::Result<usize> {
        let wanted = match self.peek_header() {
            Some(Ok(at)) => at.header.frame_len().saturating_sub(self.len()),
            _ => 0,
        };
        let spare = self.spare(wanted.max(64 * 1024));
        let read = source.read(spare)?;
        self.end += read;
        Ok(read)
    }

    fn peek_header(&self) -> Option<Result<FrameAt, ProtocolError>> {
        if self.len() < HEADER_LEN {
            return None;
        }
        Some(FrameHeader::parse(self.contents()).map(|(header, kind)| FrameAt { header, kind }))
    }

    /// The frame at the front, once it is wholly received.
    pub(crate) fn next_frame(&self) -> Result<Option<FrameAt>, ProtocolError> {
        match self.peek_header() {
            None => Ok(None),
            Some(Err(error)) => Err(error),
            Some(Ok(at)) if at.header.frame_len() <= self.len() => Ok(Some(at)),
            Some(Ok(_)) => Ok(None),
        }
    }

    /// The payload of the frame at the front.
    pub(crate) fn payload(&self, at: &FrameAt) -> &[u8] {
        &self.contents()[at.payload_range()]
    }

    /// Appends a frame with a zeroed payload of `len` bytes and returns the payload to fill.
    pub(crate) fn push_frame(
        &mut self,
        kind: Kind,
        method: u32,
        correlation: u64,
        len: usize,
    ) -> &mut [u8] {
        let frame_len = HEADER_LEN + wire::padded_len(len);
        let spare = self.spare(frame_len);
        let header = FrameHeader::new(kind, method, correlation, len as u32);
        spare[..HEADER_LEN].copy_from_slice(header.as_bytes());
        spare[HEADER_LEN..frame_len].fill(0);
        let at = self.end + HEADER_LEN;
        self.end += frame_len;
        &mut self.words.as_mut_bytes()[at..at + len]
    }

    /// Appends a frame carrying `payload`.
    pub(crate) fn push_frame_with(
        &mut self,
        kind: Kind,
        method: u32,
        correlation: u64,
        payload: &[u8],
    ) {
        self.push_frame(kind, method, correlation, payload.len())
            .copy_from_slice(payload);
    }

    /// The payload of the last frame pushed, of `len` bytes.
    pub(crate) fn last_payload(&self, len: usize) -> &[u8] {
        let at = self.end - wire::padded_len(len);
        &self.words.as_bytes()[at..at + len]
    }

    /// The payload of the last frame pushed, of `len` bytes, to fill in.
    pub(crate) fn last_payload_mut(&mut self, len: usize) -> &mut [u8] {
        let at = self.end - wire::padded_len(len);
        &mut self.words.as_mut_bytes()[at..at + len]
    }

    /// The payload of the whole frame at the front (empty when there is none).
    pub(crate) fn front_payload(&self) -> &[u8] {
        match self.next_frame() {
            Ok(Some(at)) => self.payload(&at),
            _ => &[],
        }
    }

    /// Drops the last frame pushed, of a payload of `len` bytes (a loan given back unsent).
    pub(crate) fn pop_frame(&mut self, len: usize) {
        self.end -= HEADER_LEN + wire::padded_len(len);
    }

    /// Writes as much as the socket takes; true when everything was written.
    pub(crate) fn write_to(&mut self, sink: &mut impl Write) -> io::Result<bool> {
        while !self.is_empty() {
            match sink.write(self.contents()) {
                Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
                Ok(written) => {
                    self.start += written;
                    if self.start == self.end {
                        self.start = 0;
                        self.end = 0;
                    }
                }
                Err(error) if error.kind() == io::ErrorKind::WouldBlock => break,
                Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
                Err(error) => return Err(error),
            }
        }
        // Partial writes leave `start` unaligned; realign before the next frame is parsed or
        // pushed so that payloads stay 8-aligned.
        if self.start % FRAME_ALIGN != 0 {
            let len = self.len();
            self.words
                .as_mut_bytes()
                .copy_within(self.start..self.end, 0);
            self.start = 0;
            self.end = len;
        }
        Ok(self.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_pushed_are_read_back_whole_and_aligned_whatever_the_chunking() {
        let mut out = FrameBuffer::default();
        for i in 0..100u32 {
            let payload: Vec<u8> = (0..i % 23).map(|b| b as u8 ^ i as u8).collect();
            out.push_frame_with(Kind::Request, i, u64::from(i), &payload);
        }
        let wire = out.contents().to_vec();
        let mut input = FrameBuffer::default();
        let mut chunks = wire.chunks(7);
        let mut seen = 0u32;
        loop {
            while let Some(at) = input.next_frame().unwrap() {
                let payload = input.payload(&at);
                assert_eq!(at.header.method(), seen);
                assert_eq!(payload.len() as u32, seen % 23);
                assert_eq!(payload.as_ptr() as usize % 8, 0);
                assert!(payload
                    .iter()
                    .enumerate()
                    .all(|(b, &v)| v == b as u8 ^ seen as u8));
                input.consume(at.header.frame_len());
                seen += 1;
            }
            match chunks.next() {
                Some(mut chunk) => {
                    input.read_from(&mut chunk).unwrap();
                }
                None => break,
            }
        }
        assert_eq!(seen, 100);
        assert!(input.is_empty());
    }

    #[test]
    fn a_bad_header_is_reported_once_24_bytes_are_in() {
        let mut input = FrameBuffer::default();
        input.read_from(&mut &[0xffu8; 23][..]).unwrap();
        assert!(input.next_frame().unwrap().is_none());
        input.read_from(&mut &[0xffu8; 1][..]).unwrap();
        assert!(input.next_frame().is_err());
    }
}
