//! The server: one mio event loop that serves every service of a process on every endpoint it
//! listens on, many connections at once, several calls in flight on each.
//!
//! ```no_run
//! # fn demo(service: impl interop::server::Service) -> Result<(), interop::Error> {
//! let mut server = interop::Server::bind("pipe://fleet")?;
//! server.serve(service)?;
//! server.run()
//! # }
//! ```

mod connection;
pub(crate) mod dispatch;
mod publisher;
pub(crate) mod registry;
mod service;

pub use publisher::Publisher;
pub use service::{Call, Outcome, Service};

use std::io;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use mio::{Events, Interest, Poll, Token, Waker};

use crate::endpoint::Endpoint;
use crate::error::Error;
use crate::transport::inproc;
use crate::transport::socket::{self, Listener};
use connection::{Connection, Turn};
use publisher::PublishedEvent;
use registry::{Registry, ServiceSlot};

const WAKER: Token = Token(usize::MAX);

/// Listener `i` has token `LISTENERS - i`; connection `c` has the tokens from `4c` up: its
/// socket, and on shared memory its two doorbells.
const LISTENERS: usize = usize::MAX - 1;

/// The socket of a connection.
const SOCKET: usize = 0;
/// The doorbell a shared-memory client rings when it sends a request to a sleeping server.
const REQUESTS: usize = 1;
/// The doorbell a shared-memory client rings when it frees a reply slot the server waits for.
const SPACE: usize = 2;

fn token(connection: usize, kind: usize) -> Token {
    Token(connection * 4 + kind)
}

/// How long a spinning loop looks at shared-memory rings before it checks its sockets again.
const SPIN_SLICE: std::time::Duration = std::time::Duration::from_micros(50);

/// Frames handled on one connection before the loop turns to the others.
const FAIR_SHARE: usize = 64;

/// What the loop shares with [`ServerHandle`]s and [`Publisher`]s on other threads.
pub(crate) struct Shared {
    waker: Waker,
    stop: AtomicBool,
    events: Mutex<Vec<PublishedEvent>>,
}

/// Serves services on endpoints: `Server::bind(url)?.serve(service)?.run()`.
pub struct Server {
    poll: Poll,
    registry: Arc<Registry>,
    shared: Arc<Shared>,
    listeners: Vec<(Listener, Endpoint)>,
    inproc_names: Vec<String>,
    connections: Vec<Option<Connection>>,
    /// Connections with frames or bytes left after their fair share, to serve again soon.
    backlog: Vec<usize>,
    /// The connections on shared memory.
    shm: Vec<usize>,
    /// How the loop waits for shared-memory requests.
    #[cfg(target_os = "linux")]
    wait: crate::shm::WaitStrategy,
    /// When a shared-memory request was last served: the loop spins for a while after.
    last_shm_request: std::time::Instant,
}

/// Stops a running server from another thread.
#[derive(Clone)]
pub struct ServerHandle {
    shared: Arc<Shared>,
}

impl ServerHandle {
    /// Asks the loop to stop; [`Server::run`] returns soon after.
    pub fn stop(&self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        if let Err(error) = self.shared.waker.wake() {
            log::error!("cannot wake the server loop to stop it: {error}");
        }
    }
}

impl Server {
    /// A server listening on nothing yet; add endpoints with [`Server::listen`].
    pub fn new() -> Result<Server, Error> {
        let poll = Poll::new().map_err(|error| Error::io("create the event loop", error))?;
        let waker = Waker::new(poll.registry(), WAKER)
            .map_err(|error| Error::io("create the event loop's waker", error))?;
        Ok(Server {
            poll,
            registry: Arc::default(),
            shared: Arc::new(Shared {
                waker,
                stop: AtomicBool::new(false),
                events: Mutex::new(Vec::new()),
            }),
            listeners: Vec::new(),
            inproc_names: Vec::new(),
            connections: Vec::new(),
            backlog: Vec::new(),
            shm: Vec::new(),
            #[cfg(target_os = "linux")]
            wait: crate::shm::WaitStrategy::default(),
            last_shm_request: std::time::Instant::now(),
        })
    }

    /// How the loop waits for requests on shared memory: spin, block, or spin for a while
    /// after the last request, then block (the default). While it spins, socket events wait
    /// up to 50 µs.
    #[cfg(target_os = "linux")]
    pub fn set_wait(&mut self, wait: crate::shm::WaitStrategy) -> &mut Server {
        self.wait = wait;
        self
    }

    /// A server listening on `url`: `inproc://NAME`, `shm://NAME`, `pipe://NAME` or
    /// `tcp://HOST:PORT`.
    pub fn bind(url: &str) -> Result<Server, Error> {
        let mut server = Server::new()?;
        server.listen(url)?;
        Ok(server)
    }

    /// Listens on one more endpoint. `shm://NAME` and `pipe://NAME` name the same Unix socket,
    /// which serves clients of both kinds.
    pub fn listen(&mut self, url: &str) -> Result<&mut Server, Error> {
        let endpoint = Endpoint::parse(url).map_err(|error| Error::Config {
            message: error.to_string(),
        })?;
        self.listen_at(endpoint)
    }

    /// Listens on one more parsed endpoint.
    pub fn listen_at(&mut self, endpoint: Endpoint) -> Result<&mut Server, Error> {
        let mut listener = match &endpoint {
            Endpoint::Inproc(name) => {
                inproc::register(name, &self.registry)?;
                self.inproc_names.push(name.clone());
                return Ok(self);
            }
            Endpoint::Shm(name) | Endpoint::Pipe(name) => socket::listen_unix(name)?,
            Endpoint::Tcp(address) => socket::listen_tcp(address)?,
        };
        let token = Token(LISTENERS - self.listeners.len());
        self.poll
            .registry()
            .register(&mut listener, token, Interest::READABLE)
            .map_err(|error| Error::io(format!("watch {endpoint}"), error))?;
        log::info!("listening on {endpoint}");
        self.listeners.push((listener, endpoint));
        Ok(self)
    }

    /// Serves `service` on every endpoint of this server.
    pub fn serve(&mut self, service: impl Service) -> Result<&mut Server, Error> {
        self.registry.add(ServiceSlot::new(Box::new(service))?)?;
        Ok(self)
    }

    /// Publishes the events of the service called `service` (`package.Service`), which this
    /// server serves; generated code wraps it (`FleetControlPublisher`).
    pub fn publisher(&self, service: &str) -> Result<Publisher, Error> {
        let slot = self.registry.get(service).ok_or_else(|| Error::Config {
            message: format!("`{service}` is not served here; call `serve` first"),
        })?;
        Ok(Publisher::new(slot, Arc::clone(&self.shared)))
    }

    /// A handle that stops the loop from another thread.
    pub fn handle(&self) -> ServerHandle {
        ServerHandle {
            shared: Arc::clone(&self.shared),
        }
    }

    /// Runs the loop until [`ServerHandle::stop`].
    pub fn run(&mut self) -> Result<(), Error> {
        let mut events = Events::with_capacity(256);
        while !self.shared.stop.load(Ordering::SeqCst) {
            self.turn(&mut events, None)?;
        }
        self.shared.stop.store(false, Ordering::SeqCst);
        Ok(())
    }

    /// Runs one turn of the loop from the caller's own loop: waits at most `timeout` for
    /// something to do, does it, and returns. Watch [`Server::as_raw_fd`] for readiness to know
    /// when to call it; call it with a zero timeout while [`Server::is_busy`] says so.
    pub fn run_once(&mut self, timeout: Option<std::time::Duration>) -> Result<(), Error> {
        let mut events = Events::with_capacity(256);
        self.turn(
            &mut events,
            Some(timeout.unwrap_or(std::time::Duration::ZERO)),
        )
    }

    /// Whether the loop has work left for its next turn (frames beyond a connection's fair
    /// share, or shared-memory clients it is spinning for): the caller's loop should not sleep.
    pub fn is_busy(&self) -> bool {
        !self.backlog.is_empty() || self.spinning()
    }

    /// One turn: wait for events (at most `limit`, when given), serve them.
    fn turn(
        &mut self,
        events: &mut Events,
        limit: Option<std::time::Duration>,
    ) -> Result<(), Error> {
        let timeout = if self.backlog.is_empty() && !self.spinning() && self.sleep() {
            limit
        } else {
            Some(std::time::Duration::ZERO)
        };
        match self.poll.poll(events, timeout) {
            Ok(()) => {}
            Err(error) if error.kind() == io::ErrorKind::Interrupted => return Ok(()),
            Err(error) => return Err(Error::io("wait for events", error)),
        }
        self.wake_up(events);
        for event in events.iter() {
            match event.token() {
                WAKER => self.deliver_events(),
                Token(token) if token > LISTENERS - self.listeners.len() => {
                    self.accept(LISTENERS - token)
                }
                Token(token) => self.serve_connection(token / 4, token % 4 == SOCKET),
            }
        }
        for index in std::mem::take(&mut self.backlog) {
            self.serve_connection(index, false);
        }
        if self.spinning() {
            self.spin();
        }
        Ok(())
    }

    /// Whether the loop should look at its shared-memory rings instead of sleeping.
    fn spinning(&self) -> bool {
        #[cfg(target_os = "linux")]
        {
            use crate::shm::WaitStrategy;
            !self.shm.is_empty()
                && match self.wait {
                    WaitStrategy::Spin => true,
                    WaitStrategy::Block => false,
                    WaitStrategy::Adaptive { spin } => self.last_shm_request.elapsed() < spin,
                }
        }
        #[cfg(not(target_os = "linux"))]
        false
    }

    /// Serves shared-memory requests as they come, without system calls, for one slice.
    fn spin(&mut self) {
        #[cfg(target_os = "linux")]
        {
            /// Looks at the rings between two readings of the clock.
            const LOOKS_PER_CLOCK: u32 = 64;
            let start = std::time::Instant::now();
            let mut looks = 0;
            loop {
                let mut served = false;
                for position in 0..self.shm.len() {
                    let index = self.shm[position];
                    let Some(Some(connection)) = self.connections.get_mut(index) else {
                        continue;
                    };
                    if connection.has_request() {
                        self.serve_connection(index, false);
                        served = true;
                    }
                }
                if !served {
                    std::hint::spin_loop();
                }
                looks += 1;
                if looks % LOOKS_PER_CLOCK == 0
                    && (start.elapsed() >= SPIN_SLICE || !self.spinning())
                {
                    break;
                }
            }
        }
    }

    /// Tells every shared-memory client that the loop is about to sleep; false when one sent
    /// a request meanwhile, which is then served instead.
    fn sleep(&mut self) -> bool {
        #[cfg(target_os = "linux")]
        for position in 0..self.shm.len() {
            let index = self.shm[position];
            let Some(Some(connection)) = self.connections.get_mut(index) else {
                continue;
            };
            match connection.prepare_sleep() {
                Ok(true) => {}
                Ok(false) => self.backlog.push(index),
                Err(reason) => self.close(index, &reason),
            }
        }
        self.backlog.is_empty()
    }

    /// After a wait: withdraws the sleep announcements and drains the doorbells that rang.
    fn wake_up(&mut self, events: &Events) {
        #[cfg(target_os = "linux")]
        {
            let rang: Vec<usize> = events
                .iter()
                .map(|event| event.token().0)
                .filter(|token| *token < LISTENERS - self.listeners.len())
                .filter(|token| matches!(token % 4, REQUESTS | SPACE))
                .map(|token| token / 4)
                .collect();
            for &index in &self.shm {
                if let Some(Some(connection)) = self.connections.get_mut(index) {
                    connection.awake(rang.contains(&index));
                }
            }
        }
    }

    fn accept(&mut self, listener: usize) {
        loop {
            let (stream, peer) = match self.listeners[listener].0.accept() {
                Ok(Some(accepted)) => accepted,
                Ok(None) => return,
                Err(error) => {
                    log::warn!("accept on {}: {error}", self.listeners[listener].1);
                    return;
                }
            };
            let index = match self.connections.iter().position(Option::is_none) {
                Some(index) => index,
                None => {
                    self.connections.push(None);
                    self.connections.len() - 1
                }
            };
            let mut connection = Connection::new(stream, peer);
            if let Err(error) = self.poll.registry().register(
                connection.source(),
                token(index, SOCKET),
                Interest::READABLE | Interest::WRITABLE,
            ) {
                log::warn!("cannot watch a new connection: {error}");
                continue;
            }
            log::debug!(
                "accepted {} on {}",
                connection.peer,
                self.listeners[listener].1
            );
            self.connections[index] = Some(connection);
            self.serve_connection(index, false);
        }
    }

    fn serve_connection(&mut self, index: usize, socket_ready: bool) {
        let Some(Some(connection)) = self.connections.get_mut(index) else {
            return;
        };
        match connection.serve(&self.registry, FAIR_SHARE, socket_ready) {
            Ok(Turn::Idle) => {}
            Ok(Turn::More) => self.backlog.push(index),
            Ok(Turn::SwitchedToShm) => self.watch_doorbells(index),
            Err(reason) => self.close(index, &reason),
        }
        if self.connections[index]
            .as_ref()
            .is_some_and(Connection::is_shm)
        {
            self.last_shm_request = std::time::Instant::now();
        }
    }

    /// Watches the doorbells of a connection that switched to shared memory.
    fn watch_doorbells(&mut self, index: usize) {
        #[cfg(target_os = "linux")]
        {
            let Some(Some(connection)) = self.connections.get(index) else {
                return;
            };
            let Some(doorbells) = connection.shm_doorbells() else {
                return;
            };
            for (fd, kind) in doorbells.iter().zip([REQUESTS, SPACE]) {
                let mut source = mio::unix::SourceFd(fd);
                if let Err(error) = self.poll.registry().register(
                    &mut source,
                    token(index, kind),
                    Interest::READABLE,
                ) {
                    self.close(index, &format!("cannot watch its doorbells: {error}"));
                    return;
                }
            }
            self.shm.push(index);
            self.last_shm_request = std::time::Instant::now();
        }
    }

    fn close(&mut self, index: usize, reason: &str) {
        if let Some(mut connection) = self.connections[index].take() {
            #[cfg(target_os = "linux")]
            if let Some(doorbells) = connection.shm_doorbells() {
                for fd in &doorbells {
                    let _ = self
                        .poll
                        .registry()
                        .deregister(&mut mio::unix::SourceFd(fd));
                }
            }
            self.shm.retain(|&shm| shm != index);
            let _ = self.poll.registry().deregister(connection.source());
            log::info!(
                "closed the connection of {}: {reason}",
                connection.describe()
            );
        }
    }

    /// Sends the events published since the last wake-up to their subscribers.
    fn deliver_events(&mut self) {
        let published = std::mem::take(
            &mut *self
                .shared
                .events
                .lock()
                .unwrap_or_else(PoisonError::into_inner),
        );
        for event in &published {
            for index in 0..self.connections.len() {
                let Some(connection) = &mut self.connections[index] else {
                    continue;
                };
                if let Err(reason) = connection.push_event(event) {
                    self.close(index, &reason);
                }
            }
        }
    }
}

/// The loop's epoll descriptor: readable when the server has something to do, for callers
/// that drive it with [`Server::run_once`] from their own loop.
impl std::os::fd::AsRawFd for Server {
    fn as_raw_fd(&self) -> std::os::fd::RawFd {
        self.poll.as_raw_fd()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        for name in &self.inproc_names {
            inproc::unregister(name);
        }
        for (_, endpoint) in &self.listeners {
            if let Endpoint::Shm(crate::endpoint::SocketName::Path(path))
            | Endpoint::Pipe(crate::endpoint::SocketName::Path(path)) = endpoint
            {
                let _ = std::fs::remove_file(path);
            }
        }
    }
}
