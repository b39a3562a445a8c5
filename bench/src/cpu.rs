//! How much CPU another process uses: the sum of its threads' run times, which the kernel
//! keeps in nanoseconds in `/proc/PID/task/TID/schedstat` (finer than the 10 ms ticks of
//! `utime` and `stime` in `/proc/PID/stat`).

use std::io;
use std::time::{Duration, Instant};

/// The CPU time every current thread of process `pid` has used so far.
fn cpu_time(pid: u32) -> io::Result<Duration> {
    let mut total = 0u64;
    for task in std::fs::read_dir(format!("/proc/{pid}/task"))? {
        let path = task?.path().join("schedstat");
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            // The thread ended between the listing and the read: its time is gone with it.
            Err(error) if error.kind() == io::ErrorKind::NotFound => continue,
            Err(error) => return Err(error),
        };
        let on_cpu: u64 = text
            .split_whitespace()
            .next()
            .and_then(|field| field.parse().ok())
            .ok_or_else(|| {
                io::Error::other(format!(
                    "{}: expected nanoseconds on the CPU first, found {text:?}",
                    path.display()
                ))
            })?;
        total += on_cpu;
    }
    Ok(Duration::from_nanos(total))
}

/// The share of one core process `pid` uses over the next `window` (1.0 = one core busy).
pub fn usage_over(pid: u32, window: Duration) -> io::Result<f64> {
    let (before, started) = (cpu_time(pid)?, Instant::now());
    std::thread::sleep(window);
    let (after, elapsed) = (cpu_time(pid)?, started.elapsed());
    Ok(after.saturating_sub(before).as_secs_f64() / elapsed.as_secs_f64())
}
