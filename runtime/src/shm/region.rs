//! A shared memory region backed by an anonymous, sealed memfd: no file system, no `/dev/shm`.
//!
//! The creator sizes the memfd and seals it against shrinking and growing, so that no peer can
//! ever truncate the memory under a mapping (which would turn every later access into
//! `SIGBUS`). The receiving side refuses a memfd that lacks the shrink seal.

use std::ffi::CString;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, OwnedFd};
use std::ptr::NonNull;

use super::error::ShmError;

/// The seals a region carries: its size is fixed for good.
const SIZE_SEALS: libc::c_int = libc::F_SEAL_SHRINK | libc::F_SEAL_GROW | libc::F_SEAL_SEAL;

/// A mapping of a sealed memfd, shared with other processes; unmapped on drop.
#[derive(Debug)]
pub struct Region {
    base: NonNull<u8>,
    len: usize,
    memfd: OwnedFd,
}

// SAFETY: `Region` owns a mapping and a file descriptor; neither is tied to a thread. Access to
// the bytes goes through raw pointers whose users synchronise with atomics.
unsafe impl Send for Region {}
// SAFETY: `&Region` only hands out the base pointer, the length and the fd; see `Send`.
unsafe impl Sync for Region {}

impl Region {
    /// Creates a zero-filled region of `size` bytes, sealed against resizing and mapped.
    /// `debug_name` shows in `/proc/<pid>/fd` and `/proc/<pid>/maps` (as `memfd:<name>`).
    pub fn create(debug_name: &str, size: usize) -> Result<Region, ShmError> {
        if size == 0 {
            return Err(ShmError::bad_layout(
                format!("shared memory region `{debug_name}`: a size of 0 bytes"),
                "ask for at least one byte",
            ));
        }
        let name =
            CString::new(debug_name.replace('\0', "?")).expect("interior NUL bytes were replaced");
        // SAFETY: `name` is a valid NUL-terminated string; the flags are valid memfd flags.
        let raw = unsafe {
            libc::memfd_create(name.as_ptr(), libc::MFD_CLOEXEC | libc::MFD_ALLOW_SEALING)
        };
        if raw < 0 {
            return Err(ShmError::last_os(format!(
                "memfd_create for shared memory region `{debug_name}`"
            )));
        }
        // SAFETY: `raw` is a new descriptor that nothing else owns.
        let memfd = unsafe { OwnedFd::from_raw_fd(raw) };
        let length = libc::off_t::try_from(size).map_err(|_| {
            ShmError::bad_layout(
                format!("shared memory region `{debug_name}`: {size} bytes"),
                "the size does not fit a file offset; ask for less",
            )
        })?;
        // SAFETY: plain system calls on a descriptor we own.
        if unsafe { libc::ftruncate(memfd.as_raw_fd(), length) } != 0 {
            return Err(ShmError::last_os(format!(
                "ftruncate of shared memory region `{debug_name}` to {size} bytes"
            )));
        }
        // SAFETY: as above.
        if unsafe { libc::fcntl(memfd.as_raw_fd(), libc::F_ADD_SEALS, SIZE_SEALS) } != 0 {
            return Err(ShmError::last_os(format!(
                "sealing shared memory region `{debug_name}` (F_ADD_SEALS)"
            )));
        }
        let base = map_shared(&memfd, size, debug_name)?;
        log::debug!("created shared memory region `{debug_name}` of {size} bytes");
        Ok(Region {
            base,
            len: size,
            memfd,
        })
    }

    /// Maps a memfd received from a peer, after checking that it is sealed against shrinking
    /// (so it can never be truncated under the mapping) and holds at least
    /// `expected_min_size` bytes. The whole file is mapped.
    pub fn open(memfd: OwnedFd, expected_min_size: usize) -> Result<Region, ShmError> {
        let fd = memfd.as_raw_fd();
        // SAFETY: querying the seals of a descriptor we own.
        let seals = unsafe { libc::fcntl(fd, libc::F_GET_SEALS) };
        if seals < 0 {
            return Err(ShmError::refused(
                format!(
                    "received shared memory region (fd {fd}): it is not a sealable memfd ({})",
                    std::io::Error::last_os_error()
                ),
                "the peer must create the region with memfd_create(MFD_ALLOW_SEALING)",
            ));
        }
        if seals & libc::F_SEAL_SHRINK == 0 {
            return Err(ShmError::refused(
                format!(
                    "received shared memory region (fd {fd}): not sealed against shrinking \
                     (seals {seals:#x}), so the peer could truncate it under the mapping"
                ),
                "the peer must add F_SEAL_SHRINK before sending the region",
            ));
        }
        // SAFETY: `stat` is plain data, and fstat fills it for a descriptor we own.
        let mut stat: libc::stat = unsafe { std::mem::zeroed() };
        // SAFETY: `stat` is a valid, writable `struct stat`.
        if unsafe { libc::fstat(fd, &mut stat) } != 0 {
            return Err(ShmError::last_os(format!(
                "fstat of received shared memory region (fd {fd})"
            )));
        }
        let size = usize::try_from(stat.st_size).unwrap_or(0);
        if size < expected_min_size || size == 0 {
            return Err(ShmError::refused(
                format!(
                    "received shared memory region (fd {fd}): {size} bytes, expected at least \
                     {expected_min_size}"
                ),
                "the peer sent the wrong descriptor or a region of another layout",
            ));
        }
        let base = map_shared(&memfd, size, "received")?;
        log::debug!("mapped received shared memory region of {size} bytes");
        Ok(Region {
            base,
            len: size,
            memfd,
        })
    }

    /// The first byte of the mapping (page-aligned).
    pub fn base(&self) -> NonNull<u8> {
        self.base
    }

    /// The size of the mapping in bytes.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Always false: a region has at least one byte.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The memfd, to send to a peer (see [`super::fd_passing`]).
    pub fn memfd(&self) -> BorrowedFd<'_> {
        self.memfd.as_fd()
    }
}

impl Drop for Region {
    fn drop(&mut self) {
        // SAFETY: `base`/`len` are exactly the mapping made in `map_shared`, and every user of
        // the bytes borrows or holds an `Arc` of this region, so none outlives the unmapping.
        if unsafe { libc::munmap(self.base.as_ptr().cast(), self.len) } != 0 {
            log::warn!(
                "munmap of a shared memory region of {} bytes failed: {}",
                self.len,
                std::io::Error::last_os_error()
            );
        }
    }
}

/// Maps `len` bytes of `memfd`, shared and read-write.
fn map_shared(memfd: &OwnedFd, len: usize, debug_name: &str) -> Result<NonNull<u8>, ShmError> {
    // SAFETY: a fresh mapping chosen by the kernel; it aliases nothing in this process.
    let address = unsafe {
        libc::mmap(
            std::ptr::null_mut(),
            len,
            libc::PROT_READ | libc::PROT_WRITE,
            libc::MAP_SHARED,
            memfd.as_raw_fd(),
            0,
        )
    };
    if address == libc::MAP_FAILED {
        return Err(ShmError::last_os(format!(
            "mmap of shared memory region `{debug_name}` ({len} bytes)"
        )));
    }
    Ok(NonNull::new(address.cast()).expect("mmap never returns a null mapping on success"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shm::error::ShmErrorKind;

    /// A memfd that can be sealed but is not: what a careless peer would send.
    fn unsealed_memfd(size: libc::off_t) -> OwnedFd {
        // SAFETY: a valid name and flags; the descriptor is owned at once.
        let memfd = unsafe {
            let raw = libc::memfd_create(c"unsealed".as_ptr(), libc::MFD_CLOEXEC);
            assert!(
                raw >= 0,
                "memfd_create: {}",
                std::io::Error::last_os_error()
            );
            OwnedFd::from_raw_fd(raw)
        };
        // SAFETY: resizing a descriptor we own.
        assert_eq!(unsafe { libc::ftruncate(memfd.as_raw_fd(), size) }, 0);
        memfd
    }

    #[test]
    fn both_mappings_see_the_same_bytes() {
        let created = Region::create("region-test", 4096).unwrap();
        let fd = created.memfd().try_clone_to_owned().unwrap();
        let opened = Region::open(fd, 4096).unwrap();
        assert_eq!(opened.len(), 4096);
        // SAFETY: both pointers are inside their 4096-byte mappings.
        unsafe {
            created.base().as_ptr().add(100).write_volatile(42);
            assert_eq!(opened.base().as_ptr().add(100).read_volatile(), 42);
        }
    }

    #[test]
    fn the_region_cannot_be_resized() {
        let region = Region::create("sealed", 8192).unwrap();
        let fd = region.memfd().as_raw_fd();
        // SAFETY: resizing attempts on a descriptor the region owns; both must fail.
        unsafe {
            assert_ne!(libc::ftruncate(fd, 4096), 0, "shrinking must be refused");
            assert_ne!(libc::ftruncate(fd, 16384), 0, "growing must be refused");
            assert_ne!(libc::fcntl(fd, libc::F_ADD_SEALS, 0), 0, "seals are sealed");
        }
    }

    #[test]
    fn open_refuses_an_unsealed_memfd() {
        let error = Region::open(unsealed_memfd(4096), 64).unwrap_err();
        assert_eq!(error.kind(), ShmErrorKind::Refused);
        assert!(
            error.to_string().contains("not sealed against shrinking"),
            "{error}"
        );
    }

    #[test]
    fn open_refuses_what_is_not_a_memfd() {
        let file = std::fs::File::open("/proc/self/stat").unwrap();
        let error = Region::open(OwnedFd::from(file), 64).unwrap_err();
        assert_eq!(error.kind(), ShmErrorKind::Refused);
        assert!(
            error.to_string().contains("not a sealable memfd"),
            "{error}"
        );
    }

    #[test]
    fn open_refuses_a_memfd_without_the_shrink_seal() {
        // SAFETY: a valid name and flags; the descriptor is owned at once.
        let memfd = unsafe {
            let raw = libc::memfd_create(
                c"grow-only".as_ptr(),
                libc::MFD_CLOEXEC | libc::MFD_ALLOW_SEALING,
            );
            assert!(raw >= 0);
            OwnedFd::from_raw_fd(raw)
        };
        // SAFETY: resizing and sealing a descriptor we own.
        unsafe {
            assert_eq!(libc::ftruncate(memfd.as_raw_fd(), 4096), 0);
            assert_eq!(
                libc::fcntl(memfd.as_raw_fd(), libc::F_ADD_SEALS, libc::F_SEAL_GROW),
                0
            );
        }
        let error = Region::open(memfd, 64).unwrap_err();
        assert_eq!(error.kind(), ShmErrorKind::Refused);
        assert!(
            error.to_string().contains("not sealed against shrinking"),
            "{error}"
        );
    }

    #[test]
    fn open_refuses_a_region_smaller_than_expected() {
        let region = Region::create("small", 100).unwrap();
        let fd = region.memfd().try_clone_to_owned().unwrap();
        let error = Region::open(fd, 4096).unwrap_err();
        assert_eq!(error.kind(), ShmErrorKind::Refused);
        assert!(
            error
                .to_string()
                .contains("100 bytes, expected at least 4096"),
            "{error}"
        );
    }
}
