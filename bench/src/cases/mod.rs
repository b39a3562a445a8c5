//! The benchmark's cases: each measures one mechanism between this process and a peer.
//!
//! A case is an entry of [`CASES`]: its name (on the command line, in JSON), the label of its
//! row, the case its ratio is computed against, and two functions: `measure` in this process,
//! `serve` in the peer. The runtime's transports join the same table as further entries
//! naming a raw baseline in `compare_to`.

mod eventfd;
mod foreign;
mod rpc;
mod rpc_oneway;
mod runtime_shm;
mod shm_ring;
mod shm_spin;
mod stream_echo;

use std::io;
use std::time::Instant;

use interop::shm::WaitStrategy;

use crate::service;
use crate::stats::Measured;

/// Bytes per message in every case.
pub const MESSAGE_SIZE: usize = 64;

/// How much each case measures.
pub struct Config {
    /// Round trips timed, after the warm-up.
    pub round_trips: u64,
    /// Round trips run before timing.
    pub warmup: u64,
    /// Messages of a one-way stream.
    pub messages: u64,
}

impl Config {
    /// Round trips the peer serves: warm-up and timed.
    pub fn total_round_trips(&self) -> u64 {
        self.warmup + self.round_trips
    }
}

/// One row of the benchmark.
pub struct Case {
    /// Its name on the command line and in JSON.
    pub name: &'static str,
    /// Its label in the table.
    pub mechanism: &'static str,
    /// The case whose figures this one's are divided by, when both ran.
    pub compare_to: Option<&'static str>,
    /// Runs the case in this process (it spawns its peer).
    pub measure: fn(&Config) -> io::Result<Measured>,
    /// Serves the case in the peer process.
    pub serve: fn(&[String]) -> io::Result<()>,
}

/// Every case, in the order of the table.
pub const CASES: &[Case] = &[
    Case {
        name: "shm-spin",
        mechanism: "raw shared memory, both sides spinning on atomics",
        compare_to: None,
        measure: shm_spin::measure,
        serve: shm_spin::serve,
    },
    Case {
        name: "eventfd",
        mechanism: "raw eventfd ping-pong, always blocking",
        compare_to: None,
        measure: eventfd::measure,
        serve: eventfd::serve,
    },
    Case {
        name: "unix-socket",
        mechanism: "raw Unix socket ping-pong",
        compare_to: None,
        measure: stream_echo::measure_unix,
        serve: stream_echo::serve_unix,
    },
    Case {
        name: "tcp",
        mechanism: "raw TCP loopback ping-pong (TCP_NODELAY)",
        compare_to: None,
        measure: stream_echo::measure_tcp,
        serve: stream_echo::serve_tcp,
    },
    Case {
        name: "shm-ring-stream",
        mechanism: "raw SPSC shared-memory ring, one way, spinning",
        compare_to: None,
        measure: shm_ring::measure,
        serve: shm_ring::serve,
    },
    Case {
        name: "shm-channel-spin",
        mechanism: "interop::shm channel ping-pong, spinning",
        compare_to: Some("shm-spin"),
        measure: runtime_shm::measure_spin,
        serve: runtime_shm::serve_spin,
    },
    Case {
        name: "shm-channel-adaptive",
        mechanism: "interop::shm channel ping-pong, adaptive wait (default)",
        compare_to: Some("shm-spin"),
        measure: runtime_shm::measure_adaptive,
        serve: runtime_shm::serve_adaptive,
    },
    Case {
        name: "rpc-inproc",
        mechanism:
            "interop rpc `echo`, inproc:// (one process, the handler runs on the calling thread)",
        compare_to: Some("shm-spin"),
        measure: rpc::measure_inproc,
        serve: rpc::serve_inproc,
    },
    Case {
        name: "rpc-shm-spin",
        mechanism: "interop rpc `echo`, shm://, client and server spinning",
        compare_to: Some("shm-spin"),
        measure: rpc::measure_shm_spin,
        serve: service::serve,
    },
    Case {
        name: "rpc-shm-adaptive",
        mechanism: "interop rpc `echo`, shm://, adaptive wait (default)",
        compare_to: Some("shm-spin"),
        measure: rpc::measure_shm_adaptive,
        serve: service::serve,
    },
    Case {
        name: "rpc-shm-c",
        mechanism: "the same from a C client (C ABI, generated C stubs)",
        compare_to: Some("rpc-shm-adaptive"),
        measure: foreign::measure_c,
        serve: service::serve,
    },
    Case {
        name: "rpc-shm-python",
        mechanism: "the same from a Python client (ctypes, generated Python stubs)",
        compare_to: Some("rpc-shm-adaptive"),
        measure: foreign::measure_python,
        serve: service::serve,
    },
    Case {
        name: "rpc-shm-block",
        mechanism: "interop rpc `echo`, shm://, client and server blocking",
        compare_to: Some("eventfd"),
        measure: rpc::measure_shm_block,
        serve: service::serve,
    },
    Case {
        name: "rpc-pipe",
        mechanism: "interop rpc `echo`, pipe:// (Unix socket)",
        compare_to: Some("unix-socket"),
        measure: rpc::measure_pipe,
        serve: service::serve,
    },
    Case {
        name: "rpc-tcp",
        mechanism: "interop rpc `echo`, tcp:// loopback",
        compare_to: Some("tcp"),
        measure: rpc::measure_tcp,
        serve: service::serve,
    },
    Case {
        name: "rpc-shm-oneway",
        mechanism: "interop one-way `push`, shm://, adaptive wait (default)",
        compare_to: Some("shm-ring-stream"),
        measure: rpc_oneway::measure,
        serve: service::serve,
    },
];

/// The case named `name`.
pub fn find(name: &str) -> Option<&'static Case> {
    CASES.iter().find(|case| case.name == name)
}

/// The shared-memory wait strategy called `name`: `spin`, `adaptive` (the default, spin for
/// 50 µs then sleep) or `block`.
pub fn wait_strategy(name: &str) -> io::Result<WaitStrategy> {
    match name {
        "spin" => Ok(WaitStrategy::Spin),
        "adaptive" => Ok(WaitStrategy::default()),
        "block" => Ok(WaitStrategy::Block),
        other => Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("wait strategy `{other}`, expected spin, adaptive or block"),
        )),
    }
}

/// Runs `round_trip(i)` for the warm-up and the timed round trips, timing each of the latter
/// (one clock read per round trip: each ends where the next begins).
pub fn time_round_trips(
    config: &Config,
    mut round_trip: impl FnMut(u64) -> io::Result<()>,
) -> io::Result<Measured> {
    let mut samples = Vec::with_capacity(config.round_trips as usize);
    let mut last = Instant::now();
    for i in 0..config.total_round_trips() {
        round_trip(i)?;
        let now = Instant::now();
        if i >= config.warmup {
            samples.push(now - last);
        }
        last = now;
    }
    Ok(Measured::RoundTrips {
        samples,
        peer_idle_cpu: None,
    })
}
