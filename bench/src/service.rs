//! The benchmark's rpc service, generated from `idl/bench.idl`: its handlers, the peer that
//! serves them, and the measuring side's hold on that peer.

use std::io::{self, BufRead, BufReader, Read};
use std::process::{Child, ChildStdin};

use crate::peer;

/// Package `bench`.
pub mod bench {
    // The generated package also holds what the benchmark has no use for (fingerprints, the
    // constant `FILLER`, the copying calls).
    #![allow(dead_code)]
    interop::include_idl!("bench");
}

use bench::{Bench, BenchEchoReply, BenchEchoRequest, BenchPushRequest, BenchPushedReply};

/// The line the peer prints once its endpoint accepts connections.
const READY: &str = "ready";

/// Echoes round trips and counts one-way pushes that arrive in order.
#[derive(Default)]
struct Handlers {
    /// Pushes whose `seq` was the count before them.
    in_order: u64,
    /// The `seq` of the last push.
    last: u64,
}

impl Bench for Handlers {
    fn echo(&mut self, request: &BenchEchoRequest, reply: &mut BenchEchoReply) {
        reply.seq = request.seq;
        reply.payload = request.payload;
    }

    fn push(&mut self, message: &BenchPushRequest) {
        if message.seq == self.in_order {
            self.in_order += 1;
        }
        self.last = message.seq;
    }

    fn pushed(&mut self, reply: &mut BenchPushedReply) {
        reply.count = self.in_order;
        reply.last = self.last;
    }
}

/// Turns a runtime error into an I/O error of the benchmark.
pub fn failed(error: impl std::fmt::Display) -> io::Error {
    io::Error::other(error.to_string())
}

/// A server of `bench.Bench` on `url`, waiting on shared memory as `wait` says.
pub fn server(url: &str, wait: interop::shm::WaitStrategy) -> io::Result<interop::Server> {
    let mut server = interop::Server::new().map_err(failed)?;
    server.set_wait(wait);
    server.listen(url).map_err(failed)?;
    server
        .serve(bench::BenchServer(Handlers::default()))
        .map_err(failed)?;
    Ok(server)
}

/// The peer's side: serves `bench.Bench` on the URL in `args[0]`, waiting as `args[1]` says
/// (`spin`, `adaptive` or `block`), prints [`READY`] once it listens, and stops when its
/// standard input closes (the measuring process is done with it).
pub fn serve(args: &[String]) -> io::Result<()> {
    let url = args.first().ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            "peer argument 0: expected a URL",
        )
    })?;
    let wait = crate::cases::wait_strategy(args.get(1).map_or("", String::as_str))?;
    let mut server = server(url, wait)?;
    let handle = server.handle();
    std::thread::spawn(move || {
        // Anything read, or an error, means the same: the measuring process is gone or done.
        let _ = io::stdin().read_to_end(&mut Vec::new());
        handle.stop();
    });
    println!("{READY}");
    server.run().map_err(failed)
}

/// A peer process serving `bench.Bench`, ready for clients.
pub struct RemoteServer {
    child: Child,
    /// Closed to stop the peer.
    stdin: Option<ChildStdin>,
}

impl RemoteServer {
    /// Starts the peer of `case`, serving on `url` and waiting as `wait` says, and waits until
    /// it listens.
    pub fn start(case: &str, url: &str, wait: &str) -> io::Result<RemoteServer> {
        let mut child = peer::spawn_piped(case, &[url.to_owned(), wait.to_owned()])?;
        let stdin = child.stdin.take();
        let stdout = child.stdout.take().expect("spawned with a piped stdout");
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line)?;
        if line.trim_end() != READY {
            let status = child.wait()?;
            return Err(io::Error::other(format!(
                "the peer serving {url} did not start ({status}); see its error above"
            )));
        }
        Ok(RemoteServer { child, stdin })
    }

    /// The peer's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Stops the peer and waits for it to exit.
    pub fn stop(mut self) -> io::Result<()> {
        drop(self.stdin.take());
        peer::finish(self.child)
    }
}
