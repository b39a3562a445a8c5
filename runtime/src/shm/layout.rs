//! Sizes and offsets of a channel's region, and its header: written once by the creator,
//! validated by the side that opens it before anything else in the region is trusted.

use super::error::ShmError;
use super::region::Region;

/// The unit of alignment of everything in a region, and the spacing of shared indices.
pub const CACHE_LINE: usize = 64;
/// Bytes before a slot's message: the committed length (u32) and four reserved bytes, so that
/// messages start 8-aligned.
pub const SLOT_HEADER_SIZE: usize = 8;
/// Bytes of a ring header: four cache lines (producer index, consumer index, two wait words).
pub const RING_HEADER_SIZE: usize = 4 * CACHE_LINE;
/// Bytes of the region header at offset 0.
pub const REGION_HEADER_SIZE: usize = CACHE_LINE;
/// The smallest region a valid channel can use: the header and two rings of one 64-byte slot.
pub const MIN_REGION_SIZE: usize = REGION_HEADER_SIZE + 2 * (RING_HEADER_SIZE + CACHE_LINE);
/// `interopS` read as a little-endian u64: the first eight bytes of every channel region.
const MAGIC: u64 = u64::from_le_bytes(*b"interopS");
/// The version of this layout; a region of another version is refused.
pub const LAYOUT_VERSION: u32 = 1;
/// Most slots in one ring.
const MAX_SLOTS: u32 = 1 << 20;
/// Largest slot in bytes.
const MAX_SLOT_SIZE: u32 = 1 << 24;

/// Offsets in the region header.
const MAGIC_OFFSET: usize = 0;
const VERSION_OFFSET: usize = 8;
const REQUESTS_OFFSET: usize = 16;
const REPLIES_OFFSET: usize = 24;

/// The shape of one ring: how many slots, and how big each is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RingLayout {
    slots: u32,
    slot_size: u32,
}

impl RingLayout {
    /// A ring of `slots` slots (a power of two, at most 2^20) of `slot_size` bytes each (a
    /// multiple of 64, from 64 to 16 MiB); every slot carries a message of up to
    /// `slot_size - 8` bytes.
    pub fn new(slots: u32, slot_size: u32) -> Result<RingLayout, ShmError> {
        if !slots.is_power_of_two() || slots > MAX_SLOTS {
            return Err(ShmError::bad_layout(
                format!(
                    "ring layout: {slots} slots, expected a power of two from 1 to {MAX_SLOTS}"
                ),
                "round the slot count up to a power of two",
            ));
        }
        if slot_size == 0 || slot_size as usize % CACHE_LINE != 0 || slot_size > MAX_SLOT_SIZE {
            return Err(ShmError::bad_layout(
                format!(
                    "ring layout: slots of {slot_size} bytes, expected a multiple of \
                     {CACHE_LINE} from {CACHE_LINE} to {MAX_SLOT_SIZE}"
                ),
                "use RingLayout::for_messages to round a message size up",
            ));
        }
        Ok(RingLayout { slots, slot_size })
    }

    /// A ring of `slots` slots just big enough for messages of `max_message` bytes.
    pub fn for_messages(slots: u32, max_message: usize) -> Result<RingLayout, ShmError> {
        let slot_size = (max_message + SLOT_HEADER_SIZE).next_multiple_of(CACHE_LINE);
        let slot_size = u32::try_from(slot_size).unwrap_or(u32::MAX);
        RingLayout::new(slots, slot_size)
    }

    /// The number of slots.
    pub fn slots(&self) -> u32 {
        self.slots
    }

    /// The size of a slot in bytes, its header included.
    pub fn slot_size(&self) -> u32 {
        self.slot_size
    }

    /// The largest message a slot holds: `slot_size - 8`.
    pub fn capacity(&self) -> usize {
        self.slot_size as usize - SLOT_HEADER_SIZE
    }

    /// Bytes of the ring in the region: its header and its slots.
    pub fn size(&self) -> usize {
        RING_HEADER_SIZE + self.slots as usize * self.slot_size as usize
    }
}

/// The shape of a channel's region: one ring per direction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChannelLayout {
    /// Client → server.
    pub requests: RingLayout,
    /// Server → client: replies and events.
    pub replies: RingLayout,
}

impl Default for ChannelLayout {
    /// 256 slots of 1 KiB each way (messages up to 1016 bytes; 514 KiB in all).
    fn default() -> ChannelLayout {
        let ring = RingLayout {
            slots: 256,
            slot_size: 1024,
        };
        ChannelLayout {
            requests: ring,
            replies: ring,
        }
    }
}

impl ChannelLayout {
    /// Bytes of the whole region.
    pub fn region_size(&self) -> usize {
        REGION_HEADER_SIZE + self.requests.size() + self.replies.size()
    }

    /// Where the request ring's header starts.
    pub(super) fn requests_offset(&self) -> usize {
        REGION_HEADER_SIZE
    }

    /// Where the reply ring's header starts.
    pub(super) fn replies_offset(&self) -> usize {
        REGION_HEADER_SIZE + self.requests.size()
    }

    /// Writes the region header of a region this side created (and has not shared yet).
    pub(super) fn write_header(&self, region: &Region) {
        assert!(
            region.len() >= self.region_size(),
            "the region was sized from this layout"
        );
        let base = region.base().as_ptr();
        // SAFETY: every offset is inside the 64-byte header of a region at least
        // `region_size()` long, and naturally aligned (the mapping is page-aligned). The
        // region has not been shared yet, so nothing else accesses it.
        unsafe {
            base.add(MAGIC_OFFSET).cast::<u64>().write(MAGIC);
            base.add(VERSION_OFFSET).cast::<u32>().write(LAYOUT_VERSION);
            for (offset, ring) in [
                (REQUESTS_OFFSET, self.requests),
                (REPLIES_OFFSET, self.replies),
            ] {
                base.add(offset).cast::<u32>().write(ring.slots);
                base.add(offset + 4).cast::<u32>().write(ring.slot_size);
            }
        }
    }

    /// Reads and validates the header of a region received from the peer: magic, version,
    /// both ring layouts, and that the region is big enough for them.
    pub(super) fn read_header(region: &Region) -> Result<ChannelLayout, ShmError> {
        if region.len() < MIN_REGION_SIZE {
            return Err(ShmError::refused(
                format!(
                    "shared memory channel: the region has {} bytes, less than the {MIN_REGION_SIZE} \
                     of the smallest channel",
                    region.len()
                ),
                "the peer sent the wrong descriptor",
            ));
        }
        let base = region.base().as_ptr();
        // SAFETY: the offsets are inside the 64-byte header (the region is longer) and
        // naturally aligned. Volatile reads: the peer may write concurrently; each value is
        // read once and validated below.
        let read_u32 = |offset: usize| unsafe { base.add(offset).cast::<u32>().read_volatile() };
        // SAFETY: as above.
        let magic = unsafe { base.add(MAGIC_OFFSET).cast::<u64>().read_volatile() };
        if magic != MAGIC {
            return Err(ShmError::refused(
                format!(
                    "shared memory channel: region header starts with {:?}, expected {:?}",
                    String::from_utf8_lossy(&magic.to_le_bytes()),
                    String::from_utf8_lossy(&MAGIC.to_le_bytes())
                ),
                "the peer is not an interop channel or sent the wrong descriptor",
            ));
        }
        let version = read_u32(VERSION_OFFSET);
        if version != LAYOUT_VERSION {
            return Err(ShmError::refused(
                format!(
                    "shared memory channel: region layout version {version}, this side \
                     speaks version {LAYOUT_VERSION}"
                ),
                "build both peers with the same interop runtime",
            ));
        }
        let ring = |offset: usize, name: &str| {
            RingLayout::new(read_u32(offset), read_u32(offset + 4)).map_err(|error| {
                ShmError::refused(
                    format!("shared memory channel: region header, {name} ring: {error}"),
                    "the peer wrote an invalid header",
                )
            })
        };
        let layout = ChannelLayout {
            requests: ring(REQUESTS_OFFSET, "request")?,
            replies: ring(REPLIES_OFFSET, "reply")?,
        };
        if layout.region_size() > region.len() {
            return Err(ShmError::refused(
                format!(
                    "shared memory channel: the header describes {} bytes of rings, the region \
                     has only {}",
                    layout.region_size(),
                    region.len()
                ),
                "the peer wrote an invalid header",
            ));
        }
        Ok(layout)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shm::error::ShmErrorKind;

    #[test]
    fn ring_layouts_are_validated() {
        assert!(RingLayout::new(3, 64).is_err());
        assert!(RingLayout::new(0, 64).is_err());
        assert!(RingLayout::new(4, 100).is_err());
        assert!(RingLayout::new(4, 0).is_err());
        let ring = RingLayout::for_messages(8, 64).unwrap();
        assert_eq!(
            (ring.slots(), ring.slot_size(), ring.capacity()),
            (8, 128, 120)
        );
    }

    #[test]
    fn the_header_round_trips_and_forgeries_are_refused() {
        let layout = ChannelLayout {
            requests: RingLayout::new(4, 128).unwrap(),
            replies: RingLayout::new(8, 64).unwrap(),
        };
        let region = Region::create("layout-test", layout.region_size()).unwrap();
        layout.write_header(&region);
        assert_eq!(ChannelLayout::read_header(&region).unwrap(), layout);
        let base = region.base().as_ptr();
        // SAFETY: offsets inside the header of this region, which only this test uses.
        unsafe {
            // A slot count that would run past the end of the region.
            base.add(REPLIES_OFFSET).cast::<u32>().write(1 << 16);
        }
        let error = ChannelLayout::read_header(&region).unwrap_err();
        assert_eq!(error.kind(), ShmErrorKind::Refused);
        assert!(error.to_string().contains("the region has only"), "{error}");
        // SAFETY: as above.
        unsafe { base.add(REPLIES_OFFSET).cast::<u32>().write(7) };
        let error = ChannelLayout::read_header(&region).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("reply ring: ring layout: 7 slots"),
            "{error}"
        );
        // SAFETY: as above.
        unsafe { base.add(VERSION_OFFSET).cast::<u32>().write(99) };
        assert!(ChannelLayout::read_header(&region)
            .unwrap_err()
            .to_string()
            .contains("version 99"));
        // SAFETY: as above.
        unsafe { base.cast::<u64>().write(0) };
        assert!(ChannelLayout::read_header(&region)
            .unwrap_err()
            .to_string()
            .contains("expected"));
    }
}
