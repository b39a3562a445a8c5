//! A single-producer/single-consumer ring of fixed-size slots in a shared region, carrying
//! variable-length messages of up to a slot's capacity without copying: the producer writes
//! in place into a loaned slot, the consumer reads in place from the slot until it releases it.
//!
//! # Layout
//!
//! A ring starts at a 64-aligned offset of its region (see [`super::layout`]):
//!
//! | offset | size | field | written by |
//! |---|---|---|---|
//! | 0 | 8 | `produced`: messages committed so far (u64) | producer |
//! | 64 | 8 | `consumed`: messages released so far (u64) | consumer |
//! | 128 | 4 | `reader_waiting`: the consumer's sleep token, 0 when awake (u32) | consumer sets, producer clears |
//! | 192 | 4 | `writer_waiting`: the producer's sleep token, 0 when awake (u32) | producer sets, consumer clears |
//! | 256 | `slots × slot_size` | the slots | |
//!
//! Each field has its own cache line, so the two sides never write the same line; each side
//! also keeps the last value it read of the other's index and reads the shared one again only
//! when its copy says the ring is full (producer) or empty (consumer).
//!
//! Message `i` lives in slot `i mod slots`. A slot is `slot_size` bytes (a multiple of 64):
//!
//! | offset | size | field |
//! |---|---|---|
//! | 0 | 4 | committed length in bytes (u32) |
//! | 4 | 4 | reserved |
//! | 8 | `slot_size - 8` | the message, 8-aligned |
//!
//! # Trust
//!
//! The peer is another process, maybe buggy or hostile. Every value read from the region is
//! checked before use: an index that is behind this side's or more than `slots` ahead of it,
//! or a length above the capacity, is a [`RingError`] and nothing is read through it. A peer
//! that scribbles over slot bytes while this side reads them can garble the message, which the
//! message validator then refuses; it cannot make this side read or write outside the ring.
//!
//! # Ordering
//!
//! The producer writes the message and its length, then publishes `produced` (release, and
//! sequentially consistent where the sleep protocol of [`super::wake`] needs it); the consumer
//! reads `produced` with acquire before the slot. Symmetrically the consumer publishes
//! `consumed` with release after its last read of a slot, and the producer reads it with
//! acquire before reusing the slot.

use std::fmt;
use std::ops::{Deref, DerefMut};
use std::ptr::NonNull;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::Arc;

use super::error::ShmError;
use super::eventfd::EventFd;
use super::layout::{RingLayout, CACHE_LINE, RING_HEADER_SIZE, SLOT_HEADER_SIZE};
use super::region::Region;
use super::wake::{self, SleepState};

/// A value alone on its cache line.
#[repr(C, align(64))]
pub(super) struct CacheLine<T>(T);

/// The shared header of a ring, as laid out at the ring's offset.
#[repr(C)]
pub(super) struct RingHeader {
    pub(super) produced: CacheLine<AtomicU64>,
    pub(super) consumed: CacheLine<AtomicU64>,
    pub(super) reader_waiting: CacheLine<AtomicU32>,
    pub(super) writer_waiting: CacheLine<AtomicU32>,
}

const _: () = assert!(std::mem::size_of::<RingHeader>() == RING_HEADER_SIZE);
const _: () = assert!(std::mem::align_of::<RingHeader>() == CACHE_LINE);

impl<T> Deref for CacheLine<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

/// What the peer broke in a ring. The ring is unusable afterwards: drop the channel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RingError {
    /// The producer index is behind the consumer's position or more than `slots` ahead of it.
    ProducerIndexOutOfRange {
        /// Which ring.
        ring: &'static str,
        /// The producer index read from shared memory.
        produced: u64,
        /// The consumer's own position.
        consumed: u64,
        /// Slots in the ring.
        slots: u64,
    },
    /// The consumer index is ahead of the producer's position or more than `slots` behind it.
    ConsumerIndexOutOfRange {
        /// Which ring.
        ring: &'static str,
        /// The consumer index read from shared memory.
        consumed: u64,
        /// The producer's own position.
        produced: u64,
        /// Slots in the ring.
        slots: u64,
    },
    /// A committed length above the slot's capacity.
    LengthTooLarge {
        /// Which ring.
        ring: &'static str,
        /// The message index.
        index: u64,
        /// The length read from the slot.
        length: u32,
        /// The most a slot holds.
        capacity: usize,
    },
}

impl fmt::Display for RingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RingError::ProducerIndexOutOfRange {
                ring,
                produced,
                consumed,
                slots,
            } => write!(
                f,
                "shared memory {ring}: the producer index {produced} is not within {slots} \
                 slots ahead of the consumer's position {consumed}"
            ),
            RingError::ConsumerIndexOutOfRange {
                ring,
                consumed,
                produced,
                slots,
            } => write!(
                f,
                "shared memory {ring}: the consumer index {consumed} is not within {slots} \
                 slots behind the producer's position {produced}"
            ),
            RingError::LengthTooLarge {
                ring,
                index,
                length,
                capacity,
            } => write!(
                f,
                "shared memory {ring}: message {index} has a committed length of {length} \
                 bytes, above the slot capacity of {capacity}"
            ),
        }
    }
}

impl std::error::Error for RingError {}

/// Where one ring lives in a mapped region.
pub(super) struct RingMap {
    header: NonNull<RingHeader>,
    slots_base: NonNull<u8>,
    layout: RingLayout,
    name: &'static str,
    /// Keeps the mapping alive as long as the pointers above.
    _region: Arc<Region>,
}

impl RingMap {
    /// The ring of `layout` at `offset` in `region`. The caller validated the layout against
    /// the region's size ([`super::layout::ChannelLayout::read_header`]).
    pub(super) fn new(
        region: Arc<Region>,
        offset: usize,
        layout: RingLayout,
        name: &'static str,
    ) -> RingMap {
        assert!(
            offset % CACHE_LINE == 0 && offset + layout.size() <= region.len(),
            "the channel layout was checked against the region"
        );
        // SAFETY: `offset + layout.size()` is within the mapping (checked above), so both
        // pointers stay inside it; they are 64-aligned since the mapping is page-aligned.
        let (header, slots_base) = unsafe {
            let header = region.base().as_ptr().add(offset);
            (header.cast::<RingHeader>(), header.add(RING_HEADER_SIZE))
        };
        RingMap {
            header: NonNull::new(header).expect("inside a mapping"),
            slots_base: NonNull::new(slots_base).expect("inside a mapping"),
            layout,
            name,
            _region: region,
        }
    }

    pub(super) fn header(&self) -> &RingHeader {
        // SAFETY: the header is inside the mapping, aligned, and made only of atomics, which
        // are valid for any bytes and may be shared with the other process.
        unsafe { self.header.as_ref() }
    }

    pub(super) fn slots(&self) -> u64 {
        u64::from(self.layout.slots())
    }

    /// The slot of message `index`: its start (the length field).
    fn slot(&self, index: u64) -> NonNull<u8> {
        let position = (index & (self.slots() - 1)) as usize;
        // SAFETY: `position < slots`, so the slot lies within the ring's slots, inside the
        // mapping.
        unsafe {
            self.slots_base
                .add(position * self.layout.slot_size() as usize)
        }
    }

    /// The length field of the slot of message `index`.
    fn length(&self, index: u64) -> &AtomicU32 {
        // SAFETY: the slot start is 64-aligned and inside the mapping; an atomic is valid for
        // any bytes and may be written by the other process.
        unsafe { self.slot(index).cast::<AtomicU32>().as_ref() }
    }

    /// The message bytes of the slot of message `index`.
    fn message(&self, index: u64) -> NonNull<u8> {
        // SAFETY: the slot holds `SLOT_HEADER_SIZE` bytes of header then the message.
        unsafe { self.slot(index).add(SLOT_HEADER_SIZE) }
    }

    pub(super) fn name(&self) -> &'static str {
        self.name
    }
}

/// The writing side of a ring.
pub struct Producer {
    pub(super) ring: RingMap,
    /// Messages committed (and published) so far.
    pub(super) produced: u64,
    /// The consumer index as last read.
    pub(super) consumed_seen: u64,
    /// Rung when a sleeping consumer must look at the ring.
    pub(super) data_ready: EventFd,
    /// The producer sleeps on it while the ring is full.
    pub(super) space_ready: EventFd,
    pub(super) sleep: SleepState,
    /// Whether [`Producer::free_slot`] found the current slot free since the last commit.
    loaned: bool,
}

// SAFETY: the producer's raw pointers point into a mapping it keeps alive through an `Arc`;
// it is the only writer of its side of the ring wherever it moves.
unsafe impl Send for Producer {}

impl Producer {
    pub(super) fn new(ring: RingMap, data_ready: EventFd, space_ready: EventFd) -> Producer {
        Producer {
            ring,
            produced: 0,
            consumed_seen: 0,
            data_ready,
            space_ready,
            sleep: SleepState::default(),
            loaned: false,
        }
    }

    /// The largest message a slot holds.
    pub fn capacity(&self) -> usize {
        self.ring.layout.capacity()
    }

    /// The ring's layout.
    pub fn layout(&self) -> RingLayout {
        self.ring.layout
    }

    /// A free slot to write a message into, or `None` while the ring is full.
    pub fn try_loan(&mut self) -> Result<Option<Loan<'_>>, ShmError> {
        if !self.is_writable()? {
            return Ok(None);
        }
        Ok(Some(Loan { producer: self }))
    }

    /// The free slot's bytes (its whole capacity), or `None` while the ring is full. Unlike
    /// [`Producer::try_loan`] it leaves the slot loaned until [`Producer::commit`]: callers that
    /// build a message across several borrows (a client's request loan) use this pair.
    pub(crate) fn free_slot(&mut self) -> Result<Option<&mut [u8]>, ShmError> {
        self.loaned = self.is_writable()?;
        Ok(self.loaned.then(|| self.loaned_mut()))
    }

    /// The slot [`Producer::free_slot`] returned, again; empty when no slot is loaned.
    pub(crate) fn loaned(&self) -> &[u8] {
        if !self.loaned {
            return &[];
        }
        // SAFETY: as in `Loan::deref`: the slot of message `produced` was found free and is
        // not committed yet, so only this side accesses it.
        unsafe {
            std::slice::from_raw_parts(self.ring.message(self.produced).as_ptr(), self.capacity())
        }
    }

    /// The slot [`Producer::free_slot`] returned, again, to write; empty when no slot is
    /// loaned.
    pub(crate) fn loaned_mut(&mut self) -> &mut [u8] {
        if !self.loaned {
            return &mut [];
        }
        // SAFETY: as in `loaned`; `&mut self` makes this the only view of the slot here.
        unsafe {
            std::slice::from_raw_parts_mut(
                self.ring.message(self.produced).as_ptr(),
                self.capacity(),
            )
        }
    }

    /// Publishes the first `len` bytes of the slot [`Producer::free_slot`] returned as the next
    /// message.
    pub(crate) fn commit(&mut self, len: usize) -> Result<(), ShmError> {
        debug_assert!(self.loaned, "commit without a free slot");
        self.loaned = false;
        Loan { producer: self }.commit(len)
    }

    /// Whether a slot is free, reading the consumer index again only if the cached one says
    /// the ring is full.
    pub fn is_writable(&mut self) -> Result<bool, ShmError> {
        if self.produced.wrapping_sub(self.consumed_seen) < self.ring.slots() {
            return Ok(true);
        }
        let consumed = self.ring.header().consumed.load(Ordering::Acquire);
        self.accept_consumed(consumed)?;
        Ok(self.produced.wrapping_sub(self.consumed_seen) < self.ring.slots())
    }

    /// Checks a consumer index read from shared memory and caches it.
    pub(super) fn accept_consumed(&mut self, consumed: u64) -> Result<(), RingError> {
        if self.produced.wrapping_sub(consumed) > self.ring.slots() {
            return Err(RingError::ConsumerIndexOutOfRange {
                ring: self.ring.name(),
                consumed,
                produced: self.produced,
                slots: self.ring.slots(),
            });
        }
        self.consumed_seen = consumed;
        Ok(())
    }
}

/// A free slot loaned to the producer: write the message into it, then [`Loan::commit`].
/// Dropping it without committing sends nothing. The bytes start 8-aligned and hold whatever
/// the slot held before.
pub struct Loan<'a> {
    producer: &'a mut Producer,
}

impl Loan<'_> {
    /// Publishes the first `len` bytes of the slot as the next message and wakes the consumer
    /// if it sleeps.
    ///
    /// # Panics
    ///
    /// If `len` exceeds the slot capacity: a bug of the caller, not of the peer.
    pub fn commit(self, len: usize) -> Result<(), ShmError> {
        let producer = self.producer;
        let capacity = producer.capacity();
        assert!(
            len <= capacity,
            "a message of {len} bytes committed to a slot of {capacity}"
        );
        let index = producer.produced;
        producer
            .ring
            .length(index)
            .store(len as u32, Ordering::Relaxed);
        producer.produced = index.wrapping_add(1);
        let header = producer.ring.header();
        // Sequentially consistent, paired with the consumer's announcement of its sleep: either
        // it sees this index before sleeping, or this side sees its token below.
        header.produced.store(producer.produced, Ordering::SeqCst);
        wake::wake_sleeper(&header.reader_waiting, &producer.data_ready)
    }
}

impl Deref for Loan<'_> {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        let producer = &*self.producer;
        // SAFETY: the slot of message `produced` is free (the consumer released it, as
        // `try_loan` checked), so only this side accesses it until the commit; its message
        // area is `capacity` bytes inside the mapping.
        unsafe {
            std::slice::from_raw_parts(
                producer.ring.message(producer.produced).as_ptr(),
                producer.capacity(),
            )
        }
    }
}

impl DerefMut for Loan<'_> {
    fn deref_mut(&mut self) -> &mut [u8] {
        let producer = &*self.producer;
        // SAFETY: as in `deref`; `&mut self` makes this the only view of the slot here.
        unsafe {
            std::slice::from_raw_parts_mut(
                producer.ring.message(producer.produced).as_ptr(),
                producer.capacity(),
            )
        }
    }
}

/// The reading side of a ring.
pub struct Consumer {
    pub(super) ring: RingMap,
    /// Messages released (and published) so far.
    pub(super) consumed: u64,
    /// The producer index as last read.
    pub(super) produced_seen: u64,
    /// Whether a release may have missed a producer that went to sleep for space at the same
    /// moment: checked with full ordering before this side reports the ring empty or sleeps.
    pub(super) unchecked_release: bool,
    /// The consumer sleeps on it while the ring is empty.
    pub(super) data_ready: EventFd,
    /// Rung when a producer sleeping for space must look at the ring.
    pub(super) space_ready: EventFd,
    pub(super) sleep: SleepState,
    /// The length of the message [`Consumer::oldest`] returned, until it is released.
    held: Option<usize>,
}

// SAFETY: as for `Producer`.
unsafe impl Send for Consumer {}

impl Consumer {
    pub(super) fn new(ring: RingMap, data_ready: EventFd, space_ready: EventFd) -> Consumer {
        Consumer {
            ring,
            consumed: 0,
            produced_seen: 0,
            unchecked_release: false,
            data_ready,
            space_ready,
            sleep: SleepState::default(),
            held: None,
        }
    }

    /// The largest message a slot holds.
    pub fn capacity(&self) -> usize {
        self.ring.layout.capacity()
    }

    /// The ring's layout.
    pub fn layout(&self) -> RingLayout {
        self.ring.layout
    }

    /// The oldest message not yet released, or `None` while the ring is empty. Dropping the
    /// [`Received`] releases its slot to the producer.
    pub fn try_peek(&mut self) -> Result<Option<Received<'_>>, ShmError> {
        if !self.is_readable()? {
            self.wake_producer_after_releases()?;
            return Ok(None);
        }
        let index = self.consumed;
        let length = self.ring.length(index).load(Ordering::Relaxed);
        let capacity = self.capacity();
        if length as usize > capacity {
            return Err(RingError::LengthTooLarge {
                ring: self.ring.name(),
                index,
                length,
                capacity,
            }
            .into());
        }
        Ok(Some(Received {
            consumer: self,
            len: length as usize,
        }))
    }

    /// The oldest message not yet released, left in the ring until
    /// [`Consumer::release_oldest`]: for callers that read a message across several borrows (a
    /// reply read in place).
    pub(crate) fn oldest(&mut self) -> Result<Option<&[u8]>, ShmError> {
        if self.held.is_none() {
            let Some(received) = self.try_peek()? else {
                return Ok(None);
            };
            let len = received.len;
            // Keep the slot: it is released by `release_oldest`, not on drop.
            std::mem::forget(received);
            self.held = Some(len);
        }
        Ok(Some(self.held_message()))
    }

    /// The message [`Consumer::oldest`] returned, again; empty when none is held.
    pub(crate) fn held_message(&self) -> &[u8] {
        let Some(len) = self.held else {
            return &[];
        };
        // SAFETY: as in `Received::deref`: the message is committed and not yet released, and
        // its length was checked against the capacity.
        unsafe { std::slice::from_raw_parts(self.ring.message(self.consumed).as_ptr(), len) }
    }

    /// Releases the message [`Consumer::oldest`] returned.
    pub(crate) fn release_oldest(&mut self) {
        if self.held.take().is_some() {
            self.release();
        }
    }

    /// Whether a message is waiting, reading the producer index again only if the cached
    /// one says the ring is empty.
    pub fn is_readable(&mut self) -> Result<bool, ShmError> {
        if self.produced_seen != self.consumed {
            return Ok(true);
        }
        let produced = self.ring.header().produced.load(Ordering::Acquire);
        self.accept_produced(produced)?;
        Ok(self.produced_seen != self.consumed)
    }

    /// Checks a producer index read from shared memory and caches it.
    pub(super) fn accept_produced(&mut self, produced: u64) -> Result<(), RingError> {
        if produced.wrapping_sub(self.consumed) > self.ring.slots() {
            return Err(RingError::ProducerIndexOutOfRange {
                ring: self.ring.name(),
                produced,
                consumed: self.consumed,
                slots: self.ring.slots(),
            });
        }
        self.produced_seen = produced;
        Ok(())
    }

    /// Publishes the release of the current message. A producer seen sleeping for space is
    /// woken at once; the release is checked again with full ordering before this side
    /// reports the ring empty or sleeps (see `wake_producer_after_releases`).
    fn release(&mut self) {
        self.consumed = self.consumed.wrapping_add(1);
        let header = self.ring.header();
        header.consumed.store(self.consumed, Ordering::Release);
        self.unchecked_release = true;
        if header.writer_waiting.load(Ordering::Relaxed) != 0 {
            if let Err(error) = wake::wake_sleeper(&header.writer_waiting, &self.space_ready) {
                log::warn!("waking the producer of the {}: {error}", self.ring.name());
            }
        }
    }

    /// Makes sure that a producer sleeping for space has seen the releases so far: publishes
    /// the consumer index again with full ordering, then wakes a sleeping producer.
    pub(super) fn wake_producer_after_releases(&mut self) -> Result<(), ShmError> {
        if !self.unchecked_release {
            return Ok(());
        }
        self.unchecked_release = false;
        let header = self.ring.header();
        // Sequentially consistent, paired with the producer's announcement of its sleep.
        header.consumed.swap(self.consumed, Ordering::SeqCst);
        wake::wake_sleeper(&header.writer_waiting, &self.space_ready)
    }
}

/// A message in the ring, read in place; its slot goes back to the producer on drop (or
/// [`Received::release`]).
pub struct Received<'a> {
    consumer: &'a mut Consumer,
    len: usize,
}

impl Received<'_> {
    /// Releases the slot (the same as dropping the message).
    pub fn release(self) {}
}

impl Deref for Received<'_> {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        let consumer = &*self.consumer;
        // SAFETY: the producer committed message `consumed` (its index, read with acquire, is
        // past it) and does not reuse the slot until it is released; `len` was checked against
        // the capacity, so the bytes lie inside the slot. A hostile producer writing the slot
        // anyway can only change the bytes seen here, which are validated before use.
        unsafe {
            std::slice::from_raw_parts(consumer.ring.message(consumer.consumed).as_ptr(), self.len)
        }
    }
}

impl Drop for Received<'_> {
    fn drop(&mut self) {
        self.consumer.release();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shm::{ChannelLayout, ClientEnd, ServerEnd, ShmErrorKind};

    /// A channel whose request ring has `slots` slots of 64 bytes (56-byte messages), both ends
    /// in this process.
    fn channel(slots: u32) -> (ClientEnd, ServerEnd) {
        let ring = RingLayout::new(slots, 64).unwrap();
        let layout = ChannelLayout {
            requests: ring,
            replies: ring,
        };
        let (server, fds) = ServerEnd::create("ring-test", layout).unwrap();
        (ClientEnd::open(fds).unwrap(), server)
    }

    fn send(producer: &mut Producer, message: &[u8]) {
        let mut loan = producer.try_loan().unwrap().expect("a free slot");
        loan[..message.len()].copy_from_slice(message);
        loan.commit(message.len()).unwrap();
    }

    fn receive(consumer: &mut Consumer) -> Vec<u8> {
        consumer.try_peek().unwrap().expect("a message").to_vec()
    }

    #[test]
    fn messages_arrive_in_order_across_many_wrap_arounds() {
        let (mut client, mut server) = channel(4);
        assert!(server.requests.try_peek().unwrap().is_none());
        for round in 0u32..50 {
            let batch = 1 + round % 4;
            for i in 0..batch {
                let message: Vec<u8> = (0..(round + i) % 57).map(|b| (b ^ round) as u8).collect();
                send(&mut client.requests, &message);
            }
            for i in 0..batch {
                let expected: Vec<u8> = (0..(round + i) % 57).map(|b| (b ^ round) as u8).collect();
                assert_eq!(receive(&mut server.requests), expected);
            }
            assert!(server.requests.try_peek().unwrap().is_none());
        }
    }

    #[test]
    fn a_full_ring_loans_nothing_until_a_release() {
        let (mut client, mut server) = channel(4);
        for i in 0..4u8 {
            send(&mut client.requests, &[i]);
        }
        assert!(client.requests.try_loan().unwrap().is_none());
        assert!(!client.requests.is_writable().unwrap());
        let message = server.requests.try_peek().unwrap().unwrap();
        assert_eq!(&*message, &[0]);
        // Still held by the consumer: the slot is not free yet.
        assert!(client.requests.try_loan().unwrap().is_none());
        drop(message);
        assert!(client.requests.try_loan().unwrap().is_some());
    }

    #[test]
    fn a_loan_dropped_without_commit_sends_nothing() {
        let (mut client, mut server) = channel(4);
        {
            let mut loan = client.requests.try_loan().unwrap().unwrap();
            loan[0] = 9;
        }
        assert!(server.requests.try_peek().unwrap().is_none());
        send(&mut client.requests, b"after");
        assert_eq!(receive(&mut server.requests), b"after");
    }

    #[test]
    fn messages_start_eight_aligned() {
        let (mut client, _server) = channel(4);
        for _ in 0..4 {
            let loan = client.requests.try_loan().unwrap().unwrap();
            assert_eq!(loan.as_ptr() as usize % 8, 0);
            assert_eq!(loan.len(), 56);
            loan.commit(0).unwrap();
        }
    }

    #[test]
    fn a_forged_producer_index_is_refused() {
        let (_client, mut server) = channel(8);
        let header = server.requests.ring.header();
        header.produced.store(9, Ordering::SeqCst);
        let error = server.requests.try_peek().map(|_| ()).unwrap_err();
        assert_eq!(error.kind(), ShmErrorKind::Corrupt);
        assert_eq!(
            error.ring_error(),
            Some(&RingError::ProducerIndexOutOfRange {
                ring: "request ring (client → server)",
                produced: 9,
                consumed: 0,
                slots: 8
            })
        );
        // An index behind the consumer, which would wrap around to a huge count.
        server
            .requests
            .ring
            .header()
            .produced
            .store(u64::MAX, Ordering::SeqCst);
        assert!(server.requests.try_peek().is_err());
        assert!(server.requests.prepare_sleep().is_err());
    }

    #[test]
    fn a_forged_length_is_refused() {
        let (mut client, mut server) = channel(8);
        send(&mut client.requests, b"fine");
        server.requests.ring.length(0).store(57, Ordering::Relaxed);
        let error = server.requests.try_peek().map(|_| ()).unwrap_err();
        assert_eq!(
            error.ring_error(),
            Some(&RingError::LengthTooLarge {
                ring: "request ring (client → server)",
                index: 0,
                length: 57,
                capacity: 56
            })
        );
        assert!(
            error.to_string().contains("above the slot capacity of 56"),
            "{error}"
        );
    }

    #[test]
    fn a_forged_consumer_index_is_refused() {
        let (mut client, server) = channel(4);
        for i in 0..4u8 {
            send(&mut client.requests, &[i]);
        }
        // The consumer claims to have released more than was ever produced.
        server
            .requests
            .ring
            .header()
            .consumed
            .store(5, Ordering::SeqCst);
        let error = client.requests.try_loan().map(|_| ()).unwrap_err();
        assert!(matches!(
            error.ring_error(),
            Some(RingError::ConsumerIndexOutOfRange {
                consumed: 5,
                produced: 4,
                ..
            })
        ));
    }
}
