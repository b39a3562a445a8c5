//! Running the sample's server and client binaries as real processes, on endpoints no other
//! test uses.

#![allow(dead_code)] // Each test file uses its own part of this module.

use std::io::Read;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use rust_fleet::fleet::control::FleetControlClient;

/// A transport the tests run over.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Transport {
    Pipe,
    Tcp,
    Shm,
}

/// A URL of `transport` that no other test (or test run) uses.
pub fn unique_url(transport: Transport) -> String {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let name = format!("test-fleet-{}-{n}", std::process::id());
    match transport {
        Transport::Pipe => format!("pipe://{name}"),
        Transport::Shm => format!("shm://{name}"),
        Transport::Tcp => {
            let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
            let port = listener.local_addr().expect("an address").port();
            format!("tcp://127.0.0.1:{port}")
        }
    }
}

/// The `fleet-server` binary, killed when dropped.
pub struct ServerProcess {
    pub child: Child,
    pub url: String,
}

impl ServerProcess {
    /// Starts a server on `url` and waits until it accepts clients.
    pub fn start(url: &str) -> ServerProcess {
        let child = Command::new(env!("CARGO_BIN_EXE_fleet-server"))
            .arg(url)
            .env("RUST_LOG", "info")
            .stderr(Stdio::piped())
            .spawn()
            .expect("start fleet-server");
        let server = ServerProcess {
            child,
            url: url.to_owned(),
        };
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            match FleetControlClient::connect(url) {
                Ok(_) => return server,
                Err(error) if Instant::now() > deadline => {
                    panic!("fleet-server on {url} did not come up: {error}")
                }
                Err(_) => std::thread::sleep(Duration::from_millis(10)),
            }
        }
    }

    /// Kills the server at once (SIGKILL), as a crash would.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Kills the server and returns what it logged.
    pub fn log(mut self) -> String {
        self.kill();
        let mut log = String::new();
        if let Some(mut stderr) = self.child.stderr.take() {
            stderr
                .read_to_string(&mut log)
                .expect("read the server's log");
        }
        log
    }

    /// How many file descriptors the server process has open.
    pub fn open_fds(&self) -> usize {
        count_fds(&format!("/proc/{}/fd", self.child.id()))
    }

    /// How many file descriptors the server has open once the count stops changing (the
    /// server may still be closing connections that clients just closed).
    pub fn settled_fds(&self) -> usize {
        let mut last = self.open_fds();
        loop {
            std::thread::sleep(Duration::from_millis(50));
            let now = self.open_fds();
            if now == last {
                return now;
            }
            last = now;
        }
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        self.kill();
    }
}

/// How many entries a `/proc/.../fd` folder has.
pub fn count_fds(folder: &str) -> usize {
    std::fs::read_dir(folder).map_or(0, |entries| entries.count())
}

/// Waits up to a few seconds for `condition`.
pub fn eventually(what: &str, mut condition: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(5);
    while !condition() {
        assert!(Instant::now() < deadline, "timed out waiting until {what}");
        std::thread::sleep(Duration::from_millis(10));
    }
}
