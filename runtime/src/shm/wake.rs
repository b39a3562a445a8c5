//! Sleeping on a ring without losing a wake-up, and the wait strategies built on it.
//!
//! # The protocol
//!
//! Each ring has two wait words in shared memory: `reader_waiting` (the consumer sleeps until
//! a message arrives) and `writer_waiting` (the producer sleeps until a slot is free). A side
//! about to sleep:
//!
//! 1. publishes a fresh, nonzero token in its wait word (sequentially consistent; the token
//!    changes on every sleep, so a late wake-up meant for an earlier sleep is told apart);
//! 2. reads the other side's index again (sequentially consistent) and does not sleep if the
//!    ring changed meanwhile, withdrawing its token by compare-and-swap;
//! 3. otherwise blocks on its eventfd; when it wakes, it drains the eventfd and withdraws its
//!    token (if the waker has not already cleared it).
//!
//! The other side, after publishing its index (sequentially consistent), reads the wait word;
//! when it sees a token, it clears exactly that token by compare-and-swap and, if it won,
//! writes the sleeper's eventfd. Both sides store then load with sequentially consistent
//! operations, so at least one of them sees the other's store: either the sleeper sees the new
//! index in step 2, or the waker sees the token. No wake-up is lost.
//!
//! A consumer publishes each release with a cheap release store and wakes a producer it sees
//! sleeping at once; the sequentially consistent re-publication happens before it reports the
//! ring empty ([`Consumer::try_peek`]), spins or sleeps, so a producer waiting for space is
//! woken at the latest when the consumer runs dry.
//!
//! # In an event loop
//!
//! Register [`Consumer::wake_fd`] (readable) with `mio::unix::SourceFd`, then:
//!
//! ```text
//! loop {
//!     while let Some(message) = consumer.try_peek()? { handle(&message); }
//!     if consumer.prepare_sleep()? {
//!         poll.poll(&mut events, timeout)?;
//!         consumer.cancel_sleep();
//!         consumer.wake_fd().drain()?;
//!     }
//! }
//! ```

use std::os::fd::{AsRawFd, BorrowedFd};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use super::error::ShmError;
use super::eventfd::EventFd;
use super::ring::{Consumer, Producer};

/// How to wait for a ring.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WaitStrategy {
    /// Spin on the shared index and never sleep: the lowest latency, one core busy the whole
    /// time. The watched descriptor and the timeout are still checked about every millisecond.
    Spin,
    /// Sleep on the eventfd at once: no CPU while idle, a kernel wake-up (tens of µs across
    /// cores) per message.
    Block,
    /// Spin for `spin`, then sleep.
    Adaptive {
        /// How long to spin before sleeping.
        spin: Duration,
    },
}

impl WaitStrategy {
    /// The spin of the default strategy. A cross-core wake-up costs about 80 µs on the
    /// reference machine (`/docs/BENCHMARKS.md`); spinning for less than that bounds the waste
    /// to less than the cost of the sleep it tries to avoid (so never worse than twice the
    /// best choice in hindsight), while catching replies of handlers that take up to 50 µs
    /// at shared-memory latency.
    pub const DEFAULT_SPIN: Duration = Duration::from_micros(50);
}

impl Default for WaitStrategy {
    /// [`WaitStrategy::Adaptive`] with [`WaitStrategy::DEFAULT_SPIN`].
    fn default() -> WaitStrategy {
        WaitStrategy::Adaptive {
            spin: WaitStrategy::DEFAULT_SPIN,
        }
    }
}

/// How a wait ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WaitOutcome {
    /// The ring is ready: a message to read, or a slot to write.
    Ready,
    /// The timeout passed first.
    TimedOut,
    /// The extra descriptor became readable or hung up first (and the ring was not ready).
    WatchedFd {
        /// The peer hung up (`POLLHUP`, `POLLRDHUP` or `POLLERR`).
        hung_up: bool,
    },
}

/// Waits until `consumer` has a message, following `strategy`, for at most `timeout` (`None`:
/// no limit), and ends early when `also_watch_fd` (the socket to the peer, say) becomes
/// readable or hangs up.
pub fn wait_readable(
    consumer: &mut Consumer,
    strategy: WaitStrategy,
    timeout: Option<Duration>,
    also_watch_fd: Option<BorrowedFd<'_>>,
) -> Result<WaitOutcome, ShmError> {
    wait(consumer, strategy, timeout, also_watch_fd)
}

/// Waits until `producer` has a free slot; otherwise as [`wait_readable`].
pub fn wait_writable(
    producer: &mut Producer,
    strategy: WaitStrategy,
    timeout: Option<Duration>,
    also_watch_fd: Option<BorrowedFd<'_>>,
) -> Result<WaitOutcome, ShmError> {
    wait(producer, strategy, timeout, also_watch_fd)
}

impl Consumer {
    /// Announces that this side is about to sleep until a message arrives. Returns false (and
    /// announces nothing) when a message arrived meanwhile: do not sleep then. After sleeping,
    /// call [`Consumer::cancel_sleep`] and drain [`Consumer::wake_fd`].
    pub fn prepare_sleep(&mut self) -> Result<bool, ShmError> {
        self.wake_producer_after_releases()?;
        let header = self.ring.header();
        self.sleep.announce(&header.reader_waiting);
        let produced = header.produced.load(Ordering::SeqCst);
        if let Err(error) = self.accept_produced(produced) {
            self.cancel_sleep();
            return Err(error.into());
        }
        if self.produced_seen != self.consumed {
            self.cancel_sleep();
            return Ok(false);
        }
        Ok(true)
    }

    /// Withdraws the announcement of [`Consumer::prepare_sleep`], if the producer has not
    /// already cleared it.
    pub fn cancel_sleep(&mut self) {
        self.sleep.withdraw(&self.ring.header().reader_waiting);
    }

    /// The eventfd the producer rings for this side: register it with the event loop.
    pub fn wake_fd(&self) -> &EventFd {
        &self.data_ready
    }
}

impl Producer {
    /// Announces that this side is about to sleep until a slot is free. Returns false (and
    /// announces nothing) when a slot was freed meanwhile. After sleeping, call
    /// [`Producer::cancel_sleep`] and drain [`Producer::wake_fd`].
    pub fn prepare_sleep(&mut self) -> Result<bool, ShmError> {
        let header = self.ring.header();
        self.sleep.announce(&header.writer_waiting);
        let consumed = header.consumed.load(Ordering::SeqCst);
        if let Err(error) = self.accept_consumed(consumed) {
            self.cancel_sleep();
            return Err(error.into());
        }
        if self.produced.wrapping_sub(self.consumed_seen) < self.ring.slots() {
            self.cancel_sleep();
            return Ok(false);
        }
        Ok(true)
    }

    /// Withdraws the announcement of [`Producer::prepare_sleep`], if the consumer has not
    /// already cleared it.
    pub fn cancel_sleep(&mut self) {
        self.sleep.withdraw(&self.ring.header().writer_waiting);
    }

    /// The eventfd the consumer rings for this side when it frees slots.
    pub fn wake_fd(&self) -> &EventFd {
        &self.space_ready
    }
}

/// One side's sleep tokens.
#[derive(Debug, Default)]
pub(super) struct SleepState {
    last_token: u32,
    announced: Option<u32>,
}

impl SleepState {
    /// Publishes a fresh token in `word`.
    fn announce(&mut self, word: &AtomicU32) {
        self.last_token = self.last_token.wrapping_add(1).max(1);
        word.swap(self.last_token, Ordering::SeqCst);
        self.announced = Some(self.last_token);
    }

    /// Clears this side's token from `word`, unless the waker already did.
    fn withdraw(&mut self, word: &AtomicU32) {
        if let Some(token) = self.announced.take() {
            // Failure means the waker cleared it (and rang the eventfd): nothing to undo.
            let _ = word.compare_exchange(token, 0, Ordering::SeqCst, Ordering::Relaxed);
        }
    }
}

/// Called after publishing an index: if the other side announced a sleep in `word`, clears
/// exactly its token and rings its eventfd.
pub(super) fn wake_sleeper(word: &AtomicU32, doorbell: &EventFd) -> Result<(), ShmError> {
    let token = word.load(Ordering::SeqCst);
    if token != 0
        && word
            .compare_exchange(token, 0, Ordering::SeqCst, Ordering::Relaxed)
            .is_ok()
    {
        doorbell.notify()?;
    }
    Ok(())
}

/// What a wait needs from one side of a ring.
trait Sleeper {
    /// Whether the ring is ready for this side (and, for a consumer, releases are published).
    fn ready(&mut self) -> Result<bool, ShmError>;
    fn prepare_sleep(&mut self) -> Result<bool, ShmError>;
    fn cancel_sleep(&mut self);
    fn wake_fd(&self) -> &EventFd;
}

impl Sleeper for Consumer {
    fn ready(&mut self) -> Result<bool, ShmError> {
        if self.is_readable()? {
            return Ok(true);
        }
        self.wake_producer_after_releases()?;
        Ok(false)
    }
    fn prepare_sleep(&mut self) -> Result<bool, ShmError> {
        Consumer::prepare_sleep(self)
    }
    fn cancel_sleep(&mut self) {
        Consumer::cancel_sleep(self);
    }
    fn wake_fd(&self) -> &EventFd {
        Consumer::wake_fd(self)
    }
}

impl Sleeper for Producer {
    fn ready(&mut self) -> Result<bool, ShmError> {
        self.is_writable()
    }
    fn prepare_sleep(&mut self) -> Result<bool, ShmError> {
        Producer::prepare_sleep(self)
    }
    fn cancel_sleep(&mut self) {
        Producer::cancel_sleep(self);
    }
    fn wake_fd(&self) -> &EventFd {
        Producer::wake_fd(self)
    }
}

/// How many spins between two looks at the clock.
const SPINS_PER_CLOCK_CHECK: u32 = 64;
/// How often a spinning wait looks at the watched descriptor.
const WATCH_INTERVAL: Duration = Duration::from_millis(1);

fn wait(
    side: &mut impl Sleeper,
    strategy: WaitStrategy,
    timeout: Option<Duration>,
    watched: Option<BorrowedFd<'_>>,
) -> Result<WaitOutcome, ShmError> {
    let start = Instant::now();
    let deadline = timeout.and_then(|timeout| start.checked_add(timeout));
    let spin_limit = match strategy {
        WaitStrategy::Spin => None,
        WaitStrategy::Block => Some(Duration::ZERO),
        WaitStrategy::Adaptive { spin } => Some(spin),
    };
    let mut last_watch = start;
    let mut spins = 0u32;
    loop {
        if side.ready()? {
            return Ok(WaitOutcome::Ready);
        }
        if spin_limit == Some(Duration::ZERO) {
            break;
        }
        std::hint::spin_loop();
        spins = spins.wrapping_add(1);
        if spins % SPINS_PER_CLOCK_CHECK != 0 {
            continue;
        }
        let now = Instant::now();
        if deadline.is_some_and(|deadline| now >= deadline) {
            return Ok(WaitOutcome::TimedOut);
        }
        if spin_limit.is_some_and(|limit| now - start >= limit) {
            break;
        }
        if let Some(fd) = watched {
            if now - last_watch >= WATCH_INTERVAL {
                last_watch = now;
                let (_, watched_revents) = poll_two(None, fd, Some(Duration::ZERO))?;
                if let Some(outcome) = watched_outcome(watched_revents) {
                    return Ok(outcome);
                }
            }
        }
    }
    loop {
        if !side.prepare_sleep()? {
            return Ok(WaitOutcome::Ready);
        }
        let remaining = deadline.map(|deadline| deadline.saturating_duration_since(Instant::now()));
        let polled = match watched {
            Some(fd) => poll_two(Some(side.wake_fd()), fd, remaining),
            None => poll_one(side.wake_fd(), remaining).map(|revents| (revents, 0)),
        };
        side.cancel_sleep();
        let (_, watched_revents) = polled?;
        side.wake_fd().drain()?;
        if side.ready()? {
            return Ok(WaitOutcome::Ready);
        }
        if let Some(outcome) = watched_outcome(watched_revents) {
            return Ok(outcome);
        }
        if deadline.is_some_and(|deadline| Instant::now() >= deadline) {
            return Ok(WaitOutcome::TimedOut);
        }
    }
}

/// The outcome a watched descriptor's poll events call for, if any.
fn watched_outcome(revents: libc::c_short) -> Option<WaitOutcome> {
    const HANG_UP: libc::c_short = libc::POLLHUP | libc::POLLRDHUP | libc::POLLERR | libc::POLLNVAL;
    (revents != 0).then_some(WaitOutcome::WatchedFd {
        hung_up: revents & HANG_UP != 0,
    })
}

/// Polls the eventfd for reading.
fn poll_one(wake_fd: &EventFd, timeout: Option<Duration>) -> Result<libc::c_short, ShmError> {
    let mut fds = [pollfd(wake_fd.as_raw_fd(), libc::POLLIN)];
    poll(&mut fds, timeout)?;
    Ok(fds[0].revents)
}

/// Polls the eventfd (if any) for reading and `watched` for reading or hang-up.
fn poll_two(
    wake_fd: Option<&EventFd>,
    watched: BorrowedFd<'_>,
    timeout: Option<Duration>,
) -> Result<(libc::c_short, libc::c_short), ShmError> {
    let watched = pollfd(watched.as_raw_fd(), libc::POLLIN | libc::POLLRDHUP);
    match wake_fd {
        Some(wake_fd) => {
            let mut fds = [pollfd(wake_fd.as_raw_fd(), libc::POLLIN), watched];
            poll(&mut fds, timeout)?;
            Ok((fds[0].revents, fds[1].revents))
        }
        None => {
            let mut fds = [watched];
            poll(&mut fds, timeout)?;
            Ok((0, fds[0].revents))
        }
    }
}

fn pollfd(fd: libc::c_int, events: libc::c_short) -> libc::pollfd {
    libc::pollfd {
        fd,
        events,
        revents: 0,
    }
}

/// `poll(2)`, with the timeout rounded up to whole milliseconds; an interrupted call reports
/// nothing ready (the caller checks the ring again).
fn poll(fds: &mut [libc::pollfd], timeout: Option<Duration>) -> Result<(), ShmError> {
    let timeout_ms = match timeout {
        None => -1,
        Some(timeout) => {
            let ms = timeout.as_nanos().div_ceil(1_000_000);
            libc::c_int::try_from(ms).unwrap_or(libc::c_int::MAX)
        }
    };
    // SAFETY: `fds` is a live, writable array of `fds.len()` pollfd records.
    let ready = unsafe { libc::poll(fds.as_mut_ptr(), fds.len() as libc::nfds_t, timeout_ms) };
    if ready < 0 {
        let error = std::io::Error::last_os_error();
        if error.kind() == std::io::ErrorKind::Interrupted {
            fds.iter_mut().for_each(|fd| fd.revents = 0);
            return Ok(());
        }
        return Err(ShmError::os(
            "poll on a shared memory ring's eventfd",
            error,
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shm::{ChannelLayout, ClientEnd, RingLayout, ServerEnd};
    use std::os::fd::AsFd;
    use std::os::unix::net::UnixStream;

    fn channel(slots: u32) -> (ClientEnd, ServerEnd) {
        let ring = RingLayout::new(slots, 64).unwrap();
        let layout = ChannelLayout {
            requests: ring,
            replies: ring,
        };
        let (server, fds) = ServerEnd::create("wake-test", layout).unwrap();
        (ClientEnd::open(fds).unwrap(), server)
    }

    #[test]
    fn a_commit_wakes_an_announced_sleeper_exactly_once() {
        let (mut client, mut server) = channel(4);
        assert!(server.requests.prepare_sleep().unwrap());
        let token = |server: &ServerEnd| {
            server
                .requests
                .ring
                .header()
                .reader_waiting
                .load(Ordering::SeqCst)
        };
        assert_ne!(token(&server), 0);
        client
            .requests
            .try_loan()
            .unwrap()
            .unwrap()
            .commit(0)
            .unwrap();
        assert_eq!(token(&server), 0, "the producer cleared the token");
        assert!(
            server.requests.wake_fd().drain().unwrap(),
            "and rang the eventfd"
        );
        server.requests.cancel_sleep();
        // Nobody sleeps: the next commit rings nothing.
        client
            .requests
            .try_loan()
            .unwrap()
            .unwrap()
            .commit(0)
            .unwrap();
        assert!(!server.requests.wake_fd().drain().unwrap());
        // Messages are waiting: no sleep.
        assert!(!server.requests.prepare_sleep().unwrap());
        assert_eq!(token(&server), 0);
    }

    #[test]
    fn a_release_wakes_a_producer_sleeping_for_space() {
        let (mut client, mut server) = channel(2);
        for _ in 0..2 {
            client
                .requests
                .try_loan()
                .unwrap()
                .unwrap()
                .commit(0)
                .unwrap();
        }
        assert!(client.requests.prepare_sleep().unwrap());
        server.requests.try_peek().unwrap().unwrap().release();
        assert!(client.requests.wake_fd().drain().unwrap());
        client.requests.cancel_sleep();
        assert!(!client.requests.prepare_sleep().unwrap());
    }

    #[test]
    fn waits_end_on_timeout_and_on_hang_up() {
        let (_client, mut server) = channel(4);
        for strategy in [
            WaitStrategy::Spin,
            WaitStrategy::Block,
            WaitStrategy::default(),
        ] {
            let started = Instant::now();
            let outcome = wait_readable(
                &mut server.requests,
                strategy,
                Some(Duration::from_millis(20)),
                None,
            )
            .unwrap();
            assert_eq!(outcome, WaitOutcome::TimedOut, "{strategy:?}");
            assert!(started.elapsed() >= Duration::from_millis(20));

            let (left, right) = UnixStream::pair().unwrap();
            drop(left);
            let outcome =
                wait_readable(&mut server.requests, strategy, None, Some(right.as_fd())).unwrap();
            assert_eq!(
                outcome,
                WaitOutcome::WatchedFd { hung_up: true },
                "{strategy:?}"
            );
        }
    }

    #[test]
    fn threads_exchange_messages_through_a_small_ring_with_every_strategy() {
        for strategy in [
            WaitStrategy::Block,
            WaitStrategy::default(),
            WaitStrategy::Adaptive {
                spin: Duration::from_micros(1),
            },
        ] {
            let (mut client, mut server) = channel(4);
            const COUNT: u64 = 20_000;
            let producer = std::thread::spawn(move || {
                for i in 0..COUNT {
                    let outcome =
                        wait_writable(&mut client.requests, strategy, None, None).unwrap();
                    assert_eq!(outcome, WaitOutcome::Ready);
                    let mut loan = client.requests.try_loan().unwrap().unwrap();
                    loan[..8].copy_from_slice(&i.to_le_bytes());
                    loan.commit(8).unwrap();
                }
            });
            for i in 0..COUNT {
                let outcome = wait_readable(&mut server.requests, strategy, None, None).unwrap();
                assert_eq!(outcome, WaitOutcome::Ready);
                let message = server.requests.try_peek().unwrap().unwrap();
                assert_eq!(&*message, i.to_le_bytes(), "{strategy:?}");
            }
            producer.join().unwrap();
        }
    }
}
