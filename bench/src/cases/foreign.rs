//! Round trips of `bench.Bench.echo` over `shm://` from clients in C and Python (the
//! runtime's C ABI and the Python package over it) against the same Rust server as the Rust
//! client's case, `rpc-shm-adaptive`, so the ratio between them is what the language binding
//! costs per call.
//!
//! The clients are `bench/c/bench_client.c` (compiled here with gcc against the generated
//! header and `libinterop.so`) and `bench/python/bench_client.py`. Each loans the request in
//! place, fills it, sends it, checks the reply in place, and writes the time of every round
//! trip after the warm-up to a file as little-endian `u64` nanoseconds, which this process
//! reads as its samples. They run in this process's place: a child inherits its core.

use std::io;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::Duration;

use super::Config;
use crate::cases::rpc::socket_name;
use crate::service::RemoteServer;
use crate::stats::Measured;

/// The workspace's root.
fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

/// Where build.rs generated the bench service's C header and Python module.
fn generated() -> PathBuf {
    Path::new(env!("OUT_DIR")).join("polyglot")
}

/// The folder of a release `libinterop.so` built from the current sources, once per run.
///
/// Under `cargo run` (which names itself in `CARGO`), it is built in a target folder of its
/// own, so that the runtime's library built for C cannot replace the one this binary links.
/// Otherwise `INTEROP_LIBRARY_DIR` must name a folder holding one.
fn library_folder() -> io::Result<&'static Path> {
    static BUILT: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    let built = BUILT.get_or_init(|| {
        if let Some(folder) = std::env::var_os("INTEROP_LIBRARY_DIR") {
            return Ok(PathBuf::from(folder));
        }
        let Some(cargo) = std::env::var_os("CARGO") else {
            return Err(
                "libinterop.so is needed: run the benchmark with `cargo run --release \
                        -p interop-bench`, or set INTEROP_LIBRARY_DIR to the folder of a \
                        release libinterop.so"
                    .to_owned(),
            );
        };
        let target = root().join("target/bench-native");
        let status = Command::new(cargo)
            .args([
                "build",
                "--quiet",
                "--release",
                "-p",
                "interop",
                "--target-dir",
            ])
            .arg(&target)
            .status()
            .map_err(|error| format!("running cargo: {error}"))?;
        if !status.success() {
            return Err(format!("cargo build --release -p interop failed: {status}"));
        }
        Ok(target.join("release"))
    });
    built
        .as_deref()
        .map_err(|error| io::Error::other(error.clone()))
}

/// The C client, compiled once per run with the flags users are told to use.
fn c_client() -> io::Result<&'static Path> {
    static BUILT: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    let built = BUILT.get_or_init(|| {
        let library = library_folder().map_err(|error| error.to_string())?;
        let exe = library.join("bench_client");
        let output = Command::new("gcc")
            .args([
                "-std=c11",
                "-O2",
                "-Wall",
                "-Wextra",
                "-Werror",
                "-pedantic",
            ])
            .arg("-I")
            .arg(generated())
            .arg("-I")
            .arg(root().join("runtime/include"))
            .arg(root().join("bench/c/bench_client.c"))
            .arg("-L")
            .arg(library)
            .arg("-linterop")
            .arg(format!("-Wl,-rpath,{}", library.display()))
            .arg("-o")
            .arg(&exe)
            .output()
            .map_err(|error| format!("cannot run gcc: {error}"))?;
        if !output.status.success() {
            return Err(format!(
                "gcc refuses bench/c/bench_client.c:\n{}",
                String::from_utf8_lossy(&output.stderr)
            ));
        }
        Ok(exe)
    });
    built
        .as_deref()
        .map_err(|error| io::Error::other(error.clone()))
}

/// Round trips of the client `command` (given the URL, the warm-up and timed counts, and the
/// file for its samples) against the Rust server, waiting as in `rpc-shm-adaptive`.
fn measure_client(config: &Config, case: &str, mut command: Command) -> io::Result<Measured> {
    let url = format!("shm://{}", socket_name(case));
    let server = RemoteServer::start(case, &url, "adaptive")?;
    let samples_file = std::env::temp_dir().join(format!("{}.samples", socket_name(case)));
    let output = command
        .arg(&url)
        .arg(config.warmup.to_string())
        .arg(config.round_trips.to_string())
        .arg(&samples_file)
        .output()?;
    server.stop()?;
    if !output.status.success() {
        return Err(io::Error::other(format!(
            "{command:?} failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        )));
    }
    let bytes = std::fs::read(&samples_file)?;
    std::fs::remove_file(&samples_file).ok();
    let samples: Vec<Duration> = bytes
        .chunks_exact(8)
        .map(|chunk| Duration::from_nanos(u64::from_le_bytes(chunk.try_into().expect("8 bytes"))))
        .collect();
    if samples.len() as u64 != config.round_trips {
        return Err(io::Error::other(format!(
            "{command:?} wrote {} samples, not {}",
            samples.len(),
            config.round_trips
        )));
    }
    Ok(Measured::RoundTrips {
        samples,
        peer_idle_cpu: None,
    })
}

pub fn measure_c(config: &Config) -> io::Result<Measured> {
    measure_client(config, "rpc-shm-c", Command::new(c_client()?))
}

pub fn measure_python(config: &Config) -> io::Result<Measured> {
    let library = library_folder()?;
    let mut command = Command::new("python3");
    command
        .arg(root().join("bench/python/bench_client.py"))
        .env(
            "PYTHONPATH",
            std::env::join_paths([generated(), root().join("runtime/python")])
                .map_err(io::Error::other)?,
        )
        .env("INTEROP_LIBRARY", library.join("libinterop.so"));
    measure_client(config, "rpc-shm-python", command)
}
