//! Pinning the two processes to two cores, when the machine has more than one.

use std::io;

/// The cores this process may run on.
fn allowed_cores() -> io::Result<Vec<usize>> {
    // SAFETY: `cpu_set_t` is plain data; all-zero is the empty set.
    let mut set: libc::cpu_set_t = unsafe { std::mem::zeroed() };
    // SAFETY: `set` is a live, writable `cpu_set_t` of the size passed.
    if unsafe { libc::sched_getaffinity(0, std::mem::size_of_val(&set), &mut set) } != 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: `CPU_ISSET` reads the set for an index below `CPU_SETSIZE`.
    Ok((0..libc::CPU_SETSIZE as usize)
        .filter(|&core| unsafe { libc::CPU_ISSET(core, &set) })
        .collect())
}

/// The cores for the measuring process and its peer: the first two allowed, or `None` when
/// only one is (both processes then share it, unpinned).
pub fn plan() -> io::Result<Option<[usize; 2]>> {
    let cores = allowed_cores()?;
    Ok((cores.len() >= 2).then(|| [cores[0], cores[1]]))
}

/// Pins this process to `core`.
pub fn pin(core: usize) -> io::Result<()> {
    // SAFETY: as in `allowed_cores`.
    let mut set: libc::cpu_set_t = unsafe { std::mem::zeroed() };
    if core >= libc::CPU_SETSIZE as usize {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("no core {core}"),
        ));
    }
    // SAFETY: `core` is below `CPU_SETSIZE` (checked above).
    unsafe { libc::CPU_SET(core, &mut set) };
    // SAFETY: `set` is a live `cpu_set_t` of the size passed.
    if unsafe { libc::sched_setaffinity(0, std::mem::size_of_val(&set), &set) } != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}
