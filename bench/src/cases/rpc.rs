//! Round trips of `bench.Bench.echo` through the runtime's rpc stack: a typed client loans
//! the request in place, sends it and reads the reply in place; the server is an
//! `interop::Server` event loop. Requests and replies are 40-byte messages in 64-byte frames.
//! Over `inproc://` both run in this process; over the other transports the peer process is
//! the server, and after the round trips this process watches its CPU for a second of
//! idleness.

use std::io;
use std::net::{Ipv4Addr, TcpListener};
use std::time::Duration;

use interop::endpoint::Endpoint;
use interop::ClientOptions;

use super::{time_round_trips, wait_strategy, Config};
use crate::cpu;
use crate::service::bench::{BenchClient, BENCH};
use crate::service::{self, failed, RemoteServer};
use crate::stats::Measured;

/// How long the peer is watched while no calls come.
const IDLE_WINDOW: Duration = Duration::from_secs(1);

/// Times `config`'s round trips of `echo` on `client`, checking each reply.
fn round_trips(client: &mut BenchClient, config: &Config) -> io::Result<Measured> {
    time_round_trips(config, |i| {
        let mut request = client.loan_echo().map_err(failed)?;
        request.seq = i;
        request.payload = [i as u8; 32];
        let reply = request.send().map_err(failed)?;
        if reply.seq != i || reply.payload != [i as u8; 32] {
            return Err(io::Error::other(format!(
                "round trip {i}: the echo differs"
            )));
        }
        Ok(())
    })
}

/// A client of `url` with `options`.
pub fn connect(url: &str, options: ClientOptions) -> io::Result<BenchClient> {
    let endpoint = Endpoint::parse(url).map_err(failed)?;
    interop::Client::connect_with(&endpoint, &BENCH, options)
        .map(BenchClient)
        .map_err(failed)
}

/// Client options whose shared-memory waits follow `wait`.
fn waiting(wait: &str) -> io::Result<ClientOptions> {
    Ok(ClientOptions {
        wait: wait_strategy(wait)?,
        ..ClientOptions::default()
    })
}

/// Round trips to the peer of `case`, serving on `url`; both sides wait as `wait` says.
fn measure_remote(config: &Config, case: &str, url: &str, wait: &str) -> io::Result<Measured> {
    let server = RemoteServer::start(case, url, wait)?;
    let mut client = connect(url, waiting(wait)?)?;
    let mut measured = round_trips(&mut client, config)?;
    // The client stays connected: an idle connection is what the server must not burn CPU on.
    if let Measured::RoundTrips { peer_idle_cpu, .. } = &mut measured {
        *peer_idle_cpu = Some(cpu::usage_over(server.pid(), IDLE_WINDOW)?);
    }
    drop(client);
    server.stop()?;
    Ok(measured)
}

/// A Unix socket name of this run for `case` (abstract: nothing is left behind).
pub fn socket_name(case: &str) -> String {
    format!("interop-bench-{}-{case}", std::process::id())
}

/// A TCP port on the loopback interface that is free now (the peer binds it right after).
fn free_port() -> io::Result<u16> {
    Ok(TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?
        .local_addr()?
        .port())
}

pub fn measure_inproc(config: &Config) -> io::Result<Measured> {
    let url = format!("inproc://{}", socket_name("rpc-inproc"));
    let mut server = service::server(&url, interop::shm::WaitStrategy::default())?;
    let handle = server.handle();
    let running = std::thread::spawn(move || server.run());
    let mut client = connect(&url, ClientOptions::default())?;
    let measured = round_trips(&mut client, config);
    drop(client);
    handle.stop();
    running
        .join()
        .map_err(|_| io::Error::other("the server thread panicked"))?
        .map_err(failed)?;
    measured
}

/// The in-process case has no peer.
pub fn serve_inproc(_: &[String]) -> io::Result<()> {
    Err(io::Error::new(
        io::ErrorKind::InvalidInput,
        "rpc-inproc runs client and server in one process; it has no peer",
    ))
}

fn measure_shm(config: &Config, wait: &str) -> io::Result<Measured> {
    let case = format!("rpc-shm-{wait}");
    let url = format!("shm://{}", socket_name(&case));
    measure_remote(config, &case, &url, wait)
}

pub fn measure_shm_spin(config: &Config) -> io::Result<Measured> {
    measure_shm(config, "spin")
}

pub fn measure_shm_adaptive(config: &Config) -> io::Result<Measured> {
    measure_shm(config, "adaptive")
}

pub fn measure_shm_block(config: &Config) -> io::Result<Measured> {
    measure_shm(config, "block")
}

pub fn measure_pipe(config: &Config) -> io::Result<Measured> {
    let url = format!("pipe://{}", socket_name("rpc-pipe"));
    measure_remote(config, "rpc-pipe", &url, "adaptive")
}

pub fn measure_tcp(config: &Config) -> io::Result<Measured> {
    let url = format!("tcp://127.0.0.1:{}", free_port()?);
    measure_remote(config, "rpc-tcp", &url, "adaptive")
}
