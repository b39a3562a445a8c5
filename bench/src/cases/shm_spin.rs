//! Two processes ping-pong a counter through shared memory, both spinning: the hardware's
//! floor for a round trip between cores.

use std::io;
use std::sync::atomic::Ordering;

use super::{time_round_trips, Config};
use crate::peer;
use crate::shared::{spin_until, SharedMemory};
use crate::stats::Measured;

const SIZE: usize = 4096;
/// The measuring side writes here.
const PING: usize = 0;
/// The peer writes here: another cache line (two, against adjacent-line prefetching).
const PONG: usize = 128;

pub fn measure(config: &Config) -> io::Result<Measured> {
    let memory = SharedMemory::create(SIZE)?;
    let child = peer::spawn(
        "shm-spin",
        &[
            memory.raw_fd().to_string(),
            config.total_round_trips().to_string(),
        ],
    )?;
    let (ping, pong) = (memory.atomic(PING), memory.atomic(PONG));
    let measured = time_round_trips(config, |i| {
        ping.store(i + 1, Ordering::Release);
        spin_until(|| pong.load(Ordering::Acquire) == i + 1)
    })?;
    peer::finish(child)?;
    Ok(measured)
}

pub fn serve(args: &[String]) -> io::Result<()> {
    let memory = SharedMemory::inherited(peer::number(args, 0, "the memfd")?, SIZE)?;
    let total: u64 = peer::number(args, 1, "the round trips")?;
    let (ping, pong) = (memory.atomic(PING), memory.atomic(PONG));
    for i in 1..=total {
        spin_until(|| ping.load(Ordering::Acquire) == i)?;
        pong.store(i, Ordering::Release);
    }
    Ok(())
}
