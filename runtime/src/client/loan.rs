//! Zero-copy calls: a loan is the request being built in place in the send buffer (or ring
//! slot); a reply guard is the reply read in place where it arrived.

use std::marker::PhantomData;
use std::ops::{Deref, DerefMut};
use std::time::Instant;

use super::Client;
use crate::error::Error;
use crate::message::{self, ErrorValue, Message};
use crate::service::MethodDescriptor;
use crate::transport::buffer::{FrameAt, FrameBuffer};
use crate::wire::Kind;
use crate::CallError;

/// The request of an rpc being built in place; [`Loan::send`] sends it and waits for the
/// reply, dropping the loan sends nothing.
pub struct Loan<'c, Req: Message, Rep: Message, E: ErrorValue> {
    built: Built<'c, Req>,
    _reply: PhantomData<fn() -> (Rep, E)>,
}

/// The message of a one-way method being built in place; [`OnewayLoan::send`] sends it,
/// dropping the loan sends nothing.
pub struct OnewayLoan<'c, Req: Message> {
    built: Built<'c, Req>,
}

/// A request in the client's send buffer: the last frame there until sent or dropped.
struct Built<'c, Req> {
    client: Option<&'c mut Client>,
    method: &'static MethodDescriptor,
    correlation: u64,
    len: usize,
    _request: PhantomData<Req>,
}

impl<'c, Req: Message> Built<'c, Req> {
    fn new(
        client: &'c mut Client,
        method: &'static MethodDescriptor,
        kind: Kind,
    ) -> Result<Built<'c, Req>, Error> {
        let len = client.request_size(method);
        let correlation = client.begin(kind, method.id, len, method.qualified_name)?;
        if message::init::<Req>(client.link.out.building_mut(len)).is_none() {
            client.link.out.cancel(len);
            return Err(Error::Config {
                message: message::mismatch::<Req>(),
            });
        }
        Ok(Built {
            client: Some(client),
            method,
            correlation,
            len,
            _request: PhantomData,
        })
    }

    fn client(&self) -> &Client {
        self.client
            .as_deref()
            .expect("a loan holds its client until sent")
    }

    fn client_mut(&mut self) -> &mut Client {
        self.client
            .as_deref_mut()
            .expect("a loan holds its client until sent")
    }

    /// Sends the request and gives the client back.
    fn transmit(mut self) -> Result<(&'c mut Client, Instant), Error> {
        let client = self.client.take().expect("a loan is sent once");
        let deadline = Instant::now() + client.options.timeout;
        client.send(self.len, deadline, self.method.qualified_name)?;
        Ok((client, deadline))
    }
}

impl<Req: Message> Deref for Built<'_, Req> {
    type Target = Req;

    fn deref(&self) -> &Req {
        let len = self.len;
        let bytes = self.client().link.out.building(len);
        message::view::<Req>(bytes).expect("the loan initialized its request")
    }
}

impl<Req: Message> DerefMut for Built<'_, Req> {
    fn deref_mut(&mut self) -> &mut Req {
        let len = self.len;
        let bytes = self.client_mut().link.out.building_mut(len);
        Req::try_mut_from_bytes(bytes).expect("the loan initialized its request")
    }
}

impl<Req> Drop for Built<'_, Req> {
    fn drop(&mut self) {
        if let Some(client) = self.client.take() {
            client.link.out.cancel(self.len);
        }
    }
}

impl<'c, Req: Message, Rep: Message, E: ErrorValue> Loan<'c, Req, Rep, E> {
    pub(super) fn new(
        client: &'c mut Client,
        method: &'static MethodDescriptor,
    ) -> Result<Self, Error> {
        Ok(Loan {
            built: Built::new(client, method, Kind::Request)?,
            _reply: PhantomData,
        })
    }

    /// Sends the request and waits for the reply, which the guard holds in place.
    pub fn send(self) -> Result<ReplyGuard<'c, Rep>, CallError<E>> {
        let method = self.built.method;
        let correlation = self.built.correlation;
        let (client, deadline) = self.built.transmit()?;
        let parked = client.await_reply(correlation, deadline, method)?;
        client.complete(method, parked)
    }

    /// Sends the request without waiting: more calls may follow before
    /// [`Client::wait`] collects the reply (pipelining).
    pub fn send_later(self) -> Result<Pending<Rep, E>, Error> {
        let method = self.built.method;
        let correlation = self.built.correlation;
        self.built.transmit()?;
        Ok(Pending {
            method,
            correlation,
            _reply: PhantomData,
        })
    }
}

impl<Req: Message, Rep: Message, E: ErrorValue> Deref for Loan<'_, Req, Rep, E> {
    type Target = Req;

    fn deref(&self) -> &Req {
        &self.built
    }
}

impl<Req: Message, Rep: Message, E: ErrorValue> DerefMut for Loan<'_, Req, Rep, E> {
    fn deref_mut(&mut self) -> &mut Req {
        &mut self.built
    }
}

impl<'c, Req: Message> OnewayLoan<'c, Req> {
    pub(super) fn new(
        client: &'c mut Client,
        method: &'static MethodDescriptor,
    ) -> Result<Self, Error> {
        Ok(OnewayLoan {
            built: Built::new(client, method, Kind::OneWay)?,
        })
    }

    /// Sends the message; it is handed to the transport when this returns.
    pub fn send(self) -> Result<(), Error> {
        self.built.transmit().map(|_| ())
    }
}

impl<Req: Message> Deref for OnewayLoan<'_, Req> {
    type Target = Req;

    fn deref(&self) -> &Req {
        &self.built
    }
}

impl<Req: Message> DerefMut for OnewayLoan<'_, Req> {
    fn deref_mut(&mut self) -> &mut Req {
        &mut self.built
    }
}

/// A call sent with [`Loan::send_later`] whose reply is not collected yet.
#[must_use = "collect the reply with Client::wait"]
pub struct Pending<Rep, E> {
    pub(super) method: &'static MethodDescriptor,
    pub(super) correlation: u64,
    _reply: PhantomData<fn() -> (Rep, E)>,
}

/// A reply, read in place where it arrived; the client is free again when it is dropped.
pub struct ReplyGuard<'c, Rep: Message> {
    client: &'c mut Client,
    parked: Option<FrameBuffer>,
    at: FrameAt,
    _reply: PhantomData<Rep>,
}

impl<'c, Rep: Message> ReplyGuard<'c, Rep> {
    pub(super) fn new(client: &'c mut Client, parked: Option<FrameBuffer>, at: FrameAt) -> Self {
        ReplyGuard {
            client,
            parked,
            at,
            _reply: PhantomData,
        }
    }
}

impl<Rep: Message> Deref for ReplyGuard<'_, Rep> {
    type Target = Rep;

    fn deref(&self) -> &Rep {
        let bytes = match &self.parked {
            Some(parked) => parked.front_payload(),
            None => self.client.link.inbox.front_payload(),
        };
        message::view::<Rep>(bytes).expect("the reply was checked when it arrived")
    }
}

impl<Rep: Message> Drop for ReplyGuard<'_, Rep> {
    fn drop(&mut self) {
        if self.parked.is_none() {
            self.client.link.inbox.pop(&self.at);
        }
    }
}

/// An event, read in place where it arrived.
pub struct EventGuard<'c> {
    client: &'c mut Client,
    method: &'static MethodDescriptor,
    queued: bool,
    at: FrameAt,
}

impl<'c> EventGuard<'c> {
    pub(super) fn new(
        client: &'c mut Client,
        method: &'static MethodDescriptor,
        queued: bool,
        at: FrameAt,
    ) -> Self {
        EventGuard {
            client,
            method,
            queued,
            at,
        }
    }

    /// The event method.
    pub fn method(&self) -> &'static MethodDescriptor {
        self.method
    }

    /// The event's message as `T` (the event struct generated for [`EventGuard::method`]);
    /// `None` when `T` is another type.
    pub fn get<T: Message>(&self) -> Option<&T> {
        let bytes = if self.queued {
            self.client.events.front_payload()
        } else {
            self.client.link.inbox.front_payload()
        };
        message::view::<T>(bytes)
    }
}

impl EventGuard<'_> {
    /// Where the event is held, for [`Client::raw_next_event`]: the guard is forgotten and the
    /// event stays in place until released.
    pub(super) fn into_place(self) -> (&'static MethodDescriptor, bool, FrameAt) {
        let place = (self.method, self.queued, self.at);
        std::mem::forget(self);
        place
    }

    /// The error for an event the generated code does not expect: it does not match the
    /// runtime's descriptor of the service.
    pub fn unexpected(&self) -> Error {
        Error::Config {
            message: format!(
                "event `{}` does not match the generated code; regenerate it",
                self.method.qualified_name
            ),
        }
    }
}

impl Drop for EventGuard<'_> {
    fn drop(&mut self) {
        if self.queued {
            self.client.events.consume(self.at.header.frame_len());
        } else {
            self.client.link.inbox.pop(&self.at);
        }
    }
}
