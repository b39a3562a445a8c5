//! A raw single-producer/single-consumer ring of 64-byte slots in shared memory, streaming
//! one way with both sides spinning: the peer produces, this process consumes and times.
//! Each side keeps the other's index in a local copy and reads the shared one only when the
//! copy says full (producer) or empty (consumer).

use std::io;
use std::sync::atomic::Ordering;
use std::time::Instant;

use super::{Config, MESSAGE_SIZE};
use crate::peer;
use crate::shared::{spin_until, SharedMemory};
use crate::stats::Measured;

const SLOTS: u64 = 1024;
/// Messages produced so far.
const HEAD: usize = 0;
/// Messages consumed so far.
const TAIL: usize = 128;
const SLOTS_OFFSET: usize = 256;
const SIZE: usize = SLOTS_OFFSET + SLOTS as usize * MESSAGE_SIZE;

fn slot(memory: &SharedMemory, index: u64) -> *mut u8 {
    memory.bytes(
        SLOTS_OFFSET + (index % SLOTS) as usize * MESSAGE_SIZE,
        MESSAGE_SIZE,
    )
}

pub fn measure(config: &Config) -> io::Result<Measured> {
    let memory = SharedMemory::create(SIZE)?;
    let child = peer::spawn(
        "shm-ring-stream",
        &[memory.raw_fd().to_string(), config.messages.to_string()],
    )?;
    let (head, tail) = (memory.atomic(HEAD), memory.atomic(TAIL));
    let mut produced = 0;
    let mut message = [0u8; MESSAGE_SIZE];
    let mut started = None;
    for index in 0..config.messages {
        if index == produced {
            spin_until(|| {
                produced = head.load(Ordering::Acquire);
                produced > index
            })?;
        }
        // SAFETY: the producer published message `index` (acquire above) and does not reuse
        // its slot until the tail passes it.
        unsafe {
            std::ptr::copy_nonoverlapping(slot(&memory, index), message.as_mut_ptr(), MESSAGE_SIZE)
        };
        tail.store(index + 1, Ordering::Release);
        if message[..8] != index.to_le_bytes() {
            return Err(io::Error::other(format!(
                "message {index} arrived out of order"
            )));
        }
        started.get_or_insert_with(Instant::now);
    }
    let elapsed = started.map_or_else(Default::default, |started| started.elapsed());
    peer::finish(child)?;
    // The clock starts at the first message: it and the time to it are not counted.
    Ok(Measured::Streaming {
        messages: config.messages.saturating_sub(1),
        elapsed,
    })
}

pub fn serve(args: &[String]) -> io::Result<()> {
    let memory = SharedMemory::inherited(peer::number(args, 0, "the memfd")?, SIZE)?;
    let messages: u64 = peer::number(args, 1, "the messages")?;
    let (head, tail) = (memory.atomic(HEAD), memory.atomic(TAIL));
    let mut consumed = 0;
    let mut message = [0u8; MESSAGE_SIZE];
    for index in 0..messages {
        if index - consumed == SLOTS {
            spin_until(|| {
                consumed = tail.load(Ordering::Acquire);
                index - consumed < SLOTS
            })?;
        }
        message[..8].copy_from_slice(&index.to_le_bytes());
        // SAFETY: the consumer released this slot (acquire above); the copy stays inside it.
        unsafe {
            std::ptr::copy_nonoverlapping(message.as_ptr(), slot(&memory, index), MESSAGE_SIZE)
        };
        head.store(index + 1, Ordering::Release);
    }
    Ok(())
}
