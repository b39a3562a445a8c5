//! Running the sample's server and client binaries as real processes, on endpoints no other
//! test uses.

#![allow(dead_code)] // Each test file uses its own part of this module.

use std::fs::File;
use std::path::PathBuf;
use std::process::{Child, Command};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::OnceLock;
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
        Transport::Tcp => format!("tcp://127.0.0.1:{}", free_port()),
    }
}

/// The flags every C program of the tests is compiled with: C11, every warning an error.
pub const STRICT_C: &[&str] = &["-std=c11", "-Wall", "-Wextra", "-Werror", "-pedantic"];

/// A TCP port of the loopback interface that is free now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port")
        .port()
}

/// A fleet server process (of any language), killed when dropped; what it prints goes to a
/// log file.
pub struct ServerProcess {
    pub child: Child,
    pub url: String,
    log: PathBuf,
}

impl ServerProcess {
    /// Starts the Rust `fleet-server` on `url` (without its line per message) and waits until
    /// it accepts clients.
    pub fn start(url: &str) -> ServerProcess {
        let mut command = Command::new(env!("CARGO_BIN_EXE_fleet-server"));
        command.args(["--quiet", url]).env("RUST_LOG", "info");
        ServerProcess::spawn(command, url)
    }

    /// Starts `command`, a server that will serve on `url`, and waits until it accepts clients.
    pub fn spawn(mut command: Command, url: &str) -> ServerProcess {
        let log = scratch_path("server.log");
        let file = File::create(&log).expect("create the server's log");
        let child = command
            .stdout(file.try_clone().expect("share the log file"))
            .stderr(file)
            .spawn()
            .unwrap_or_else(|error| panic!("cannot start {command:?}: {error}"));
        let mut server = ServerProcess {
            child,
            url: url.to_owned(),
            log,
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            match FleetControlClient::connect(url) {
                Ok(_) => return server,
                Err(error) if Instant::now() > deadline => {
                    panic!(
                        "{command:?} did not come up on {url}: {error}\n{}",
                        server.output()
                    )
                }
                Err(_) => {
                    if let Ok(Some(status)) = server.child.try_wait() {
                        panic!("{command:?} exited ({status}):\n{}", server.output());
                    }
                    std::thread::sleep(Duration::from_millis(10))
                }
            }
        }
    }

    /// What the server printed so far.
    pub fn output(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Kills the server at once (SIGKILL), as a crash would.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Kills the server and returns what it printed.
    pub fn log(mut self) -> String {
        self.kill();
        self.output()
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
        std::fs::remove_file(&self.log).ok();
    }
}

/// The profile's folder of the target directory (`target/debug`), where tests put what they
/// build and write.
pub fn target_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("the test's path");
    let deps = exe.parent().expect("the test's folder");
    deps.parent().expect("the profile's folder").to_owned()
}

/// A path in the target folder named after `name` that no other test (or test run) uses.
pub fn scratch_path(name: &str) -> PathBuf {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let folder = target_dir().join("test-scratch");
    std::fs::create_dir_all(&folder).expect("a scratch folder");
    folder.join(format!("{}-{n}-{name}", std::process::id()))
}

/// Builds `libinterop.so` from the current sources, once per test run (cargo builds a
/// dependency's library for Rust only), and returns its folder. The build has a target folder
/// of its own: built there, the runtime's differently featured library cannot replace the one
/// the other tests link with.
pub fn library_folder() -> PathBuf {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    BUILT
        .get_or_init(|| {
            let target = target_dir().join("c-abi");
            let status =
                Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
                    .args(["build", "--quiet", "-p", "interop", "--target-dir"])
                    .arg(&target)
                    .status()
                    .expect("run cargo");
            assert!(status.success(), "cargo build -p interop failed");
            let folder = target.join("debug");
            assert!(
                folder.join("libinterop.so").exists(),
                "{} has no libinterop.so",
                folder.display()
            );
            folder
        })
        .clone()
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
