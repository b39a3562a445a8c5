//! The client: a blocking connection to one service, with zero-copy loans for requests, replies
//! read in place, pipelined calls, per-call timeouts and events.
//!
//! ```no_run
//! # fn demo(service: &'static interop::service::ServiceDescriptor) -> Result<(), interop::Error> {
//! let mut client = interop::Client::connect("pipe://fleet", service)?;
//! # Ok(())
//! # }
//! ```

mod link;
mod loan;
pub(crate) mod raw;
#[cfg(target_os = "linux")]
mod shm_setup;

pub use loan::{EventGuard, Loan, OnewayLoan, Pending, ReplyGuard};

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::endpoint::Endpoint;
use crate::error::Error;
use crate::message::{self, ErrorValue, Message};
use crate::message_check::MethodChecks;
use crate::server::dispatch::Peer;
use crate::service::{MethodDescriptor, MethodKind, ServiceDescriptor};
use crate::transport::buffer::{FrameAt, FrameBuffer};
use crate::transport::inproc::{self, EventQueue};
use crate::transport::socket::Stream;
use crate::wire::{Failure, Hello, Kind, Mode, VerdictKind, Welcome, WelcomeStatus};
use crate::CallError;
use link::{Link, Received};

/// How a client behaves; the defaults suit most uses.
#[derive(Clone, Debug)]
pub struct ClientOptions {
    /// How long a call (and the connection's handshake) waits for its reply, and a message
    /// for room in a full ring or socket. Default 5 s. Zero never waits: a message that finds
    /// no room fails at once with [`Error::WouldBlock`] (for one-way messages sent without
    /// blocking); the handshake then waits as long as by default.
    pub timeout: Duration,
    /// How many events are kept for [`Client::next_event`] while calls are waited for;
    /// beyond that events are lost and reported as [`Error::Lagged`]. Default 1024.
    pub event_queue: usize,
    /// Slots per ring on shared memory (a power of two; the server may clamp it). Default 64.
    pub ring_slots: u32,
    /// How a shared-memory client waits for replies: spin, block, or spin briefly then block
    /// (the default).
    #[cfg(target_os = "linux")]
    pub wait: crate::shm::WaitStrategy,
}

impl ClientOptions {
    /// The default [`ClientOptions::timeout`].
    const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);

    /// How long the handshake waits: the timeout, or the default one when the timeout is
    /// zero (a connection is never made without waiting for the server's answer).
    pub(crate) fn handshake_timeout(&self) -> Duration {
        if self.timeout.is_zero() {
            ClientOptions::DEFAULT_TIMEOUT
        } else {
            self.timeout
        }
    }
}

impl Default for ClientOptions {
    fn default() -> ClientOptions {
        ClientOptions {
            timeout: ClientOptions::DEFAULT_TIMEOUT,
            event_queue: 1024,
            ring_slots: 64,
            #[cfg(target_os = "linux")]
            wait: crate::shm::WaitStrategy::default(),
        }
    }
}

/// A connection to one service. Calls block the calling thread until their reply arrives or
/// their timeout passes; several calls may be in flight at once ([`Loan::send_later`]).
pub struct Client {
    service: &'static ServiceDescriptor,
    /// How to check each method's messages, and their sizes.
    checks: MethodChecks,
    endpoint: String,
    /// The connection; a reply being read is at the front of its inbox.
    link: Link,
    options: ClientOptions,
    /// Methods the server refused in the handshake, with its fingerprint.
    blocked: HashMap<u32, [u8; 32]>,
    next_correlation: u64,
    /// Replies that arrived for calls other than the one being waited for.
    parked: HashMap<u64, FrameBuffer>,
    /// Calls that timed out; their replies are dropped when they come.
    abandoned: HashSet<u64>,
    /// Events (and lag reports) that arrived while a reply was being waited for.
    events: FrameBuffer,
    queued_events: usize,
    lagged: u64,
    /// Set once the connection failed for good; every later call fails the same way.
    broken: Option<String>,
}

impl Client {
    /// Connects to `service` at `url` with default options.
    pub fn connect(url: &str, service: &'static ServiceDescriptor) -> Result<Client, Error> {
        let endpoint = Endpoint::parse(url).map_err(|error| Error::Config {
            message: error.to_string(),
        })?;
        Client::connect_with(&endpoint, service, ClientOptions::default())
    }

    /// Connects to `service` at `endpoint`.
    pub fn connect_with(
        endpoint: &Endpoint,
        service: &'static ServiceDescriptor,
        options: ClientOptions,
    ) -> Result<Client, Error> {
        let hello = Hello::for_service(service, Mode::Stream, options.ring_slots);
        let refused = |reason: String| Error::Refused {
            service: service.qualified_name.to_owned(),
            endpoint: endpoint.to_string(),
            reason,
        };
        let (link, welcome) = match endpoint {
            Endpoint::Inproc(name) => {
                let registry = inproc::lookup(name).ok_or_else(|| {
                    refused("no server in this process listens there; bind it first".to_owned())
                })?;
                let slot = registry.get(service.qualified_name).ok_or_else(|| {
                    refused(registry.unknown_service(service.qualified_name).message)
                })?;
                let welcome = slot.welcome(&hello.methods);
                let peer = Peer {
                    blocked: blocked_ids(&welcome),
                    subscriptions: Default::default(),
                };
                let events = Arc::new(EventQueue::new(options.event_queue));
                (Link::inproc(slot, peer, events), Some(welcome))
            }
            Endpoint::Pipe(name) => (Link::stream(Stream::unix(name)?), None),
            Endpoint::Tcp(address) => (Link::stream(Stream::tcp(address)?), None),
            #[cfg(target_os = "linux")]
            Endpoint::Shm(name) => {
                let hello = Hello {
                    mode: Mode::SharedMemory,
                    ..hello.clone()
                };
                let (link, welcome) = shm_setup::connect(name, &hello, &options, service)?;
                (link, Some(welcome))
            }
            #[cfg(not(target_os = "linux"))]
            Endpoint::Shm(name) => (Link::stream(Stream::unix(name)?), None),
        };
        let checks = MethodChecks::of(service).map_err(|message| Error::Config { message })?;
        let mut client = Client {
            service,
            checks,
            endpoint: endpoint.to_string(),
            link,
            blocked: HashMap::new(),
            next_correlation: 1,
            parked: HashMap::new(),
            abandoned: HashSet::new(),
            events: FrameBuffer::default(),
            queued_events: 0,
            lagged: 0,
            broken: None,
            options,
        };
        let welcome = match welcome {
            Some(welcome) => welcome,
            None => client.greet(&hello)?,
        };
        client.accept(welcome)?;
        Ok(client)
    }

    /// Where the client is connected, as a URL (`shm://fleet/control`, ...).
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// The service this client calls.
    pub fn service(&self) -> &'static ServiceDescriptor {
        self.service
    }

    /// The timeout of calls from now on.
    pub fn set_timeout(&mut self, timeout: Duration) {
        self.options.timeout = timeout;
    }

    /// Sends the `Hello` on a socket link and returns the server's `Welcome`.
    fn greet(&mut self, hello: &Hello) -> Result<Welcome, Error> {
        let hello = hello.encode();
        let correlation = self.begin(Kind::Hello, 0, hello.len(), "the handshake")?;
        debug_assert_eq!(correlation, 1);
        self.link
            .out
            .building_mut(hello.len())
            .copy_from_slice(&hello);
        let wait = self.options.handshake_timeout();
        let deadline = Instant::now() + wait;
        self.send(hello.len(), deadline, "the handshake")?;
        let at = loop {
            if let Some(at) = self.next_received()? {
                break at;
            }
            self.receive(Some(deadline), "the handshake")
                .map_err(|error| match error {
                    Error::Timeout { method, .. } => Error::Timeout {
                        method,
                        after: wait,
                    },
                    other => other,
                })?;
        };
        if at.kind != Kind::Welcome {
            return Err(self.protocol(format!("expected a Welcome frame, got {:?}", at.kind)));
        }
        let welcome = Welcome::decode(self.link.inbox.payload(&at));
        self.link.inbox.pop(&at);
        welcome.map_err(|error| self.protocol(error.reason))
    }

    /// Takes in the server's `Welcome`: a refusal is an error; refused methods are noted.
    fn accept(&mut self, welcome: Welcome) -> Result<(), Error> {
        if welcome.status != WelcomeStatus::Accepted {
            return Err(Error::Refused {
                service: self.service.qualified_name.to_owned(),
                endpoint: self.endpoint.clone(),
                reason: welcome.message,
            });
        }
        for verdict in &welcome.verdicts {
            if let Some(method) = self.service.method(verdict.id) {
                log::warn!(
                    "{}: `{}` cannot be called: {}",
                    self.endpoint,
                    method.qualified_name,
                    match verdict.kind {
                        VerdictKind::FingerprintDiffers => "its fingerprints differ",
                        VerdictKind::Unknown => "the server does not know it",
                    }
                );
            }
            self.blocked.insert(verdict.id, verdict.server_fingerprint);
        }
        Ok(())
    }

    /// Checks that `method` of this service may be called as `kind`.
    fn check_method(&self, method: &MethodDescriptor, kind: MethodKind) -> Result<(), Error> {
        if let Some(reason) = &self.broken {
            return Err(self.broken_error(reason));
        }
        if self.service.method(method.id).map(|own| own.qualified_name)
            != Some(method.qualified_name)
            || method.kind != kind
        {
            return Err(Error::Config {
                message: format!(
                    "`{}` is not {} method of `{}`",
                    method.qualified_name,
                    match kind {
                        MethodKind::Rpc => "an rpc",
                        MethodKind::Oneway => "a one-way",
                        MethodKind::Event => "an event",
                    },
                    self.service.qualified_name
                ),
            });
        }
        if let Some(theirs) = self.blocked.get(&method.id) {
            return Err(Error::FingerprintMismatch {
                method: method.qualified_name.to_owned(),
                ours: method.fingerprint,
                theirs: *theirs,
            });
        }
        Ok(())
    }

    fn broken_error(&self, reason: &str) -> Error {
        if reason.is_empty() {
            Error::PeerGone {
                service: self.service.qualified_name.to_owned(),
            }
        } else {
            Error::Protocol {
                service: self.service.qualified_name.to_owned(),
                error: crate::wire::ProtocolError::new(reason),
            }
        }
    }

    /// Marks the connection broken by `error` (a lost peer or a protocol violation).
    fn fail(&mut self, error: Error) -> Error {
        match &error {
            Error::PeerGone { .. } => self.broken = Some(String::new()),
            Error::Protocol { error: inner, .. } => self.broken = Some(inner.reason.clone()),
            _ => {}
        }
        error
    }

    fn protocol(&mut self, reason: String) -> Error {
        let error = Error::Protocol {
            service: self.service.qualified_name.to_owned(),
            error: crate::wire::ProtocolError::new(reason),
        };
        self.fail(error)
    }

    /// Starts a frame of `kind` for `method` with a zeroed payload of `len` bytes, waiting
    /// for room in a full ring up to the timeout; returns its correlation id.
    fn begin(&mut self, kind: Kind, method: u32, len: usize, name: &str) -> Result<u64, Error> {
        let correlation = self.next_correlation;
        let deadline = Instant::now() + self.options.timeout;
        let service = self.service.qualified_name;
        match self
            .link
            .begin(kind, method, correlation, len, deadline, service)
        {
            Ok(true) => {
                self.next_correlation += 1;
                Ok(correlation)
            }
            Ok(false) => Err(self.full(name)),
            Err(error) => Err(self.fail(error)),
        }
    }

    /// The size of `method`'s request, one-way message or event.
    fn request_size(&self, method: &MethodDescriptor) -> usize {
        self.checks.params(method).size()
    }

    /// The error for a ring or socket that stayed full: `WouldBlock` without a timeout,
    /// `Timeout` when the timeout passed.
    fn full(&self, method: &str) -> Error {
        if self.options.timeout.is_zero() {
            Error::WouldBlock {
                method: method.to_owned(),
            }
        } else {
            Error::Timeout {
                method: method.to_owned(),
                after: self.options.timeout,
            }
        }
    }

    /// Sends the frame just built, of a payload of `len` bytes.
    fn send(&mut self, len: usize, deadline: Instant, method: &str) -> Result<(), Error> {
        let service = self.service.qualified_name;
        match self.link.send(len, deadline, service) {
            Ok(true) => Ok(()),
            Ok(false) => Err(self.full(method)),
            Err(error) => Err(self.fail(error)),
        }
    }

    /// Receives more frames; a timeout is an error naming `method`.
    fn receive(&mut self, deadline: Option<Instant>, method: &str) -> Result<bool, Error> {
        let service = self.service.qualified_name;
        match self.link.receive(deadline, service) {
            Ok(Received::More) => Ok(true),
            Ok(Received::TimedOut) if deadline.is_some() => Err(Error::Timeout {
                method: method.to_owned(),
                after: self.options.timeout,
            }),
            Ok(Received::TimedOut) => Ok(false),
            Err(error) => Err(self.fail(error)),
        }
    }

    fn next_received(&mut self) -> Result<Option<FrameAt>, Error> {
        match self.link.inbox.front() {
            Ok(at) => Ok(at),
            Err(error) => Err(self.protocol(error.reason)),
        }
    }

    /// Waits for the reply to call `correlation` and leaves it at the front of `received`
    /// (or returns it parked).
    fn await_reply(
        &mut self,
        correlation: u64,
        deadline: Instant,
        method: &'static MethodDescriptor,
    ) -> Result<Option<FrameBuffer>, Error> {
        if let Some(parked) = self.parked.remove(&correlation) {
            return Ok(Some(parked));
        }
        loop {
            while let Some(at) = self.next_received()? {
                match at.kind {
                    Kind::Reply | Kind::Error | Kind::Failure
                        if at.header.correlation() == correlation =>
                    {
                        return Ok(None)
                    }
                    Kind::Reply | Kind::Error | Kind::Failure => self.park(&at),
                    Kind::Event | Kind::Lagged => self.queue_event(&at),
                    other => {
                        return Err(
                            self.protocol(format!("a server may not send a {other:?} frame"))
                        )
                    }
                }
                self.link.inbox.pop(&at);
            }
            if let Err(error) = self.receive(Some(deadline), method.qualified_name) {
                if matches!(error, Error::Timeout { .. }) {
                    self.abandoned.insert(correlation);
                }
                return Err(error);
            }
        }
    }

    /// Keeps the answer to another call than the one awaited, until [`Client::wait`] asks
    /// for it; drops it if that call timed out.
    fn park(&mut self, at: &FrameAt) {
        let correlation = at.header.correlation();
        if !self.abandoned.remove(&correlation) {
            let mut parked = FrameBuffer::default();
            let payload = self.link.inbox.payload(at);
            parked.push_frame_with(at.kind, at.header.method(), correlation, payload);
            self.parked.insert(correlation, parked);
        }
    }

    /// Keeps an event that arrived while a reply was awaited, or counts it lost.
    fn queue_event(&mut self, at: &FrameAt) {
        if at.kind == Kind::Lagged {
            self.lagged += lag_count(self.link.inbox.payload(at));
        } else if self.queued_events >= self.options.event_queue {
            self.lagged += 1;
        } else {
            self.events.push_frame_with(
                Kind::Event,
                at.header.method(),
                0,
                self.link.inbox.payload(at),
            );
            self.queued_events += 1;
        }
    }

    /// Takes the answer to a call from the front of `parked` or of the inbox: a reply,
    /// validated against the method's descriptor, stays in place; the bytes of an IDL error
    /// value (for the caller to validate against the error type) or a failure are taken out.
    pub(crate) fn answer(
        &mut self,
        method: &'static MethodDescriptor,
        parked: Option<FrameBuffer>,
    ) -> Result<Answer, Error> {
        let front = match &parked {
            Some(parked) => parked.next_frame().ok().flatten(),
            None => self.link.inbox.front().ok().flatten(),
        };
        let Some(at) = front else {
            return Err(self.protocol("the reply vanished from the inbox".to_owned()));
        };
        let payload = match &parked {
            Some(parked) => parked.payload(&at),
            None => self.link.inbox.payload(&at),
        };
        let answer = match at.kind {
            Kind::Reply => match self.check(method, false, payload) {
                Ok(()) => return Ok(Answer::Reply { parked, at }),
                Err(error) => Err(error),
            },
            Kind::Error => Ok(Answer::ErrorValue(payload.to_vec())),
            _ => Err(match Failure::decode(payload) {
                Ok(failure) => Error::Failed {
                    method: method.qualified_name.to_owned(),
                    failure,
                },
                Err(error) => self.protocol(error.reason),
            }),
        };
        if parked.is_none() {
            self.link.inbox.pop(&at);
        }
        answer
    }

    /// Completes a call: the reply, in place, or the handler's IDL error.
    fn complete<Rep: Message, E: ErrorValue>(
        &mut self,
        method: &'static MethodDescriptor,
        parked: Option<FrameBuffer>,
    ) -> Result<ReplyGuard<'_, Rep>, CallError<E>> {
        match self.answer(method, parked)? {
            Answer::Reply { parked, at } => {
                let payload = match &parked {
                    Some(parked) => parked.payload(&at),
                    None => self.link.inbox.payload(&at),
                };
                if message::view::<Rep>(payload).is_none() {
                    if parked.is_none() {
                        self.link.inbox.pop(&at);
                    }
                    return Err(CallError::Runtime(Error::Config {
                        message: message::mismatch::<Rep>(),
                    }));
                }
                Ok(ReplyGuard::new(self, parked, at))
            }
            Answer::ErrorValue(bytes) => Err(match E::from_bytes(&bytes) {
                Ok(value) => CallError::Remote(value),
                Err(error) => CallError::Runtime(Error::Invalid {
                    method: method.qualified_name.to_owned(),
                    error,
                }),
            }),
        }
    }

    /// Validates a message of `method`: its request, one-way message or event (`params`), or
    /// its reply.
    fn check(&self, method: &MethodDescriptor, params: bool, payload: &[u8]) -> Result<(), Error> {
        let check = if params {
            self.checks.params(method)
        } else {
            self.checks.results(method)
        };
        check
            .check(self.service.descriptor, payload)
            .map_err(|error| Error::Invalid {
                method: method.qualified_name.to_owned(),
                error,
            })
    }

    /// Loans the request of rpc `method`, to fill in place and send with [`Loan::send`].
    pub fn loan<Req: Message, Rep: Message, E: ErrorValue>(
        &mut self,
        method: &'static MethodDescriptor,
    ) -> Result<Loan<'_, Req, Rep, E>, Error> {
        self.check_method(method, MethodKind::Rpc)?;
        Loan::new(self, method)
    }

    /// Loans the message of one-way `method`, to fill in place and send with
    /// [`OnewayLoan::send`].
    pub fn loan_oneway<Req: Message>(
        &mut self,
        method: &'static MethodDescriptor,
    ) -> Result<OnewayLoan<'_, Req>, Error> {
        self.check_method(method, MethodKind::Oneway)?;
        OnewayLoan::new(self, method)
    }

    /// Waits for the reply of a call sent with [`Loan::send_later`].
    pub fn wait<Rep: Message, E: ErrorValue>(
        &mut self,
        pending: Pending<Rep, E>,
    ) -> Result<ReplyGuard<'_, Rep>, CallError<E>> {
        let deadline = Instant::now() + self.options.timeout;
        let parked = self.await_reply(pending.correlation, deadline, pending.method)?;
        self.complete(pending.method, parked)
    }

    /// Starts delivering event `event` to this client.
    pub fn subscribe(&mut self, event: &'static MethodDescriptor) -> Result<(), Error> {
        self.subscription(event, Kind::Subscribe)
    }

    /// Stops delivering event `event` to this client.
    pub fn unsubscribe(&mut self, event: &'static MethodDescriptor) -> Result<(), Error> {
        self.subscription(event, Kind::Unsubscribe)
    }

    fn subscription(&mut self, event: &'static MethodDescriptor, kind: Kind) -> Result<(), Error> {
        self.check_method(event, MethodKind::Event)?;
        let correlation = self.begin(kind, event.id, 0, event.qualified_name)?;
        let deadline = Instant::now() + self.options.timeout;
        self.send(0, deadline, event.qualified_name)?;
        let parked = self.await_reply(correlation, deadline, event)?;
        match self.complete::<message::Empty, message::NoError>(event, parked) {
            Ok(_) => Ok(()),
            Err(CallError::Runtime(error)) => Err(error),
            Err(CallError::Remote(never)) => match never {},
        }
    }

    /// The next event of a subscription, waiting up to `timeout` (forever with `None`);
    /// `Ok(None)` when the time passes first. Events lost because they were not taken in time
    /// are reported once as [`Error::Lagged`].
    pub fn next_event(
        &mut self,
        timeout: Option<Duration>,
    ) -> Result<Option<EventGuard<'_>>, Error> {
        if self.lagged > 0 {
            return Err(Error::Lagged {
                service: self.service.qualified_name.to_owned(),
                missed: std::mem::take(&mut self.lagged),
            });
        }
        if !self.events.is_empty() {
            self.queued_events -= 1;
            return self.event_at_front(true);
        }
        if let Some(reason) = &self.broken {
            return Err(self.broken_error(reason));
        }
        let deadline = timeout.map(|timeout| Instant::now() + timeout);
        loop {
            while let Some(at) = self.next_received()? {
                match at.kind {
                    Kind::Event => return self.event_at_front(false),
                    Kind::Lagged => {
                        let missed = lag_count(self.link.inbox.payload(&at));
                        self.link.inbox.pop(&at);
                        return Err(Error::Lagged {
                            service: self.service.qualified_name.to_owned(),
                            missed,
                        });
                    }
                    Kind::Reply | Kind::Error | Kind::Failure => {
                        self.park(&at);
                        self.link.inbox.pop(&at);
                    }
                    other => {
                        return Err(
                            self.protocol(format!("a server may not send a {other:?} frame"))
                        )
                    }
                }
            }
            let waited = match deadline {
                Some(deadline) => {
                    let service = self.service.qualified_name;
                    match self.link.receive(Some(deadline), service) {
                        Ok(Received::More) => true,
                        Ok(Received::TimedOut) => false,
                        Err(error) => return Err(self.fail(error)),
                    }
                }
                None => self.receive(None, "the next event")?,
            };
            if !waited {
                return Ok(None);
            }
        }
    }

    /// The event at the front of the queue (`queued`) or of the inbox, validated.
    fn event_at_front(&mut self, queued: bool) -> Result<Option<EventGuard<'_>>, Error> {
        let front = if queued {
            self.events.next_frame().ok().flatten()
        } else {
            self.link.inbox.front().ok().flatten()
        };
        let Some(at) = front else {
            return Err(self.protocol("the event vanished from the inbox".to_owned()));
        };
        let payload = if queued {
            self.events.payload(&at)
        } else {
            self.link.inbox.payload(&at)
        };
        let checked = match self.service.method(at.header.method()) {
            Some(method) if method.kind == MethodKind::Event => {
                self.check(method, true, payload).map(|()| method)
            }
            _ => Err(Error::Failed {
                method: format!("{}.?", self.service.qualified_name),
                failure: Failure {
                    code: crate::wire::FailureCode::UnknownMethod,
                    message: format!(
                        "the server sent an unknown event {:#010x}",
                        at.header.method()
                    ),
                },
            }),
        };
        match checked {
            Ok(method) => Ok(Some(EventGuard::new(self, method, queued, at))),
            Err(error) => {
                if queued {
                    self.events.consume(at.header.frame_len());
                } else {
                    self.link.inbox.pop(&at);
                }
                Err(error)
            }
        }
    }
}

/// What came back for a call.
pub(crate) enum Answer {
    /// The reply, validated, at the front of the parked frame or of the inbox.
    Reply {
        parked: Option<FrameBuffer>,
        at: FrameAt,
    },
    /// The bytes of the handler's IDL error value, not validated yet.
    ErrorValue(Vec<u8>),
}

fn blocked_ids(welcome: &Welcome) -> HashSet<u32> {
    welcome
        .verdicts
        .iter()
        .filter(|verdict| verdict.kind == VerdictKind::FingerprintDiffers)
        .map(|verdict| verdict.id)
        .collect()
}

fn lag_count(payload: &[u8]) -> u64 {
    payload.try_into().map(u64::from_le_bytes).unwrap_or(1)
}
