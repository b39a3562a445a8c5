//! One-way throughput through the runtime's rpc stack over shared memory: the client sends
//! `bench.Bench.push` messages (40 bytes, 64-byte frames) as fast as the ring takes them; the
//! peer's server counts those that arrive in order. The clock runs from the first push to the
//! reply of a `pushed` call sent after the last, which comes once every push was handled.
//! Both sides wait the default (adaptive) way; the rings have as many slots as the raw ring's.

use std::io;
use std::time::Instant;

use interop::ClientOptions;

use super::{rpc, Config};
use crate::service::bench::BenchClient;
use crate::service::{failed, RemoteServer};
use crate::stats::Measured;

/// Slots per ring: those of the raw ring (`shm_ring.rs`), not the default 64.
const RING_SLOTS: u32 = 1024;

/// Pushes `count` messages numbered from `first`, then asks how many arrived in order.
fn push(client: &mut BenchClient, first: u64, count: u64) -> io::Result<()> {
    for seq in first..first + count {
        let mut message = client.loan_push().map_err(failed)?;
        message.seq = seq;
        message.payload = [seq as u8; 32];
        message.send().map_err(failed)?;
    }
    let pushed = client.pushed().map_err(failed)?;
    let expected = first + count;
    if pushed.count != expected {
        return Err(io::Error::other(format!(
            "{} of {expected} pushes arrived in order (the last was {})",
            pushed.count, pushed.last
        )));
    }
    Ok(())
}

pub fn measure(config: &Config) -> io::Result<Measured> {
    let url = format!("shm://{}", rpc::socket_name("rpc-shm-oneway"));
    let server = RemoteServer::start("rpc-shm-oneway", &url, "adaptive")?;
    let options = ClientOptions {
        ring_slots: RING_SLOTS,
        ..ClientOptions::default()
    };
    let mut client = rpc::connect(&url, options)?;
    push(&mut client, 0, config.warmup)?;
    let started = Instant::now();
    push(&mut client, config.warmup, config.messages)?;
    let elapsed = started.elapsed();
    drop(client);
    server.stop()?;
    Ok(Measured::Streaming {
        messages: config.messages,
        elapsed,
    })
}
