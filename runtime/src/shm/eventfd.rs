//! Eventfds: the doorbells a side rings to wake a peer that sleeps on a ring.
//!
//! Nonblocking and close-on-exec. The counter only says "look at the ring"; the ring holds the
//! truth, so several notifications before a drain collapse into one wake-up.

use std::io;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, OwnedFd, RawFd};

use super::error::ShmError;

/// A nonblocking eventfd used as a doorbell.
#[derive(Debug)]
pub struct EventFd {
    fd: OwnedFd,
}

impl EventFd {
    /// A new eventfd with a zero counter.
    pub fn new() -> Result<EventFd, ShmError> {
        // SAFETY: plain system call; the descriptor is owned at once.
        let raw = unsafe { libc::eventfd(0, libc::EFD_NONBLOCK | libc::EFD_CLOEXEC) };
        if raw < 0 {
            return Err(ShmError::last_os("eventfd"));
        }
        // SAFETY: `raw` is a new descriptor that nothing else owns.
        Ok(EventFd {
            fd: unsafe { OwnedFd::from_raw_fd(raw) },
        })
    }

    /// Takes an eventfd received from a peer, after checking that it is one (a peer could
    /// send a pipe that is never read, or a file) and making it nonblocking.
    pub fn from_received(fd: OwnedFd, role: &str) -> Result<EventFd, ShmError> {
        let raw = fd.as_raw_fd();
        let target = std::fs::read_link(format!("/proc/self/fd/{raw}")).map_err(|error| {
            ShmError::os(format!("inspecting the received {role} (fd {raw})"), error)
        })?;
        if target.as_os_str() != "anon_inode:[eventfd]" {
            return Err(ShmError::refused(
                format!(
                    "received {role} (fd {raw}) is {}, expected an eventfd",
                    target.display()
                ),
                "the peer sent its descriptors in another order or of another kind",
            ));
        }
        // SAFETY: reading and setting the status flags of a descriptor we own.
        let made_nonblocking = unsafe {
            let flags = libc::fcntl(raw, libc::F_GETFL);
            flags >= 0 && libc::fcntl(raw, libc::F_SETFL, flags | libc::O_NONBLOCK) == 0
        };
        if !made_nonblocking {
            return Err(ShmError::last_os(format!(
                "making the received {role} (fd {raw}) nonblocking"
            )));
        }
        Ok(EventFd { fd })
    }

    /// Rings the doorbell: adds one to the counter. A counter already at its maximum means a
    /// wake-up is pending anyway, so that is not an error.
    pub fn notify(&self) -> Result<(), ShmError> {
        let one = 1u64.to_ne_bytes();
        loop {
            // SAFETY: writes eight bytes from a live buffer to a descriptor we own.
            let written = unsafe { libc::write(self.fd.as_raw_fd(), one.as_ptr().cast(), 8) };
            if written == 8 {
                return Ok(());
            }
            let error = io::Error::last_os_error();
            match error.kind() {
                io::ErrorKind::Interrupted => continue,
                io::ErrorKind::WouldBlock => return Ok(()),
                _ => return Err(ShmError::os("writing an eventfd", error)),
            }
        }
    }

    /// Resets the counter to zero; true if it was rung since the last drain.
    pub fn drain(&self) -> Result<bool, ShmError> {
        let mut counter = [0u8; 8];
        loop {
            // SAFETY: reads at most eight bytes into a live buffer from a descriptor we own.
            let read = unsafe { libc::read(self.fd.as_raw_fd(), counter.as_mut_ptr().cast(), 8) };
            if read == 8 {
                return Ok(true);
            }
            let error = io::Error::last_os_error();
            match error.kind() {
                io::ErrorKind::Interrupted => continue,
                io::ErrorKind::WouldBlock => return Ok(false),
                _ => return Err(ShmError::os("reading an eventfd", error)),
            }
        }
    }

    /// A duplicate of the descriptor, to send to the peer.
    pub fn try_clone_fd(&self) -> Result<OwnedFd, ShmError> {
        self.fd
            .try_clone()
            .map_err(|error| ShmError::os("duplicating an eventfd", error))
    }
}

impl AsRawFd for EventFd {
    /// For `mio::unix::SourceFd` and `poll`.
    fn as_raw_fd(&self) -> RawFd {
        self.fd.as_raw_fd()
    }
}

impl AsFd for EventFd {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.fd.as_fd()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notifications_collapse_until_drained() {
        let doorbell = EventFd::new().unwrap();
        assert!(!doorbell.drain().unwrap());
        doorbell.notify().unwrap();
        doorbell.notify().unwrap();
        assert!(doorbell.drain().unwrap());
        assert!(!doorbell.drain().unwrap());
    }

    #[test]
    fn a_received_eventfd_is_checked() {
        let doorbell = EventFd::new().unwrap();
        let received =
            EventFd::from_received(doorbell.try_clone_fd().unwrap(), "doorbell").unwrap();
        received.notify().unwrap();
        assert!(doorbell.drain().unwrap());

        let file = std::fs::File::open("/proc/self/stat").unwrap();
        let error = EventFd::from_received(OwnedFd::from(file), "doorbell").unwrap_err();
        assert!(error.to_string().contains("expected an eventfd"), "{error}");
    }
}
