//! Two processes ping-pong through two blocking eventfds: the cost of a kernel wake-up each
//! way.

use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};

use super::{time_round_trips, Config};
use crate::peer;
use crate::stats::Measured;

/// A blocking eventfd that the peer inherits.
fn inheritable_eventfd() -> io::Result<OwnedFd> {
    // SAFETY: plain system call; no flags: blocking and inherited across exec.
    let raw = unsafe { libc::eventfd(0, 0) };
    if raw < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: a new descriptor nothing else owns.
    Ok(unsafe { OwnedFd::from_raw_fd(raw) })
}

fn signal(fd: &OwnedFd) -> io::Result<()> {
    let one = 1u64.to_ne_bytes();
    // SAFETY: writes eight bytes from a live buffer.
    if unsafe { libc::write(fd.as_raw_fd(), one.as_ptr().cast(), 8) } != 8 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

fn wait(fd: &OwnedFd) -> io::Result<()> {
    let mut counter = [0u8; 8];
    // SAFETY: reads eight bytes into a live buffer; blocks until the counter is nonzero.
    if unsafe { libc::read(fd.as_raw_fd(), counter.as_mut_ptr().cast(), 8) } != 8 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

pub fn measure(config: &Config) -> io::Result<Measured> {
    let (ping, pong) = (inheritable_eventfd()?, inheritable_eventfd()?);
    let child = peer::spawn(
        "eventfd",
        &[
            ping.as_raw_fd().to_string(),
            pong.as_raw_fd().to_string(),
            config.total_round_trips().to_string(),
        ],
    )?;
    let measured = time_round_trips(config, |_| {
        signal(&ping)?;
        wait(&pong)
    })?;
    peer::finish(child)?;
    Ok(measured)
}

pub fn serve(args: &[String]) -> io::Result<()> {
    let (ping, pong) = (peer::inherited_fd(args, 0)?, peer::inherited_fd(args, 1)?);
    let total: u64 = peer::number(args, 2, "the round trips")?;
    for _ in 0..total {
        wait(&ping)?;
        signal(&pong)?;
    }
    Ok(())
}
