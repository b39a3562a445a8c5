//! The peer process: this binary again, run as `interop-bench peer <case> <args>...`, pinned to
//! the second core and killed with the measuring process.

use std::io;
use std::os::fd::{FromRawFd, OwnedFd, RawFd};
use std::process::{Child, Command, Stdio};

use crate::affinity;

/// Names the core the peer pins itself to; unset when there is only one core.
const PEER_CORE: &str = "INTEROP_BENCH_PEER_CORE";

/// Makes every peer started from now on pin itself to `core` (called once, before any
/// thread starts: it sets this process's environment, which the peers inherit).
pub fn assign_core(core: usize) {
    std::env::set_var(PEER_CORE, core.to_string());
}

fn command(case: &str, args: &[String]) -> io::Result<Command> {
    let mut command = Command::new(std::env::current_exe()?);
    command.arg("peer").arg(case).args(args);
    Ok(command)
}

/// Starts the peer of `case` with `args` (descriptors it inherits, ports, counts).
pub fn spawn(case: &str, args: &[String]) -> io::Result<Child> {
    command(case, args)?.spawn()
}

/// Starts the peer of `case` with `args`, its standard input and output piped to this
/// process (to hear when it is ready, and to tell it to stop by closing its input).
pub fn spawn_piped(case: &str, args: &[String]) -> io::Result<Child> {
    command(case, args)?
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
}

/// Waits for the peer and turns a failure into an error.
pub fn finish(mut peer: Child) -> io::Result<()> {
    let status = peer.wait()?;
    if status.success() {
        Ok(())
    } else {
        Err(io::Error::other(format!(
            "the peer process failed: {status}"
        )))
    }
}

/// Prepares this process to serve as the peer: dies with its parent, pinned to the core the
/// parent chose.
pub fn become_peer() -> io::Result<()> {
    // SAFETY: plain system call.
    if unsafe { libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) } != 0 {
        return Err(io::Error::last_os_error());
    }
    if let Some(core) = std::env::var(PEER_CORE)
        .ok()
        .and_then(|core| core.parse().ok())
    {
        affinity::pin(core)?;
    }
    Ok(())
}

/// Parses a numeric argument.
pub fn number<T: std::str::FromStr>(args: &[String], index: usize, what: &str) -> io::Result<T> {
    args.get(index)
        .and_then(|arg| arg.parse().ok())
        .ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "peer argument {index}: expected {what}, found {:?}",
                    args.get(index)
                ),
            )
        })
}

/// Takes ownership of the descriptor number in argument `index`, inherited from the parent.
pub fn inherited_fd(args: &[String], index: usize) -> io::Result<OwnedFd> {
    let fd: RawFd = number(args, index, "an inherited descriptor")?;
    // SAFETY: the measuring process passed this descriptor for this process to own.
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}
