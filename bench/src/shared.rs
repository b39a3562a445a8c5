//! The bare minimum the raw shared-memory baselines need, written for the benchmark alone: a
//! memfd mapped in both processes, atomics at fixed offsets, and a spin with a stall guard.

use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::sync::atomic::AtomicU64;
use std::time::{Duration, Instant};

/// A memfd mapped shared and read-write; the descriptor is inheritable, for the peer.
pub struct SharedMemory {
    base: *mut u8,
    len: usize,
    memfd: OwnedFd,
}

impl SharedMemory {
    /// A zero-filled memfd of `len` bytes, mapped; its descriptor survives `exec`.
    pub fn create(len: usize) -> io::Result<SharedMemory> {
        // SAFETY: a valid name and no flags: the descriptor is inherited by the peer.
        let raw = unsafe { libc::memfd_create(c"interop-bench".as_ptr(), 0) };
        if raw < 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: a new descriptor nothing else owns.
        let memfd = unsafe { OwnedFd::from_raw_fd(raw) };
        // SAFETY: resizing a descriptor we own.
        if unsafe { libc::ftruncate(raw, len as libc::off_t) } != 0 {
            return Err(io::Error::last_os_error());
        }
        SharedMemory::map(memfd, len)
    }

    /// Maps the memfd the measuring process passed down as descriptor `fd`.
    pub fn inherited(fd: RawFd, len: usize) -> io::Result<SharedMemory> {
        // SAFETY: the measuring process passed this descriptor for this process to own.
        SharedMemory::map(unsafe { OwnedFd::from_raw_fd(fd) }, len)
    }

    fn map(memfd: OwnedFd, len: usize) -> io::Result<SharedMemory> {
        // SAFETY: a fresh shared mapping chosen by the kernel.
        let base = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                len,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_SHARED,
                memfd.as_raw_fd(),
                0,
            )
        };
        if base == libc::MAP_FAILED {
            return Err(io::Error::last_os_error());
        }
        Ok(SharedMemory {
            base: base.cast(),
            len,
            memfd,
        })
    }

    /// The descriptor to pass to the peer.
    pub fn raw_fd(&self) -> RawFd {
        self.memfd.as_raw_fd()
    }

    /// The atomic at `offset` (8-aligned, inside the mapping).
    pub fn atomic(&self, offset: usize) -> &AtomicU64 {
        assert!(offset % 8 == 0 && offset + 8 <= self.len);
        // SAFETY: aligned and inside the mapping, which lives as long as `self`; atomics may
        // be shared with the other process.
        unsafe { &*self.base.add(offset).cast::<AtomicU64>() }
    }

    /// The bytes at `offset`, `len` long, as a raw pointer (the peer writes them too).
    pub fn bytes(&self, offset: usize, len: usize) -> *mut u8 {
        assert!(offset + len <= self.len);
        // SAFETY: inside the mapping.
        unsafe { self.base.add(offset) }
    }
}

impl Drop for SharedMemory {
    fn drop(&mut self) {
        // SAFETY: exactly the mapping made in `map`; borrows of it end with `self`.
        unsafe { libc::munmap(self.base.cast(), self.len) };
    }
}

/// How long a spin may wait before the peer is declared stuck.
const STALL: Duration = Duration::from_secs(10);

/// Spins until `ready` holds; an error after [`STALL`] without progress (the peer died).
#[inline]
pub fn spin_until(mut ready: impl FnMut() -> bool) -> io::Result<()> {
    let mut spins = 0u32;
    let mut started: Option<Instant> = None;
    while !ready() {
        std::hint::spin_loop();
        spins = spins.wrapping_add(1);
        if spins % (1 << 16) == 0 {
            let started = *started.get_or_insert_with(Instant::now);
            if started.elapsed() > STALL {
                return Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    "the peer made no progress for 10 s",
                ));
            }
        }
    }
    Ok(())
}
